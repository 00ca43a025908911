// The pieces of rtc/ composed the way a media worker will compose them on
// one UDP port: classify each datagram, let STUN reach ICE-lite, accept DTLS
// and SRTP only from a path ICE validated, and carry media both ways after
// the DTLS-SRTP handshake. The "client" is rtc/ in the browser's role (as
// the load generator will use it); the network is a function call.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <vector>

#include "rtc/demux.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/ice/ice_server.hpp"
#include "rtc/rtcp/rtcp.hpp"
#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/packet.hpp"
#include "rtc/srtp/session.hpp"
#include "rtc/stun/stun.hpp"

namespace parley::rtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::string_view kServerUfrag = "srv1";
constexpr std::string_view kServerPwd = "server-password-22char";
constexpr std::string_view kClientUfrag = "cli1";

// The server side of one transport on a shared port.
struct Server : ice::IceServer::Listener, dtls::Transport::Listener {
  std::shared_ptr<const dtls::Context> ctx = *dtls::Context::create();
  ice::IceServer ice{*this, std::string(kServerUfrag), std::string(kServerPwd)};
  dtls::Transport dtls{ctx, *this};
  std::unique_ptr<srtp::Session> srtp_in, srtp_out;
  std::deque<std::pair<Bytes, ice::Path>> to_client;
  std::vector<Bytes> media;  // RTP received, unprotected
  int dropped = 0;

  void on_ice_send(std::span<const std::uint8_t> m, const ice::Path& p) override {
    to_client.emplace_back(Bytes(m.begin(), m.end()), p);
  }
  void on_ice_selected_path(const ice::Path&) override {}
  void on_ice_state(ice::IceServer::State) override {}
  void on_dtls_send(std::span<const std::uint8_t> d) override {
    // DTLS goes out on the selected path only.
    ASSERT_TRUE(ice.selected_path().has_value());
    to_client.emplace_back(Bytes(d.begin(), d.end()), *ice.selected_path());
  }
  void on_dtls_state(dtls::Transport::State) override {}
  void on_dtls_srtp_keys(const dtls::SrtpKeys& k) override {
    srtp_in = std::move(*srtp::Session::create(k.profile, srtp::Session::Direction::Inbound, k.remote));
    srtp_out = std::move(*srtp::Session::create(k.profile, srtp::Session::Direction::Outbound, k.local));
  }

  void on_datagram(Bytes d, const ice::Path& from, std::int64_t now_ms) {
    switch (classify(d)) {
      case PacketKind::Stun: {
        auto m = stun::Message::parse(d);
        if (!m.ok()) break;
        ice.receive(*m, from, now_ms);
        return;
      }
      case PacketKind::Dtls:
        if (!ice.is_valid(from)) break;
        dtls.receive(d);
        return;
      case PacketKind::Rtp: {
        if (!ice.is_valid(from) || !srtp_in) break;
        auto n = srtp_in->unprotect_rtp(d, d.size());
        if (!n.ok()) break;
        d.resize(*n);
        media.push_back(d);
        return;
      }
      default:
        break;
    }
    ++dropped;
  }
};

// The browser's side: sends checks, is the DTLS client, sends media.
struct Client : dtls::Transport::Listener {
  std::shared_ptr<const dtls::Context> ctx = *dtls::Context::create();
  dtls::Transport dtls{ctx, *this};
  std::unique_ptr<srtp::Session> srtp_in, srtp_out;
  std::deque<Bytes> to_server;
  int stun_ok = 0;

  void on_dtls_send(std::span<const std::uint8_t> d) override { to_server.emplace_back(d.begin(), d.end()); }
  void on_dtls_state(dtls::Transport::State) override {}
  void on_dtls_srtp_keys(const dtls::SrtpKeys& k) override {
    srtp_in = std::move(*srtp::Session::create(k.profile, srtp::Session::Direction::Inbound, k.remote));
    srtp_out = std::move(*srtp::Session::create(k.profile, srtp::Session::Direction::Outbound, k.local));
  }

  Bytes check(std::uint8_t id, bool nominate) {
    stun::TransactionId tid{};
    tid[0] = id;
    stun::MessageBuilder b(stun::kMethodBinding, stun::Class::Request, tid);
    b.add_username(std::string(kServerUfrag) + ":" + std::string(kClientUfrag)).add_priority(2122194687);
    b.add_ice_controlling(0x1234);
    if (nominate) b.add_use_candidate();
    b.add_message_integrity(kServerPwd).add_fingerprint();
    return b.bytes();
  }

