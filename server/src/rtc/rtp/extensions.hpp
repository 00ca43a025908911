// Typed RTP header extensions WebRTC negotiates with "a=extmap" (RFC 8285):
// the extension URIs, a map from kind to negotiated id, and readers/writers
// over a Packet. Readers return nullopt when the element is absent or has a
// length its definition forbids; writers rewrite in place (see
// Packet::set_extension) and return false when the element is absent.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "rtc/rtp/packet.hpp"

namespace parley::rtc::rtp {

enum class ExtensionKind : std::uint8_t {
  Mid,               // urn:ietf:params:rtp-hdrext:sdes:mid (RFC 9143 section 15)
  Rid,               // urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id (RFC 8852)
  RepairedRid,       // urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id (RFC 8852)
  AudioLevel,        // urn:ietf:params:rtp-hdrext:ssrc-audio-level (RFC 6464)
  AbsSendTime,       // http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
  TransportWideSeq,  // draft-holmer-rmcat-transport-wide-cc-extensions-01
};
inline constexpr std::size_t kExtensionKinds = 6;

std::optional<ExtensionKind> extension_kind(std::string_view uri);
std::string_view extension_uri(ExtensionKind kind);

// Negotiated ids per kind (0 = not negotiated).
class ExtensionMap {
 public:
  void set(ExtensionKind kind, std::uint8_t id) { ids_[static_cast<std::size_t>(kind)] = id; }
  // Records `id` for `uri` when the URI is one of ours; false otherwise.
  bool set(std::string_view uri, std::uint8_t id);
  std::uint8_t id(ExtensionKind kind) const { return ids_[static_cast<std::size_t>(kind)]; }

 private:
  std::array<std::uint8_t, kExtensionKinds> ids_{};
};

// RFC 6464: V flag and the level in -dBov (0 loudest .. 127 silence).
struct AudioLevel {
  bool voice_activity = false;
  std::uint8_t level = 127;
};

// mid, rid and repaired-rid: an SDES item's text (1..255 bytes, RFC 8852
// section 3 limits rid to 255 characters; mid the same).
std::optional<std::string_view> read_sdes(const Packet& p, std::uint8_t id);
std::optional<AudioLevel> read_audio_level(const Packet& p, std::uint8_t id);
// 24-bit 6.18 fixed-point seconds.
std::optional<std::uint32_t> read_abs_send_time(const Packet& p, std::uint8_t id);
std::optional<std::uint16_t> read_transport_wide_seq(const Packet& p, std::uint8_t id);

bool write_abs_send_time(Packet& p, std::uint8_t id, std::uint32_t value);
bool write_transport_wide_seq(Packet& p, std::uint8_t id, std::uint16_t seq);

// Encoders for PacketWriter::add_extension.
std::array<std::uint8_t, 1> encode_audio_level(AudioLevel level);
std::array<std::uint8_t, 3> encode_abs_send_time(std::uint32_t value);
std::array<std::uint8_t, 2> encode_transport_wide_seq(std::uint16_t seq);
// Microseconds of a monotonic clock to the abs-send-time 6.18 format.
std::uint32_t abs_send_time_from_us(std::int64_t us);

}  // namespace parley::rtc::rtp
