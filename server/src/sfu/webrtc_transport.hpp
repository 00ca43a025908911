// One WebRTC transport of a media worker: ICE-lite (rtc::ice::IceServer),
// DTLS (rtc::dtls::Transport) and SRTP (rtc::srtp::Session) composed over
// the worker's shared UDP port. It owns no socket: the worker routes each
// datagram to it (through the Demuxer) and it sends through its Sink.
//
//   datagram -> Demuxer -> receive_stun / receive_dtls / receive_rtp / receive_rtcp
//                 STUN  -> IceServer (paths become valid -> Sink::bind)
//                 DTLS  -> dtls::Transport (from a valid path only)
//                 SRTP  -> unprotect -> Listener::on_transport_rtp / _rtcp
//   send_rtp / send_rtcp -> protect -> Sink::send on the ICE-selected path
//
// Media is accepted only from a path ICE validated (and whose consent has
// not expired) and only after DTLS-SRTP produced keys; anything else is
// dropped and counted. Nothing here throws or asserts on peer input.
//
// Threading: single-threaded, the worker's. The Listener and Sink are called
// synchronously and must not destroy the transport from inside a callback.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "base/status.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/ice/ice_server.hpp"
#include "rtc/rtp/packet.hpp"
#include "rtc/srtp/session.hpp"
#include "rtc/stun/stun.hpp"

namespace parley::sfu {

using TransportId = std::uint32_t;

// What the signalling layer puts into our SDP (RFC 8839 / RFC 8122).
struct IceCandidate {
  std::string ip;
  std::uint16_t port = 0;
  std::string protocol = "udp";
};
struct LocalTransportParams {
  std::string ice_ufrag;
  std::string ice_pwd;
  bool ice_lite = true;
  std::string fingerprint_algorithm = "sha-256";
  std::string fingerprint;  // "AB:CD:..."
  std::vector<IceCandidate> candidates;
};

// What the peer's SDP says about its side.
struct RemoteTransportParams {
  std::string ice_ufrag;
  std::string fingerprint_algorithm = "sha-256";
  std::string fingerprint;
  // Our DTLS role. The SFU answers a=setup:actpass with a=setup:passive
  // (we are the server), and offers a=setup:actpass (browsers then answer
  // active, so we are the server again).
  rtc::dtls::Role dtls_role = rtc::dtls::Role::Server;
};

class WebRtcTransport final : rtc::ice::IceServer::Listener, rtc::dtls::Transport::Listener {
 public:
  // Where the transport's datagrams go: the worker.
  class Sink {
   public:
    virtual ~Sink() = default;
    virtual void send(std::span<const std::uint8_t> datagram, const rtc::ice::Path& to) = 0;
    virtual void path_valid(TransportId id, const rtc::ice::Path& path) = 0;
    virtual void path_expired(TransportId id, const rtc::ice::Path& path) = 0;
  };
  // What arrives through the transport: the room.
  class Listener {
   public:
    virtual ~Listener() = default;
    // A decrypted, parsed RTP packet; the listener may rewrite it in place.
    virtual void on_transport_rtp(WebRtcTransport& t, rtc::rtp::Packet& packet, std::int64_t now_ms) = 0;
    // A decrypted RTCP compound (not yet parsed).
    virtual void on_transport_rtcp(WebRtcTransport& t, std::span<const std::uint8_t> compound,
                                   std::int64_t now_ms) = 0;
    // DTLS-SRTP is up: media can flow both ways.
    virtual void on_transport_connected(WebRtcTransport& t) {}
    // DTLS failed or closed, or ICE lost every path.
    virtual void on_transport_failed(WebRtcTransport& t) {}
  };

  struct Counters {
    std::uint64_t rtp_in = 0;
    std::uint64_t rtcp_in = 0;
    std::uint64_t rtp_out = 0;
    std::uint64_t rtcp_out = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::uint64_t unverified_path = 0;  // media or DTLS from a path ICE has not validated
    std::uint64_t not_ready = 0;        // SRTP before keys, or sends before connected
    std::uint64_t srtp_errors = 0;      // authentication failure, replay
    std::uint64_t malformed = 0;        // did not parse after decryption
  };

