// DTLS 1.2 for WebRTC (RFC 8827 section 6.5, RFC 8842) through OpenSSL, with
// no socket inside: datagrams go in through receive() and come out through
// the Listener, so the io layer owns the socket and the tests connect two
// transports through memory. The handshake negotiates DTLS-SRTP (RFC 5764)
// and exports the SRTP master keys; the peer's certificate is accepted only
// if its SHA-256 fingerprint matches the one its SDP announced.
//
// Threading: a DtlsContext is immutable once created and may be shared by
// transports on any thread. A DtlsTransport is single-threaded (its
// worker's); the Listener is called synchronously from its methods and must
// not destroy the transport from inside a callback.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"

namespace parley::rtc::dtls {

// SRTP protection profiles (RFC 5764 section 4.1.2, RFC 7714 section 14.2).
enum class SrtpProfile : std::uint8_t {
  AeadAes128Gcm,         // SRTP_AEAD_AES_128_GCM: 16-byte key, 12-byte salt
  AesCm128HmacSha1Tag80,   // SRTP_AES128_CM_HMAC_SHA1_80: 16-byte key, 14-byte salt
};
std::string_view to_string(SrtpProfile p);
std::size_t master_key_size(SrtpProfile p);   // 16 for both
std::size_t master_salt_size(SrtpProfile p);  // 12 or 14

// Keys exported after the handshake (RFC 5764 section 4.2), each as master
// key followed by master salt, ready for srtp::Session.
struct SrtpKeys {
  SrtpProfile profile = SrtpProfile::AeadAes128Gcm;
  std::vector<std::uint8_t> local;   // protects what we send
  std::vector<std::uint8_t> remote;  // unprotects what we receive
};

enum class Role : std::uint8_t { Client, Server };

// An ECDSA P-256 key with a self-signed certificate and the SSL_CTX built on
// them. Create one at start and share it; its fingerprint goes into every
// SDP ("a=fingerprint:sha-256 ...").
class Context {
 public:
  struct Options {
    std::string common_name = "parley";
    int valid_days = 30;
    // In preference order; as DTLS server our order decides.
    std::vector<SrtpProfile> profiles = {SrtpProfile::AeadAes128Gcm, SrtpProfile::AesCm128HmacSha1Tag80};
    // First handshake retransmission timeout, doubled on each retry up to
    // 60 s (RFC 6347 section 4.2.4.1 suggests 1 s).
    std::chrono::milliseconds initial_retransmit{1000};
  };
  static base::Result<std::shared_ptr<const Context>> create(const Options& options);
  static base::Result<std::shared_ptr<const Context>> create() { return create(Options{}); }
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // "sha-256" and upper-case hex pairs: "AB:CD:...".
  const std::string& fingerprint_sha256() const { return fingerprint_; }

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  Context();
  std::unique_ptr<Impl> impl_;
  std::string fingerprint_;
};

class Transport {
 public:
  enum class State : std::uint8_t { New, Connecting, Connected, Failed, Closed };

  class Listener {
   public:
    virtual ~Listener() = default;
    // One DTLS datagram to send to the peer (valid only during the call).
    virtual void on_dtls_send(std::span<const std::uint8_t> datagram) = 0;
    virtual void on_dtls_state(State state) = 0;
    // Called once, before on_dtls_state(Connected).
    virtual void on_dtls_srtp_keys(const SrtpKeys& keys) = 0;
    // Application data (SCTP for data channels); ignored by default.
    virtual void on_dtls_data(std::span<const std::uint8_t> data) {}
  };

  Transport(std::shared_ptr<const Context> context, Listener& listener);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // The fingerprint the peer's SDP announced; only "sha-256" is accepted.
  // REQUIRES: before start().
  base::Status set_remote_fingerprint(std::string_view algorithm, std::string_view value);
  // Client sends its ClientHello at once; server waits for one.
  // From a=setup: an answerer with "active" is the client.
  void start(Role role);
  // A datagram demultiplexed as DTLS (first byte 20..63). Garbage and
  // records after Failed/Closed are dropped; a fatal alert or a failed
  // fingerprint check moves to Failed.
  void receive(std::span<const std::uint8_t> datagram);
  // How long until on_timeout() should run (handshake retransmission), or
  // nullopt when no timer is pending.
  std::optional<std::chrono::milliseconds> timeout() const;
  void on_timeout();
  // Sends application data once connected; false otherwise.
  bool send(std::span<const std::uint8_t> data);
  // Sends close_notify and moves to Closed.
  void close();

  State state() const { return state_; }
  Role role() const { return role_; }
  // Why the transport failed ("" unless Failed).
  const std::string& error() const { return error_; }

 private:
  struct Impl;
  void drive();
  void fail(std::string why);
  void set_state(State s);
  bool finish_handshake();

  std::shared_ptr<const Context> context_;
  Listener& listener_;
  std::unique_ptr<Impl> impl_;
  State state_ = State::New;
  Role role_ = Role::Server;
  std::string remote_fingerprint_;
  std::string error_;
};

}  // namespace parley::rtc::dtls
