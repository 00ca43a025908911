// SDP offer/answer on top of a room: Chromium's real offer on the publish
// side, the SFU's offer on the subscribe side, and a call driven only by
// SDP between rtc/ endpoints over loopback UDP.
#include "sfu/negotiation.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>

#include "rtc/sdp/webrtc.hpp"
#include "sfu/sfu.hpp"
#include "test_peer.hpp"

namespace parley::sfu {
namespace {

namespace sdp = rtc::sdp;
using test::Bytes;
using test::on_worker;
using test::Peer;

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/server/tests/rtc/fixtures/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Our transport as the SFU's SDP describes it (what a browser would use).
LocalTransportParams transport_of(const std::string& text) {
  auto d = sdp::parse_webrtc(text);
  EXPECT_TRUE(d.ok()) << d.status().to_string();
  LocalTransportParams p;
  for (const auto& m : d->media) {
    if (m.port == 0) continue;
    p.ice_ufrag = m.ice_ufrag;
    p.ice_pwd = m.ice_pwd;
    p.fingerprint = m.fingerprint->value;
    p.candidates.push_back({m.candidates.at(0).address, m.candidates.at(0).port, "udp"});
    break;
  }
  return p;
}

// The browser's side: an offer publishing one Opus stream, and answers to
// the SFU's subscribe offers (recvonly, a=setup:active).
sdp::MediaSection peer_section(const Peer& peer, sdp::Setup setup) {
  sdp::MediaSection m;
  m.ice_ufrag = peer.remote_params().ice_ufrag;
  m.ice_pwd = "peer-password-0123456789";
  m.fingerprint = sdp::Fingerprint{"sha-256", peer.remote_params().fingerprint};
  m.setup = setup;
  m.rtcp_mux = true;
  m.rtcp_rsize = true;
  return m;
}

std::string publish_offer(const Peer& peer, std::uint32_t ssrc) {
  sdp::WebRtcDescription d;
  sdp::MediaSection m = peer_section(peer, sdp::Setup::ActPass);
  m.kind = sdp::MediaKind::Audio;
  m.mid = "0";
  m.direction = sdp::Direction::SendOnly;
  sdp::Codec opus;
  opus.payload_type = 111;
  opus.name = "opus";
  opus.clock_rate = 48000;
  opus.channels = 2;
  opus.parameters = {{"minptime", "10"}, {"useinbandfec", "1"}};
  opus.feedback = {"transport-cc"};
  m.codecs.push_back(opus);
  m.extensions.push_back({1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", {}, ""});
  m.extensions.push_back({3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", {}, ""});
  m.extensions.push_back({4, "urn:ietf:params:rtp-hdrext:sdes:mid", {}, ""});
  m.msids.push_back({"stream-a", "track-a"});
  m.ssrcs.push_back({ssrc, "cname-a", sdp::Msid{"stream-a", "track-a"}});
  d.media.push_back(m);
  d.bundle_groups.push_back({"0"});
  return sdp::serialize(sdp::to_sdp(d));
}

std::string answer_to(const Peer& peer, const std::string& offer_text) {
  auto offer = sdp::parse_webrtc(offer_text);
  EXPECT_TRUE(offer.ok());
  sdp::WebRtcDescription d;
  std::vector<std::string> bundle;
  for (const auto& o : offer->media) {
    sdp::MediaSection m = peer_section(peer, sdp::Setup::Active);
    m.kind = o.kind;
    m.mid = o.mid;
    m.codecs = o.codecs;
    m.extensions = o.extensions;
    m.port = o.port;
    m.direction = o.port == 0 ? sdp::Direction::Inactive : sdp::Direction::RecvOnly;
    if (o.port != 0) bundle.push_back(o.mid);
    d.media.push_back(m);
  }
  if (!bundle.empty()) d.bundle_groups.push_back(bundle);
  return sdp::serialize(sdp::to_sdp(d));
}

class NegotiationTest : public ::testing::Test, public Room::Listener {
 protected:
  void SetUp() override {
    Sfu::Options o;
    o.workers = 2;
    auto s = Sfu::create(o, base::SystemClock::instance(), base::SystemRandom::instance());
    ASSERT_TRUE(s.ok());
    sfu = std::move(*s);
    sfu->start();
    sfu->place();
    worker = &sfu->place();  // the second worker: rooms are placed round-robin
    EXPECT_EQ(worker->index(), 1u);
    room = on_worker(*worker, [&] { return *worker->create_room("r", this); });
    neg = std::make_unique<SdpNegotiator>(*room);
  }
  void TearDown() override {
    on_worker(*worker, [&] {
      neg.reset();
      return 0;
    });
    sfu->stop();
  }
  void on_renegotiate(const std::string& p) override { renegotiate.push_back(p); }  // worker thread only

  std::unique_ptr<Sfu> sfu;
  Worker* worker = nullptr;
  Room* room = nullptr;
  std::unique_ptr<SdpNegotiator> neg;
  std::vector<std::string> renegotiate;
};

TEST_F(NegotiationTest, AnswersChromiumsOfferAndOffersItsStreamsToOthers) {
  ASSERT_TRUE(on_worker(*worker, [&] { return room->join("a"); }).ok());
  ASSERT_TRUE(on_worker(*worker, [&] { return room->join("b"); }).ok());
  auto answer = on_worker(*worker, [&] { return neg->on_publish_offer("a", fixture("chromium_offer.sdp")); });
  ASSERT_TRUE(answer.ok()) << answer.status().to_string();
  auto a = sdp::parse_webrtc(*answer);
  ASSERT_TRUE(a.ok()) << a.status().to_string() << "\n" << *answer;
  EXPECT_TRUE(a->ice_lite);
  ASSERT_EQ(a->media.size(), 2u);
  EXPECT_EQ(a->bundle_groups, (std::vector<std::vector<std::string>>{{"0", "1"}}));
  const auto& audio = a->media[0];
  EXPECT_EQ(audio.direction, sdp::Direction::RecvOnly);
  EXPECT_EQ(audio.setup, sdp::Setup::Passive);
  ASSERT_EQ(audio.codecs.size(), 1u);
  EXPECT_EQ(audio.codecs[0].name, "opus");
  EXPECT_TRUE(sdp::opus_in_band_fec(audio.codecs[0]));
  EXPECT_EQ(audio.candidates.at(0).port, worker->port());
  for (const auto& e : audio.extensions) EXPECT_EQ(e.uri.find("transport-wide"), std::string::npos);
  const auto& video = a->media[1];
  ASSERT_EQ(video.codecs.size(), 1u);
  EXPECT_EQ(video.codecs[0].name, "VP8");
  EXPECT_TRUE(video.codecs[0].rtx_payload_type.has_value());
  EXPECT_TRUE(video.codecs[0].has_feedback("nack"));
  EXPECT_TRUE(video.codecs[0].has_feedback("nack pli"));
  EXPECT_FALSE(video.codecs[0].has_feedback("transport-cc"));

  const ProducerId pa = on_worker(*worker, [&] { return neg->producer_for("a", "0"); });
  const ProducerId pv = on_worker(*worker, [&] { return neg->producer_for("a", "1"); });
  ASSERT_NE(pa, 0u);
  ASSERT_NE(pv, 0u);
  auto vparams = on_worker(*worker, [&] { return room->producer(pv)->params(); });
  EXPECT_EQ(vparams.ssrc, 2936109109u);
  EXPECT_EQ(vparams.rtx_ssrc, 2839751320u);
  EXPECT_EQ(on_worker(*worker, [&] { return room->producer(pa)->params().audio_level_id; }), 1);
  EXPECT_EQ(on_worker(*worker, [&] { return renegotiate; }), (std::vector<std::string>{"b", "b"}));

  // b's subscribe offer: both of a's streams, sendonly, with their SSRCs.
  auto offer = on_worker(*worker, [&] { return neg->subscribe_offer("b"); });
  ASSERT_TRUE(offer.ok());
  auto o = sdp::parse_webrtc(*offer);
  ASSERT_TRUE(o.ok()) << o.status().to_string() << "\n" << *offer;
  ASSERT_EQ(o->media.size(), 2u);
  const auto infos = on_worker(*worker, [&] { return room->consumers("b"); });
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& m = o->media[i];
    EXPECT_EQ(m.direction, sdp::Direction::SendOnly);
    EXPECT_EQ(m.setup, sdp::Setup::ActPass);
    EXPECT_EQ(m.ssrcs.at(0).ssrc, infos[i].ssrc);
    for (const auto& e : m.extensions) EXPECT_EQ(e.uri.find("sdes:mid"), std::string::npos);
  }
  EXPECT_EQ(o->media[1].ssrc_groups.at(0).ssrcs, (std::vector<std::uint32_t>{infos[1].ssrc, infos[1].rtx_ssrc}));

  // a stops its camera: the section stays, port 0 and inactive.
  std::string again = fixture("chromium_offer.sdp");
  const auto pos = again.find("m=video 39234");
  ASSERT_NE(pos, std::string::npos);
  again.replace(again.find("a=sendrecv", pos), 10, "a=inactive");
  auto answer2 = on_worker(*worker, [&] { return neg->on_publish_offer("a", again); });
  ASSERT_TRUE(answer2.ok()) << answer2.status().to_string();
  EXPECT_EQ(on_worker(*worker, [&] { return neg->producer_for("a", "1"); }), 0u);
  auto offer2 = on_worker(*worker, [&] { return neg->subscribe_offer("b"); });
  auto o2 = sdp::parse_webrtc(*offer2);
  ASSERT_TRUE(o2.ok());
  ASSERT_EQ(o2->media.size(), 2u);
  EXPECT_EQ(o2->media[1].port, 0);
  EXPECT_EQ(o2->media[1].direction, sdp::Direction::Inactive);
  EXPECT_EQ(o2->bundle_groups, (std::vector<std::vector<std::string>>{{"0"}}));
}

// When the publisher whose stream opened a subscriber's connection leaves,
// its section cannot be rejected: it is the BUNDLE group's tag, and a
// browser seeing the tag rejected moves the whole group to a new transport
// (new ICE and DTLS), which looked like a lost connection. It stays,
// bundled and inactive; the others' sections are rejected as usual.
TEST_F(NegotiationTest, TheBundleTagSurvivesItsPublisherLeaving) {
  for (const char* id : {"a", "c", "b"}) ASSERT_TRUE(on_worker(*worker, [&] { return room->join(id); }).ok());
  ASSERT_TRUE(on_worker(*worker, [&] { return neg->on_publish_offer("a", fixture("chromium_offer.sdp")); }).ok());
  std::string c_offer = fixture("chromium_offer.sdp");
  // c is another browser: its own SSRCs (a room refuses an SSRC it already forwards).
  for (auto [from, to] : {std::pair{"3382146835", "1111111110"}, {"2936109109", "1111111111"},
                          {"2839751320", "1111111112"}}) {
    for (auto at = c_offer.find(from); at != std::string::npos; at = c_offer.find(from)) c_offer.replace(at, 10, to);
  }
  auto c_answer = on_worker(*worker, [&] { return neg->on_publish_offer("c", c_offer); });
  ASSERT_TRUE(c_answer.ok()) << c_answer.status().to_string();
  auto first = on_worker(*worker, [&] { return neg->subscribe_offer("b"); });
  auto o1 = sdp::parse_webrtc(*first);
  ASSERT_TRUE(o1.ok());
  ASSERT_EQ(o1->media.size(), 4u);
  ASSERT_EQ(o1->bundle_groups.size(), 1u);
  const std::string tag = o1->bundle_groups[0].front();
  EXPECT_EQ(tag, o1->media[0].mid);
  EXPECT_EQ(o1->media[0].msids.at(0).stream, "a");

  on_worker(*worker, [&] {
    room->leave("a");
    neg->forget("a");
    return 0;
  });
  auto second = on_worker(*worker, [&] { return neg->subscribe_offer("b"); });
  auto o2 = sdp::parse_webrtc(*second);
  ASSERT_TRUE(o2.ok()) << o2.status().to_string() << "\n" << *second;
  ASSERT_EQ(o2->media.size(), 4u);
  EXPECT_EQ(o2->bundle_groups.at(0).front(), tag);
  EXPECT_NE(o2->media[0].port, 0) << "the tag keeps its transport";
  EXPECT_EQ(o2->media[0].direction, sdp::Direction::Inactive);
  EXPECT_FALSE(o2->media[0].ice_ufrag.empty());
  EXPECT_EQ(o2->media[1].port, 0) << "a's other section is rejected";
  EXPECT_EQ(o2->media[2].direction, sdp::Direction::SendOnly);
  EXPECT_EQ(o2->media[3].direction, sdp::Direction::SendOnly);
}

TEST_F(NegotiationTest, RejectsBadOffers) {
  ASSERT_TRUE(on_worker(*worker, [&] { return room->join("a"); }).ok());
  EXPECT_FALSE(on_worker(*worker, [&] { return neg->on_publish_offer("a", "v=0\r\nnonsense"); }).ok());
  EXPECT_FALSE(on_worker(*worker, [&] { return neg->on_publish_offer("nobody", fixture("chromium_offer.sdp")); }).ok());
  EXPECT_EQ(on_worker(*worker, [&] { return neg->on_subscribe_answer("a", "v=0\r\n"); }).code(),
            base::Code::Conflict);
}

TEST_F(NegotiationTest, ACallDrivenOnlyBySdp) {
  Peer a_pub("apub"), b_sub("bsub");
  ASSERT_TRUE(on_worker(*worker, [&] { return room->join("a"); }).ok());
  ASSERT_TRUE(on_worker(*worker, [&] { return room->join("b"); }).ok());
  auto answer = on_worker(*worker, [&] { return neg->on_publish_offer("a", publish_offer(a_pub, 4242)); });
  ASSERT_TRUE(answer.ok()) << answer.status().to_string();
  ASSERT_TRUE(a_pub.connect(transport_of(*answer)));

  auto offer = on_worker(*worker, [&] { return neg->subscribe_offer("b"); });
  ASSERT_TRUE(offer.ok());
  const std::string b_answer = answer_to(b_sub, *offer);
  ASSERT_TRUE(on_worker(*worker, [&] { return neg->on_subscribe_answer("b", b_answer); }).is_ok());
  ASSERT_TRUE(b_sub.connect(transport_of(*offer)));
  auto o = sdp::parse_webrtc(*offer);
  const std::uint32_t ssrc = o->media.at(0).ssrcs.at(0).ssrc;

  for (std::uint16_t i = 0; i < 10; ++i) a_pub.send_rtp(4242, 111, i, i * 960u, 80, 1, 30);
  ASSERT_TRUE(b_sub.wait([&] {
    std::size_t n = 0;
    for (auto& d : b_sub.rtp) n += d.size() >= 12 && rtc::load_u32(d.data() + 8) == ssrc;
    return n >= 10;
  }));
  // The next subscribe offer keeps the negotiated DTLS role.
  auto offer2 = on_worker(*worker, [&] { return neg->subscribe_offer("b"); });
  EXPECT_EQ(sdp::parse_webrtc(*offer2)->media.at(0).setup, sdp::Setup::Passive);
}

}  // namespace
}  // namespace parley::sfu
