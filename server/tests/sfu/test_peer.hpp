// A WebRTC endpoint in the browser's role, built from rtc/ (ICE checks as
// the controlling agent, DTLS client, SRTP) over a real loopback UDP socket,
// or over ICE-TCP (an active TCP connection with RFC 4571 framing): what the
// SFU tests and the benchmark talk to a worker with.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "rtc/demux.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/ice/tcp_framing.hpp"
#include "rtc/rtcp/rtcp.hpp"
#include "rtc/rtp/packet.hpp"
#include "rtc/srtp/session.hpp"
#include "rtc/stun/stun.hpp"
#include "sfu/webrtc_transport.hpp"
#include "sfu/worker.hpp"

namespace parley::sfu::test {

using Bytes = std::vector<std::uint8_t>;

// Runs fn on the worker's thread and returns its result (tests and benchmarks).
template <typename F>
auto on_worker(Worker& w, F fn) {
  std::promise<decltype(fn())> p;
  w.post([&] { p.set_value(fn()); });
  return p.get_future().get();
}

class Peer : rtc::dtls::Transport::Listener {
 public:
  explicit Peer(std::string ufrag, bool tcp = false) : ufrag_(std::move(ufrag)), tcp_(tcp) {
    fd_ = ::socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    int big = 4 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  }
  ~Peer() override { ::close(fd_); }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  // What the SFU needs from this peer's "SDP".
  RemoteTransportParams remote_params() const {
    RemoteTransportParams r;
    r.ice_ufrag = ufrag_;
    r.fingerprint = ctx_->fingerprint_sha256();
    r.dtls_role = rtc::dtls::Role::Server;
    return r;
  }

  // ICE check (nominating) then the DTLS handshake as client; true when SRTP is up.
  bool connect(const LocalTransportParams& server, int timeout_ms = 5000) {
    server_ufrag_ = server.ice_ufrag;
    server_pwd_ = server.ice_pwd;
    std::memset(&server_, 0, sizeof server_);
    const IceCandidate* candidate = nullptr;
    for (const auto& c : server.candidates) {
      if (c.protocol == (tcp_ ? "tcp" : "udp")) candidate = &c;
    }
    if (candidate == nullptr) return false;
    server_.sin_family = AF_INET;
    server_.sin_port = htons(candidate->port);
    ::inet_pton(AF_INET, candidate->ip.c_str(), &server_.sin_addr);
    if (tcp_ && ::connect(fd_, reinterpret_cast<const sockaddr*>(&server_), sizeof server_) != 0) return false;
    if (!dtls_.set_remote_fingerprint("sha-256", server.fingerprint).is_ok()) return false;
    send(check(true));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (stun_ok_ == 0 && std::chrono::steady_clock::now() < deadline) pump(50);
    if (stun_ok_ == 0) return false;
    dtls_.start(rtc::dtls::Role::Client);
    while (!srtp_out_ && std::chrono::steady_clock::now() < deadline) {
      pump(50);
      if (auto t = dtls_.timeout(); t && t->count() <= 0) dtls_.on_timeout();
    }
    return srtp_out_ != nullptr;
  }

  Bytes check(bool nominate, std::uint8_t id = 1) const {
    rtc::stun::TransactionId tid{};
    tid[0] = id;
    tid[1] = static_cast<std::uint8_t>(fd_);
    rtc::stun::MessageBuilder b(rtc::stun::kMethodBinding, rtc::stun::Class::Request, tid);
    b.add_username(server_ufrag_ + ":" + ufrag_).add_priority(2122194687);
    b.add_ice_controlling(0x1234);
    if (nominate) b.add_use_candidate();
    b.add_message_integrity(server_pwd_).add_fingerprint();
    return b.bytes();
  }

  // Consent freshness (RFC 7675): browsers repeat a check every few seconds.
  void refresh_consent() const { send(check(false, 2)); }

  void send(std::span<const std::uint8_t> d) const {
    if (tcp_) {
      auto framed = rtc::ice::frame_for_tcp(d);
      if (framed.ok()) (void)::send(fd_, framed->data(), framed->size(), MSG_NOSIGNAL);
      return;
    }
    ::sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<const sockaddr*>(&server_), sizeof server_);
  }

