// The one-port demultiplexer: STUN by ufrag, everything else by a path ICE
// validated; bindings follow IceServer's path events, so media from a path
// whose consent expired (or that never did ICE) is dropped.
#include <gtest/gtest.h>

#include <vector>

#include "rtc/ice/demuxer.hpp"
#include "rtc/ice/ice_server.hpp"
#include "rtc/rtp/packet.hpp"

namespace parley::rtc::ice {
namespace {

using Bytes = std::vector<std::uint8_t>;

Path path(const char* ip, std::uint16_t port, bool tcp = false) {
  return Path{*SocketAddress::from_string(ip, port), tcp, 0};
}

Bytes check(std::string_view username, std::string_view pwd, std::uint8_t id = 1) {
  stun::TransactionId tid{};
  tid[0] = id;
  stun::MessageBuilder b(stun::kMethodBinding, stun::Class::Request, tid);
  b.add_username(username).add_priority(1).add_ice_controlling(7).add_message_integrity(pwd).add_fingerprint();
  return b.bytes();
}

Bytes rtp_packet() {
  rtp::Header h;
  h.payload_type = 96;
  h.ssrc = 5;
  rtp::PacketWriter w(h);
  Bytes out(100);
  const std::uint8_t payload[] = {1, 2, 3};
  out.resize(*w.write(out, payload));
  return out;
}

// Binds and unbinds as a media worker does.
struct Worker : IceServer::Listener {
  Demuxer& demux;
  Demuxer::TransportId id;
  Worker(Demuxer& d, Demuxer::TransportId i) : demux(d), id(i) {}
  void on_ice_send(std::span<const std::uint8_t>, const Path&) override {}
  void on_ice_selected_path(const Path&) override {}
  void on_ice_state(IceServer::State) override {}
  void on_ice_path_valid(const Path& p) override { demux.bind(p, id); }
  void on_ice_path_expired(const Path& p) override { demux.unbind(p); }
};

TEST(Demuxer, RoutesStunByUfragAndMediaByValidatedPath) {
  Demuxer demux;
  ASSERT_TRUE(demux.add_ufrag("aaaa", 1));
  ASSERT_TRUE(demux.add_ufrag("bbbb", 2));
  EXPECT_FALSE(demux.add_ufrag("aaaa", 2));  // taken
  EXPECT_TRUE(demux.add_ufrag("aaaa", 1));   // idempotent
  Worker w1(demux, 1), w2(demux, 2);
  IceServer ice1(w1, "aaaa", "password-of-transport1");
  IceServer ice2(w2, "bbbb", "password-of-transport2");
  const Path alice = path("192.0.2.10", 5000);
  const Path bob = path("192.0.2.20", 6000);
  const Bytes media = rtp_packet();

  // Media before ICE: dropped.
  EXPECT_FALSE(demux.route(media, alice).has_value());
  EXPECT_EQ(demux.counters().unknown_path, 1u);

  // Each browser's check reaches its transport by ufrag.
  auto deliver = [&](const Bytes& d, const Path& from) {
    auto r = demux.route(d, from);
    if (!r) return false;
    if (r->kind == PacketKind::Stun) (r->transport == 1 ? ice1 : ice2).receive(*r->stun, from, 0);
    return true;
  };
  ASSERT_TRUE(deliver(check("aaaa:x", "password-of-transport1"), alice));
  ASSERT_TRUE(deliver(check("bbbb:y", "password-of-transport2"), bob));
  EXPECT_FALSE(deliver(check("cccc:z", "whatever"), bob));
  EXPECT_EQ(demux.counters().unknown_ufrag, 1u);
  EXPECT_EQ(demux.path_count(), 2u);

  auto r = demux.route(media, alice);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, PacketKind::Rtp);
  EXPECT_EQ(r->transport, 1u);
  r = demux.route(media, bob);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->transport, 2u);
  // The same address over TCP, or another port, is another path.
  EXPECT_FALSE(demux.route(media, path("192.0.2.10", 5000, true)).has_value());
  EXPECT_FALSE(demux.route(media, path("192.0.2.10", 5001)).has_value());

  // A check with a wrong password is answered 401 but binds nothing.
  ASSERT_TRUE(deliver(check("aaaa:x", "wrong-password-abcdefg"), path("198.51.100.9", 1)));
  EXPECT_FALSE(demux.route(media, path("198.51.100.9", 1)).has_value());

  // Consent expires: the path is unbound and media is dropped again.
  ice1.on_timer(30000);
  EXPECT_FALSE(demux.route(media, alice).has_value());
  EXPECT_TRUE(demux.route(media, bob).has_value());
  EXPECT_EQ(demux.path_count(), 1u);

  // Removing a transport forgets its ufrags and paths.
  demux.remove_transport(2);
  EXPECT_FALSE(demux.route(media, bob).has_value());
  EXPECT_FALSE(demux.route(check("bbbb:y", "password-of-transport2"), bob).has_value());
  EXPECT_EQ(demux.ufrag_count(), 1u);
}

TEST(Demuxer, DropsWhatIsNotForAnyTransport) {
  Demuxer demux;
  const Path p = path("192.0.2.1", 1);
  demux.bind(p, 9);
  EXPECT_FALSE(demux.route(Bytes{}, p).has_value());
  EXPECT_FALSE(demux.route(Bytes{0x40, 0x00, 0x00, 0x00}, p).has_value());  // TURN channel data
  EXPECT_EQ(demux.counters().unknown_kind, 2u);
  Bytes broken = check("a:b", "p");
  broken.pop_back();  // no longer a whole message
  EXPECT_FALSE(demux.route(broken, p).has_value());
  EXPECT_EQ(demux.counters().malformed_stun, 1u);
  // STUN without USERNAME (a keepalive indication) goes by path.
  stun::MessageBuilder ind(stun::kMethodBinding, stun::Class::Indication, stun::TransactionId{});
  auto r = demux.route(ind.bytes(), p);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->transport, 9u);
  ASSERT_TRUE(r->stun.has_value());
  EXPECT_EQ(r->stun->message_class(), stun::Class::Indication);
  // DTLS and RTCP by path.
  EXPECT_EQ(demux.route(Bytes{22, 0xfe, 0xfd, 0, 0}, p)->kind, PacketKind::Dtls);
  EXPECT_EQ(demux.route(Bytes{0x81, 0xc9, 0, 1, 0, 0, 0, 1}, p)->kind, PacketKind::Rtcp);
  demux.unbind(p);
  EXPECT_FALSE(demux.route(Bytes{22, 0xfe, 0xfd, 0, 0}, p).has_value());
  EXPECT_NE(PathHash{}(path("192.0.2.1", 1)), PathHash{}(path("192.0.2.1", 2)));
}

}  // namespace
}  // namespace parley::rtc::ice
