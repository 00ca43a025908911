// SRTP and SRTCP (RFC 3711, RFC 7714 for AEAD_AES_128_GCM) through libsrtp2:
// one Session protects what we send or unprotects what we receive, for
// every SSRC of a transport, with the keys DTLS-SRTP exported.
//
// Packets are transformed in place. protect_* needs kMaxTrailer bytes of
// room after the packet (the authentication tag, and for SRTCP the index).
// Errors (authentication failure, replay, malformed input) are BadRequest
// Statuses: the caller drops and counts; the session stays usable.
//
// Threading: a Session is single-threaded (its transport's worker).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "base/status.hpp"
#include "rtc/dtls/dtls.hpp"

namespace parley::rtc::srtp {

// Room protect_* needs after a packet: a 16-byte tag plus SRTCP's 4-byte index.
inline constexpr std::size_t kMaxTrailer = 16 + 4;

class Session {
 public:
  enum class Direction : std::uint8_t { Inbound, Outbound };

  // `key_salt`: master key followed by master salt, as SrtpKeys carries them.
  static base::Result<std::unique_ptr<Session>> create(dtls::SrtpProfile profile, Direction direction,
                                                       std::span<const std::uint8_t> key_salt);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // `buffer` holds the packet in its first `size` bytes; the result is the
  // new size. REQUIRES: an Outbound session for protect_*, Inbound for
  // unprotect_* (anything else is an Internal error).
  base::Result<std::size_t> protect_rtp(std::span<std::uint8_t> buffer, std::size_t size);
  base::Result<std::size_t> unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t size);
  base::Result<std::size_t> protect_rtcp(std::span<std::uint8_t> buffer, std::size_t size);
  base::Result<std::size_t> unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t size);

  dtls::SrtpProfile profile() const { return profile_; }

 private:
  struct Impl;
  Session(dtls::SrtpProfile profile, Direction direction);
  dtls::SrtpProfile profile_;
  Direction direction_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::rtc::srtp