  void on_datagram(const Bytes& d) {
    if (classify(d) == PacketKind::Stun) {
      auto m = stun::Message::parse(d);
      ASSERT_TRUE(m.ok());
      EXPECT_TRUE(m->verify_message_integrity(kServerPwd));
      if (m->message_class() == stun::Class::SuccessResponse) ++stun_ok;
    } else if (classify(d) == PacketKind::Dtls) {
      dtls.receive(d);
    }
  }
};

TEST(OnePort, IceThenDtlsThenSrtpOnOnePath) {
  Server server;
  Client client;
  const ice::Path path{*SocketAddress::from_string("192.0.2.2", 35761), false, 0};
  const ice::Path stranger{*SocketAddress::from_string("203.0.113.66", 4000), false, 0};
  auto flush = [&](std::int64_t now) {
    for (int i = 0; i < 100 && (!client.to_server.empty() || !server.to_client.empty()); ++i) {
      while (!client.to_server.empty()) {
        Bytes d = std::move(client.to_server.front());
        client.to_server.pop_front();
        server.on_datagram(std::move(d), path, now);
      }
      while (!server.to_client.empty()) {
        auto [d, to] = std::move(server.to_client.front());
        server.to_client.pop_front();
        EXPECT_EQ(to, path);
        client.on_datagram(d);
      }
    }
  };

  ASSERT_TRUE(server.dtls.set_remote_fingerprint("sha-256", client.ctx->fingerprint_sha256()).is_ok());
  ASSERT_TRUE(client.dtls.set_remote_fingerprint("sha-256", server.ctx->fingerprint_sha256()).is_ok());
  server.ice.set_remote_ufrag(std::string(kClientUfrag));
  server.dtls.start(dtls::Role::Server);  // the SFU answers a=setup:passive

  // DTLS before ICE is dropped: the path is not valid yet.
  client.dtls.start(dtls::Role::Client);
  const std::size_t hello = client.to_server.size();
  ASSERT_GT(hello, 0u);
  auto early = client.to_server;
  for (auto& d : early) server.on_datagram(d, path, 0);
  EXPECT_EQ(server.dropped, static_cast<int>(hello));

  // The browser's checks; its ClientHello (still queued) now follows the
  // first check onto a valid path, and the second check nominates.
  client.to_server.push_front(client.check(1, false));
  client.to_server.push_back(client.check(2, true));
  flush(10);
  EXPECT_EQ(client.stun_ok, 2);
  EXPECT_EQ(server.ice.state(), ice::IceServer::State::Completed);
  ASSERT_EQ(server.dtls.state(), dtls::Transport::State::Connected) << server.dtls.error();
  ASSERT_EQ(client.dtls.state(), dtls::Transport::State::Connected) << client.dtls.error();
  ASSERT_TRUE(server.srtp_in && client.srtp_out);

  // Media from the browser arrives, is unprotected and parses.
  for (std::uint16_t seq = 1; seq <= 5; ++seq) {
    rtp::Header h;
    h.payload_type = 111;
    h.sequence_number = seq;
    h.ssrc = 3382146835u;
    rtp::PacketWriter w(h);
    const std::uint8_t mid[] = {'0'};
    w.add_extension(4, mid);
    Bytes payload(80, static_cast<std::uint8_t>(seq));
    Bytes buf(200);
    auto n = w.write(buf, payload);
    ASSERT_TRUE(n.ok());
    auto sealed = client.srtp_out->protect_rtp(buf, *n);
    ASSERT_TRUE(sealed.ok());
    buf.resize(*sealed);
    server.on_datagram(buf, path, 20);
    // The same bytes from an address that never did ICE: dropped.
    server.on_datagram(buf, stranger, 20);
  }
  ASSERT_EQ(server.media.size(), 5u);
  for (auto& m : server.media) {
    auto p = rtp::Packet::parse(m);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(rtp::read_sdes(*p, 4), "0");
    EXPECT_EQ(p->payload().size(), 80u);
  }
  EXPECT_EQ(server.dropped, static_cast<int>(hello) + 5);

  // Feedback from the SFU reaches the browser protected.
  Bytes fb(200);
  rtcp::Writer w(fb);
  ASSERT_TRUE(w.add_pli(1, 3382146835u));
  auto n = server.srtp_out->protect_rtcp(fb, w.size());
  ASSERT_TRUE(n.ok());
  fb.resize(*n);
  EXPECT_EQ(classify(fb), PacketKind::Rtcp);
  auto m = client.srtp_in->unprotect_rtcp(fb, fb.size());
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  auto c = rtcp::Compound::parse(std::span<const std::uint8_t>(fb.data(), *m));
  ASSERT_TRUE(c.ok());
  auto pli = rtcp::parse_pli(*c->begin());
  ASSERT_TRUE(pli.ok());
  EXPECT_EQ(pli->media_ssrc, 3382146835u);
}

}  // namespace
}  // namespace parley::rtc
