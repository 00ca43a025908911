#include "sfu/webrtc_transport.hpp"

#include <utility>

namespace parley::sfu {

namespace ice = rtc::ice;
namespace dtls = rtc::dtls;
namespace srtp = rtc::srtp;

WebRtcTransport::WebRtcTransport(TransportId id, Sink& sink, std::shared_ptr<const dtls::Context> dtls_context,
                                 std::string ice_ufrag, std::string ice_pwd)
    : id_(id),
      sink_(sink),
      dtls_context_(std::move(dtls_context)),
      ice_(*this, std::move(ice_ufrag), std::move(ice_pwd)),
      dtls_(dtls_context_, *this) {}

WebRtcTransport::~WebRtcTransport() = default;

base::Status WebRtcTransport::connect(const RemoteTransportParams& remote) {
  if (started_) return base::Status::conflict("sfu: transport already connected");
  PARLEY_RETURN_IF_ERROR(dtls_.set_remote_fingerprint(remote.fingerprint_algorithm, remote.fingerprint));
  if (!remote.ice_ufrag.empty()) ice_.set_remote_ufrag(remote.ice_ufrag);
  started_ = true;
  dtls_.start(remote.dtls_role);
  return base::Status::ok();
}

void WebRtcTransport::receive_stun(const rtc::stun::Message& m, const ice::Path& from, std::int64_t now_ms) {
  ice_.receive(m, from, now_ms);
}

void WebRtcTransport::receive_dtls(std::span<const std::uint8_t> d, const ice::Path& from) {
  if (!ice_.is_valid(from)) {
    ++counters_.unverified_path;
    return;
  }
  if (!started_) {
    ++counters_.not_ready;
    return;
  }
  dtls_.receive(d);
}

void WebRtcTransport::receive_rtp(std::span<std::uint8_t> d, const ice::Path& from, std::int64_t now_ms) {
  if (!ice_.is_valid(from)) {
    ++counters_.unverified_path;
    return;
  }
  if (!srtp_in_) {
    ++counters_.not_ready;
    return;
  }
  auto n = srtp_in_->unprotect_rtp(d, d.size());
  if (!n.ok()) {
    ++counters_.srtp_errors;
    return;
  }
  auto packet = rtc::rtp::Packet::parse(d.first(*n));
  if (!packet.ok()) {
    ++counters_.malformed;
    return;
  }
  ++counters_.rtp_in;
  counters_.bytes_in += d.size();
  if (listener_) listener_->on_transport_rtp(*this, *packet, now_ms);
}

void WebRtcTransport::receive_rtcp(std::span<std::uint8_t> d, const ice::Path& from, std::int64_t now_ms) {
  if (!ice_.is_valid(from)) {
    ++counters_.unverified_path;
    return;
  }
  if (!srtp_in_) {
    ++counters_.not_ready;
    return;
  }
  auto n = srtp_in_->unprotect_rtcp(d, d.size());
  if (!n.ok()) {
    ++counters_.srtp_errors;
    return;
  }
  ++counters_.rtcp_in;
  counters_.bytes_in += d.size();
  if (listener_) listener_->on_transport_rtcp(*this, d.first(*n), now_ms);
}

void WebRtcTransport::on_timer(std::int64_t now_ms) {
  ice_.on_timer(now_ms);
  if (started_) {
    if (auto t = dtls_.timeout(); t && t->count() <= 0) dtls_.on_timeout();
  }
}

bool WebRtcTransport::send_rtp(std::span<std::uint8_t> buffer, std::size_t size) {
  return protect_and_send(buffer, size, &rtc::srtp::Session::protect_rtp, counters_.rtp_out);
}

bool WebRtcTransport::send_rtcp(std::span<std::uint8_t> buffer, std::size_t size) {
  return protect_and_send(buffer, size, &rtc::srtp::Session::protect_rtcp, counters_.rtcp_out);
}

bool WebRtcTransport::protect_and_send(std::span<std::uint8_t> buffer, std::size_t size, Protect protect,
                                       std::uint64_t& sent) {
  const auto path = ice_.selected_path();
  if (!srtp_out_ || !path) {
    ++counters_.not_ready;
    return false;
  }
  auto n = ((*srtp_out_).*protect)(buffer, size);
  if (!n.ok()) {
    ++counters_.srtp_errors;
    return false;
  }
  ++sent;
  counters_.bytes_out += *n;
  sink_.send(buffer.first(*n), *path);
  return true;
}

void WebRtcTransport::on_ice_send(std::span<const std::uint8_t> message, const ice::Path& path) {
  sink_.send(message, path);
}

void WebRtcTransport::on_ice_state(ice::IceServer::State state) {
  if (state == ice::IceServer::State::Disconnected && listener_) listener_->on_transport_failed(*this);
}

void WebRtcTransport::on_dtls_send(std::span<const std::uint8_t> datagram) {
  // DTLS goes out on the selected path; before ICE selected one there is
  // nowhere to send it (the peer's retransmission covers that).
  if (const auto path = ice_.selected_path()) sink_.send(datagram, *path);
}

void WebRtcTransport::on_dtls_state(dtls::Transport::State state) {
  if (!listener_) return;
  if (state == dtls::Transport::State::Connected && srtp_out_) listener_->on_transport_connected(*this);
  if (state == dtls::Transport::State::Failed || state == dtls::Transport::State::Closed) {
    listener_->on_transport_failed(*this);
  }
}

void WebRtcTransport::on_dtls_srtp_keys(const dtls::SrtpKeys& keys) {
  auto in = srtp::Session::create(keys.profile, srtp::Session::Direction::Inbound, keys.remote);
  auto out = srtp::Session::create(keys.profile, srtp::Session::Direction::Outbound, keys.local);
  if (!in.ok() || !out.ok()) {
    ++counters_.srtp_errors;
    return;
  }
  srtp_in_ = std::move(*in);
  srtp_out_ = std::move(*out);
}

}  // namespace parley::sfu