  // Protects and sends an RTP packet; returns the protected bytes.
  Bytes send_rtp(std::uint32_t ssrc, std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::size_t payload_size,
                 std::uint8_t audio_level_id = 0, std::uint8_t level = 127) {
    rtc::rtp::Header h;
    h.payload_type = pt;
    h.sequence_number = seq;
    h.timestamp = ts;
    h.ssrc = ssrc;
    rtc::rtp::PacketWriter w(h);
    std::uint8_t lv = static_cast<std::uint8_t>(0x80 | level);
    if (audio_level_id) w.add_extension(audio_level_id, std::span(&lv, 1));
    Bytes payload(payload_size);
    for (std::size_t i = 0; i < payload_size; ++i) payload[i] = static_cast<std::uint8_t>(seq + i);
    Bytes buf(1600);
    auto n = w.write(buf, payload);
    auto sealed = srtp_out_->protect_rtp(buf, *n);
    buf.resize(*sealed);
    send(buf);
    return buf;
  }

  void send_rtcp(Bytes compound) {
    const std::size_t n = compound.size();
    compound.resize(n + rtc::srtp::kMaxTrailer);
    auto sealed = srtp_out_->protect_rtcp(compound, n);
    compound.resize(*sealed);
    send(compound);
  }

  // Reads what arrives for up to timeout_ms (returns after the first batch).
  void pump(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return;
    for (;;) {
      Bytes d(2048);
      const ssize_t n = ::recv(fd_, d.data(), d.size(), MSG_DONTWAIT);
      if (n <= 0) return;
      d.resize(static_cast<std::size_t>(n));
      if (tcp_) {
        framer_.feed(d, [&](std::span<const std::uint8_t> frame) { on_datagram(Bytes(frame.begin(), frame.end())); });
      } else {
        on_datagram(std::move(d));
      }
    }
  }

  // Pumps until `pred()` or timeout; returns pred().
  template <typename F>
  bool wait(F pred, int timeout_ms = 3000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!pred() && std::chrono::steady_clock::now() < deadline) pump(20);
    return pred();
  }

  std::deque<Bytes> rtp;   // received, decrypted
  std::deque<Bytes> rtcp;  // received, decrypted compounds
  bool drop_next_rtp = false;  // simulates one lost packet
  int fd() const { return fd_; }
  int stun_responses() const { return stun_ok_; }

 private:
  void on_datagram(Bytes d) {
    switch (rtc::classify(d)) {
      case rtc::PacketKind::Stun: {
        auto m = rtc::stun::Message::parse(d);
        if (m.ok() && m->message_class() == rtc::stun::Class::SuccessResponse) ++stun_ok_;
        break;
      }
      case rtc::PacketKind::Dtls:
        dtls_.receive(d);
        break;
      case rtc::PacketKind::Rtp: {
        if (!srtp_in_) break;
        auto n = srtp_in_->unprotect_rtp(d, d.size());
        if (!n.ok()) break;
        d.resize(*n);
        if (drop_next_rtp) {
          drop_next_rtp = false;
          break;
        }
        rtp.push_back(std::move(d));
        break;
      }
      case rtc::PacketKind::Rtcp: {
        if (!srtp_in_) break;
        auto n = srtp_in_->unprotect_rtcp(d, d.size());
        if (!n.ok()) break;
        d.resize(*n);
        rtcp.push_back(std::move(d));
        break;
      }
      default:
        break;
    }
  }
  void on_dtls_send(std::span<const std::uint8_t> d) override { send(d); }
  void on_dtls_state(rtc::dtls::Transport::State) override {}
  void on_dtls_srtp_keys(const rtc::dtls::SrtpKeys& k) override {
    srtp_in_ = std::move(*rtc::srtp::Session::create(k.profile, rtc::srtp::Session::Direction::Inbound, k.remote));
    srtp_out_ = std::move(*rtc::srtp::Session::create(k.profile, rtc::srtp::Session::Direction::Outbound, k.local));
  }

  std::string ufrag_;
  bool tcp_ = false;
  rtc::ice::TcpFramer framer_;
  std::string server_ufrag_, server_pwd_;
  int fd_ = -1;
  sockaddr_in server_{};
  int stun_ok_ = 0;
  std::shared_ptr<const rtc::dtls::Context> ctx_ = *rtc::dtls::Context::create();
  rtc::dtls::Transport dtls_{ctx_, *this};
  std::unique_ptr<rtc::srtp::Session> srtp_in_, srtp_out_;
};

}  // namespace parley::sfu::test