  WebRtcTransport(TransportId id, Sink& sink, std::shared_ptr<const rtc::dtls::Context> dtls_context,
                  std::string ice_ufrag, std::string ice_pwd);
  ~WebRtcTransport() override;
  WebRtcTransport(const WebRtcTransport&) = delete;
  WebRtcTransport& operator=(const WebRtcTransport&) = delete;

  void set_listener(Listener* l) { listener_ = l; }
  TransportId id() const { return id_; }
  const std::string& ice_ufrag() const { return ice_.local_ufrag(); }
  const std::string& ice_pwd() const { return ice_.local_pwd(); }
  const std::string& fingerprint() const { return dtls_context_->fingerprint_sha256(); }

  // The peer's ICE ufrag and DTLS fingerprint (from its SDP); starts DTLS
  // in `dtls_role`. Once only; a bad fingerprint is BadRequest.
  base::Status connect(const RemoteTransportParams& remote);

  // From the worker, routed by the Demuxer.
  void receive_stun(const rtc::stun::Message& m, const rtc::ice::Path& from, std::int64_t now_ms);
  void receive_dtls(std::span<const std::uint8_t> d, const rtc::ice::Path& from);
  void receive_rtp(std::span<std::uint8_t> d, const rtc::ice::Path& from, std::int64_t now_ms);
  void receive_rtcp(std::span<std::uint8_t> d, const rtc::ice::Path& from, std::int64_t now_ms);
  // ICE consent and DTLS retransmission. Call every few tens of ms.
  void on_timer(std::int64_t now_ms);

  // Protects the packet in `buffer[0, size)` in place and sends it on the
  // selected path. `buffer` needs srtp::kMaxTrailer spare bytes after
  // `size`. False (counted) when not connected or SRTP failed.
  bool send_rtp(std::span<std::uint8_t> buffer, std::size_t size);
  bool send_rtcp(std::span<std::uint8_t> buffer, std::size_t size);

  bool connected() const { return srtp_out_ != nullptr && ice_.selected_path().has_value(); }
  rtc::ice::IceServer::State ice_state() const { return ice_.state(); }
  rtc::dtls::Transport::State dtls_state() const { return dtls_.state(); }
  const Counters& counters() const { return counters_; }
  const rtc::ice::IceServer& ice() const { return ice_; }

 private:
  using Protect = base::Result<std::size_t> (rtc::srtp::Session::*)(std::span<std::uint8_t>, std::size_t);
  // send_rtp and send_rtcp: protect with `protect`, count in `sent`, send.
  bool protect_and_send(std::span<std::uint8_t> buffer, std::size_t size, Protect protect, std::uint64_t& sent);

  // IceServer::Listener
  void on_ice_send(std::span<const std::uint8_t> message, const rtc::ice::Path& path) override;
  void on_ice_selected_path(const rtc::ice::Path& path) override {}
  void on_ice_state(rtc::ice::IceServer::State state) override;
  void on_ice_path_valid(const rtc::ice::Path& path) override { sink_.path_valid(id_, path); }
  void on_ice_path_expired(const rtc::ice::Path& path) override { sink_.path_expired(id_, path); }
  // dtls::Transport::Listener
  void on_dtls_send(std::span<const std::uint8_t> datagram) override;
  void on_dtls_state(rtc::dtls::Transport::State state) override;
  void on_dtls_srtp_keys(const rtc::dtls::SrtpKeys& keys) override;

  TransportId id_;
  Sink& sink_;
  Listener* listener_ = nullptr;
  std::shared_ptr<const rtc::dtls::Context> dtls_context_;
  rtc::ice::IceServer ice_;
  rtc::dtls::Transport dtls_;
  bool started_ = false;
  std::int64_t dtls_due_ms_ = -1;  // when dtls_.on_timeout() is due, from the last on_timer
  std::unique_ptr<rtc::srtp::Session> srtp_in_;
  std::unique_ptr<rtc::srtp::Session> srtp_out_;
  Counters counters_;
};

}  // namespace parley::sfu
