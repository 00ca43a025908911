// The SFU end to end over real loopback UDP: rtc/ endpoints in the
// browser's role publish to and subscribe from a media worker.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <mutex>

#include "rtc/rtp/extensions.hpp"
#include "sfu/retransmission_cache.hpp"
#include "sfu/sfu.hpp"
#include "test_peer.hpp"

namespace parley::sfu {
namespace {

using test::Bytes;
using test::on_worker;
using test::Peer;

struct Events : Room::Listener {
  std::mutex m;
  std::vector<std::string> renegotiate;
  std::vector<std::string> speakers;
  void on_renegotiate(const std::string& p) override {
    std::lock_guard l(m);
    renegotiate.push_back(p);
  }
  void on_active_speaker(const std::string& p) override {
    std::lock_guard l(m);
    speakers.push_back(p);
  }
  std::vector<std::string> failed;
  void on_transport_failed(const std::string& p) override {
    std::lock_guard l(m);
    failed.push_back(p);
  }
  std::vector<std::string> failed_copy() {
    std::lock_guard l(m);
    return failed;
  }
  std::vector<std::string> speakers_copy() {
    std::lock_guard l(m);
    return speakers;
  }
};

constexpr std::uint32_t kVideoSsrc = 0x11110000;
constexpr std::uint32_t kVideoRtxSsrc = 0x11110001;
constexpr std::uint32_t kAudioSsrc = 0x22220000;

class SfuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Sfu::Options o;
    o.workers = 1;
    o.worker.room.report_interval_ms = 200;
    o.worker.room.speaker_interval_ms = 100;
    auto s = Sfu::create(o, clock(), base::SystemRandom::instance());
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    sfu = std::move(*s);
    sfu->start();
    worker = &sfu->place();
    room = on_worker(*worker, [&] { return *worker->create_room("call-1", &events); });
  }
  void TearDown() override { sfu->stop(); }
  virtual base::Clock& clock() { return base::SystemClock::instance(); }

  // Joins `id`; connects its publish (and subscribe) transport to `pub` (`sub`).
  JoinResult join(const std::string& id, Peer* pub, Peer* sub) {
    auto r = on_worker(*worker, [&] { return room->join(id); });
    EXPECT_TRUE(r.ok());
    if (pub) {
      EXPECT_TRUE(on_worker(*worker, [&] { return room->connect(id, true, pub->remote_params()); }).is_ok());
      EXPECT_TRUE(pub->connect(r->publish_params));
    }
    if (sub) {
      EXPECT_TRUE(on_worker(*worker, [&] { return room->connect(id, false, sub->remote_params()); }).is_ok());
      EXPECT_TRUE(sub->connect(r->subscribe_params));
    }
    return *r;
  }

  ProducerId produce_video(const std::string& id) {
    ProducerParams p;
    p.kind = MediaKind::Video;
    p.mid = "1";
    p.ssrc = kVideoSsrc;
    p.rtx_ssrc = kVideoRtxSsrc;
    p.payload_type = 96;
    p.rtx_payload_type = 97;
    p.clock_rate = 90000;
    auto r = on_worker(*worker, [&] { return room->produce(id, p); });
    EXPECT_TRUE(r.ok());
    return *r;
  }

  ProducerId produce_audio(const std::string& id, std::uint32_t ssrc) {
    ProducerParams p;
    p.kind = MediaKind::Audio;
    p.mid = "0";
    p.ssrc = ssrc;
    p.payload_type = 111;
    p.clock_rate = 48000;
    p.audio_level_id = 1;
    auto r = on_worker(*worker, [&] { return room->produce(id, p); });
    EXPECT_TRUE(r.ok());
    return *r;
  }

  ConsumerInfo consumer_of(const std::string& sub, ProducerId pid) {
    auto all = on_worker(*worker, [&] { return room->consumers(sub); });
    for (auto& c : all) {
      if (c.producer == pid) return c;
    }
    ADD_FAILURE() << "no consumer";
    return {};
  }

  // RTP packets in `peer.rtp` on `ssrc`, parsed (header fields only).
  struct Seen {
    std::uint32_t ssrc;
    std::uint16_t seq;
    std::uint32_t ts;
    std::uint8_t pt;
    Bytes payload;
  };
  static std::vector<Seen> take(Peer& peer, std::uint32_t ssrc) {
    std::vector<Seen> out;
    std::deque<Bytes> rest;
    for (auto& d : peer.rtp) {
      auto p = rtc::rtp::Packet::parse(d);
      if (!p.ok() || p->ssrc() != ssrc) {
        rest.push_back(d);
        continue;
      }
      out.push_back({p->ssrc(), p->sequence_number(), p->timestamp(), p->payload_type(),
                     Bytes(p->payload().begin(), p->payload().end())});
    }
    peer.rtp = std::move(rest);
    return out;
  }

  static std::size_t count_ssrc(const Peer& peer, std::uint32_t ssrc) {
    std::size_t n = 0;
    for (auto& d : peer.rtp) {
      if (d.size() >= 12 && rtc::load_u32(d.data() + 8) == ssrc) ++n;
    }
    return n;
  }

  Events events;
  std::unique_ptr<Sfu> sfu;
  Worker* worker = nullptr;
  Room* room = nullptr;
};

TEST_F(SfuTest, MediaFlowsFromOnePublisherToTwoSubscribersWithRewrittenSsrcs) {
  Peer a_pub("apub"), b_sub("bsub"), c_sub("csub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  join("c", nullptr, &c_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video), cc = consumer_of("c", video);
  EXPECT_NE(cb.ssrc, kVideoSsrc);
  EXPECT_NE(cb.ssrc, cc.ssrc);
  EXPECT_NE(cb.rtx_ssrc, 0u);
  EXPECT_EQ(cb.payload_type, 96);
  EXPECT_EQ(cb.publisher, "a");
  {
    std::lock_guard l(events.m);
    EXPECT_EQ(events.renegotiate, (std::vector<std::string>{"b", "c"}));
  }

  for (std::uint16_t i = 0; i < 30; ++i) a_pub.send_rtp(kVideoSsrc, 96, 1000 + i, 5000 + i * 3000, 900);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 30; }));
  ASSERT_TRUE(c_sub.wait([&] { return count_ssrc(c_sub, cc.ssrc) >= 30; }));
  for (auto [peer, info] : {std::pair{&b_sub, cb}, std::pair{&c_sub, cc}}) {
    auto seen = take(*peer, info.ssrc);
    ASSERT_EQ(seen.size(), 30u);
    for (std::size_t i = 1; i < seen.size(); ++i) {
      EXPECT_EQ(static_cast<std::uint16_t>(seen[i].seq - seen[0].seq), i);
      EXPECT_EQ(seen[i].ts - seen[0].ts, i * 3000);
      EXPECT_EQ(seen[i].pt, 96);
    }
    EXPECT_EQ(seen[7].payload.size(), 900u);
    EXPECT_EQ(seen[7].payload[0], static_cast<std::uint8_t>(1007));
  }
  auto fwd = on_worker(*worker, [&] { return room->counters().forwarded; });
  EXPECT_EQ(fwd, 60u);
}

// RFC 6544: a peer whose network blocks UDP publishes over ICE-TCP and a
// UDP subscriber receives it; the reverse direction works too.
TEST_F(SfuTest, IceTcpCarriesMediaBothWays) {
  Peer a_pub("apub", /*tcp=*/true), b_sub("bsub"), c_sub("csub", /*tcp=*/true);
  const JoinResult ja = join("a", &a_pub, nullptr);
  ASSERT_EQ(ja.publish_params.candidates.size(), 2u);
  EXPECT_EQ(ja.publish_params.candidates[1].protocol, "tcp");
  EXPECT_EQ(ja.publish_params.candidates[1].port, worker->tcp_port());
  join("b", nullptr, &b_sub);
  join("c", nullptr, &c_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video), cc = consumer_of("c", video);
  for (std::uint16_t i = 0; i < 40; ++i) a_pub.send_rtp(kVideoSsrc, 96, 100 + i, 9000 + i * 3000, 1100);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 40; }));
  ASSERT_TRUE(c_sub.wait([&] { return count_ssrc(c_sub, cc.ssrc) >= 40; }));
  auto seen = take(c_sub, cc.ssrc);
  ASSERT_EQ(seen.size(), 40u);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_EQ(static_cast<std::uint16_t>(seen[i].seq - seen[0].seq), i);
  EXPECT_EQ(seen[3].payload.size(), 1100u);
}

// A TCP connection that never completes ICE is closed, and bytes sent on it
// before are dropped like any unvalidated path's.
TEST_F(SfuTest, IceTcpConnectionsWithoutIceAreDroppedAndClosed) {
  Sfu::Options o;
  o.workers = 1;
  o.worker.tcp_ice_timeout_ms = 300;
  auto s = Sfu::create(o, base::SystemClock::instance(), base::SystemRandom::instance());
  ASSERT_TRUE(s.ok());
  (*s)->start();
  Worker& w = (*s)->worker(0);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(w.tcp_port());
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::uint8_t junk[] = {0x00, 0x04, 0x80, 0x60, 0x00, 0x01};  // a framed 4-byte "RTP" message
  ASSERT_EQ(::send(fd, junk, sizeof junk, MSG_NOSIGNAL), static_cast<ssize_t>(sizeof junk));
  // The worker closes the connection: recv() sees the end of the stream.
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 3000), 1);
  std::uint8_t buf[16];
  EXPECT_EQ(::recv(fd, buf, sizeof buf, 0), 0);
  ::close(fd);
  const auto counters = (*s)->counters();
  EXPECT_GE(counters.unknown_path + counters.unknown_kind, 1u);
  (*s)->stop();
}

TEST_F(SfuTest, LostPacketIsNackedAndRepairedWithRtx) {
  Peer a_pub("apub"), b_sub("bsub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video);

  for (std::uint16_t i = 0; i < 5; ++i) a_pub.send_rtp(kVideoSsrc, 96, 2000 + i, 90000 + i * 3000, 500);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 5; }));
  b_sub.drop_next_rtp = true;  // the sixth packet is "lost" on the way to b
  a_pub.send_rtp(kVideoSsrc, 96, 2005, 90000 + 5 * 3000, 500);
  for (std::uint16_t i = 6; i < 8; ++i) a_pub.send_rtp(kVideoSsrc, 96, 2000 + i, 90000 + i * 3000, 500);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 7; }));
  auto seen = take(b_sub, cb.ssrc);
  ASSERT_EQ(seen.size(), 7u);
  const std::uint16_t lost = static_cast<std::uint16_t>(seen[4].seq + 1);
  EXPECT_EQ(seen[5].seq, static_cast<std::uint16_t>(lost + 1));

  // b NACKs its own numbering of the lost packet, plus one never sent.
  Bytes nack(64);
  rtc::rtcp::Writer w(nack);
  const std::uint16_t lost_list[] = {lost, static_cast<std::uint16_t>(lost + 500)};
  ASSERT_TRUE(w.add_nack(0xB0B, cb.ssrc, lost_list));
  nack.resize(w.size());
  b_sub.send_rtcp(nack);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.rtx_ssrc) >= 1; }));
  ASSERT_EQ(b_sub.rtp.size(), 1u);
  auto rtx = rtc::rtp::Packet::parse(b_sub.rtp.front());
  ASSERT_TRUE(rtx.ok());
  EXPECT_EQ(rtx->payload_type(), 97);
  EXPECT_EQ(rtx->ssrc(), cb.rtx_ssrc);
  EXPECT_EQ(rtx->timestamp(), seen[4].ts + 3000);
  // RFC 4588: the OSN, then the original payload.
  ASSERT_EQ(rtx->payload().size(), 502u);
  EXPECT_EQ((rtx->payload()[0] << 8) | rtx->payload()[1], lost);
  EXPECT_EQ(rtx->payload()[2], static_cast<std::uint8_t>(2005));
  auto c = on_worker(*worker, [&] { return room->consumer("b", video)->counters(); });
  EXPECT_EQ(c.nacked, 2u);
  EXPECT_EQ(c.retransmitted, 1u);
  EXPECT_EQ(c.nack_misses, 1u);
  // The same, summed over the SFU for /metrics.
  const auto total = sfu->counters();
  EXPECT_EQ(total.retransmitted, 1u);
  EXPECT_EQ(total.nack_misses, 1u);
  EXPECT_EQ(total.forwarded, 8u);  // all 8 media packets (one lost after the SFU); the RTX counts apart
  EXPECT_EQ(total.rooms, 1u);
  EXPECT_EQ(total.transports, 4u);
}

TEST_F(SfuTest, PausedConsumerGetsNothingAndResumesWithoutASequenceGap) {
  Peer a_pub("apub"), b_sub("bsub"), c_sub("csub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  join("c", nullptr, &c_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video), cc = consumer_of("c", video);
  std::uint16_t seq = 300;
  auto send = [&](int n) {
    for (int i = 0; i < n; ++i, ++seq) a_pub.send_rtp(kVideoSsrc, 96, seq, seq * 3000u, 200);
  };
  send(3);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 3; }));
  ASSERT_TRUE(on_worker(*worker, [&] { return room->pause_consumer("b", video, true); }).is_ok());
  send(10);
  ASSERT_TRUE(c_sub.wait([&] { return count_ssrc(c_sub, cc.ssrc) >= 13; }));
  b_sub.pump(100);
  EXPECT_EQ(count_ssrc(b_sub, cb.ssrc), 3u);  // nothing while paused
  EXPECT_EQ(on_worker(*worker, [&] { return room->consumer("b", video)->counters().dropped_paused; }), 10u);

  ASSERT_TRUE(on_worker(*worker, [&] { return room->pause_consumer("b", video, false); }).is_ok());
  // Resuming video asks the publisher for a keyframe.
  ASSERT_TRUE(a_pub.wait([&] {
    for (auto& d : a_pub.rtcp) {
      auto c = rtc::rtcp::Compound::parse(d);
      if (!c.ok()) continue;
      for (auto v : *c) {
        if (v.type == 206 && v.count == 1 && rtc::rtcp::parse_pli(v)->media_ssrc == kVideoSsrc) return true;
      }
    }
    return false;
  }));
  send(2);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 5; }));
  auto seen = take(b_sub, cb.ssrc);
  ASSERT_EQ(seen.size(), 5u);
  for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(static_cast<std::uint16_t>(seen[i].seq - seen[i - 1].seq), 1);
  // The timestamp keeps real time: the 10 paused packets' span shows.
  EXPECT_EQ(seen[3].ts - seen[2].ts, 11u * 3000u);

  // A paused producer (mute) reaches nobody.
  ASSERT_TRUE(on_worker(*worker, [&] { return room->pause_producer(video, true); }).is_ok());
  send(4);
  c_sub.pump(100);
  b_sub.pump(50);
  EXPECT_EQ(count_ssrc(c_sub, cc.ssrc), 15u);  // 13 before, 2 after b resumed, none muted
  EXPECT_EQ(count_ssrc(b_sub, cb.ssrc), 0u);
}

TEST_F(SfuTest, KeyframeRequestsAreForwardedToThePublisherThrottled) {
  Peer a_pub("apub"), b_sub("bsub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video);
  a_pub.send_rtp(kVideoSsrc, 96, 1, 1, 100);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 1; }));
  for (int i = 0; i < 5; ++i) {
    Bytes pli(32);
    rtc::rtcp::Writer w(pli);
    ASSERT_TRUE(i % 2 ? w.add_pli(0xB0B, cb.ssrc) : w.add_fir(0xB0B, std::array{rtc::rtcp::FirEntry{cb.ssrc, 1}}));
    pli.resize(w.size());
    b_sub.send_rtcp(pli);
  }
  auto counters = [&] { return on_worker(*worker, [&] { return room->producer(video)->counters(); }); };
  ASSERT_TRUE(b_sub.wait([&] { return counters().keyframe_requests + counters().keyframe_throttled >= 5; }));
  EXPECT_EQ(counters().keyframe_requests, 1u);
  EXPECT_EQ(counters().keyframe_throttled, 4u);
  EXPECT_EQ(on_worker(*worker, [&] { return room->consumer("b", video)->counters().keyframe_requests; }), 5u);
  ASSERT_TRUE(a_pub.wait([&] { return !a_pub.rtcp.empty(); }));
}

TEST_F(SfuTest, UnverifiedAddressesAndGarbageAreDroppedAndCounted) {
  Peer a_pub("apub"), b_sub("bsub");
  auto ja = join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video);
  const Bytes sealed = a_pub.send_rtp(kVideoSsrc, 96, 10, 10, 300);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 1; }));

  // A stranger that never did ICE replays a's packet and floods garbage.
  Peer intruder("intr");
  LocalTransportParams lp = ja.publish_params;
  lp.ice_pwd = "wrong-password-wrong-pw";
  intruder.connect(lp, 200);  // its check fails MESSAGE-INTEGRITY: the path never becomes valid
  const auto before = on_worker(*worker, [&] { return worker->counters(); });
  for (int i = 0; i < 50; ++i) intruder.send(sealed);
  std::vector<Bytes> garbage = {
      Bytes{0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},  // truncated STUN
      Bytes(100, 0xFF),                             // unknown kind
      Bytes{0x80, 0x60, 0x00},                      // truncated RTP
      Bytes{22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0},  // DTLS record from nowhere
  };
  for (auto& g : garbage) intruder.send(g);
  // From a's valid path: RTP that fails SRTP authentication, RTCP garbage and a bad DTLS record.
  Bytes forged = sealed;
  forged[20] ^= 0x55;
  a_pub.send(forged);
  a_pub.send(Bytes{0x81, 0xC9, 0x00, 0x07, 1, 2, 3});
  a_pub.send(Bytes{23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 1, 2});
  // Still forwarding after all that.
  a_pub.send_rtp(kVideoSsrc, 96, 11, 20, 300);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 2; }));
  b_sub.pump(100);
  EXPECT_EQ(count_ssrc(b_sub, cb.ssrc), 2u);  // the replays were never forwarded
  const auto after = on_worker(*worker, [&] { return worker->counters(); });
  EXPECT_GE(after.unknown_path - before.unknown_path, 51u);  // 50 replays + the DTLS record
  EXPECT_GE(after.unknown_kind - before.unknown_kind, 1u);
  EXPECT_GE(after.malformed_stun - before.malformed_stun, 1u);
  EXPECT_GE(after.srtp_errors - before.srtp_errors, 2u);  // the forged RTP and the RTCP garbage
  EXPECT_EQ(on_worker(*worker, [&] { return room->counters().forwarded; }), 2u);
}

TEST_F(SfuTest, ReportsAndActiveSpeaker) {
  Peer a_pub("apub"), a_sub("asub"), b_pub("bpub"), b_sub("bsub");
  join("a", &a_pub, &a_sub);
  join("b", &b_pub, &b_sub);
  const ProducerId audio_a = produce_audio("a", kAudioSsrc);
  const ProducerId audio_b = produce_audio("b", kAudioSsrc + 1);
  const ConsumerInfo at_b = consumer_of("b", audio_a);
  // a talks loudly (level 10 = -10 dBov), b is near silence (110).
  std::uint16_t seq = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (events.speakers_copy().empty() && std::chrono::steady_clock::now() < deadline) {
    a_pub.send_rtp(kAudioSsrc, 111, seq, seq * 960u, 60, 1, 10);
    b_pub.send_rtp(kAudioSsrc + 1, 111, seq, seq * 960u, 60, 1, 110);
    ++seq;
    b_sub.pump(20);
    a_pub.pump(0);
  }
  ASSERT_FALSE(events.speakers_copy().empty());
  EXPECT_EQ(events.speakers_copy().front(), "a");
  EXPECT_EQ(on_worker(*worker, [&] { return room->active_speaker(); }), "a");
  (void)audio_b;

  // The publisher got a receiver report for its stream, the subscriber a
  // sender report for its consumer.
  auto has = [](Peer& p, std::uint8_t type, std::uint32_t ssrc) {
    return p.wait([&] {
      for (auto& d : p.rtcp) {
        auto c = rtc::rtcp::Compound::parse(d);
        if (!c.ok()) continue;
        for (auto v : *c) {
          if (v.type != type) continue;
          if (type == 201) {
            auto rr = rtc::rtcp::parse_receiver_report(v);
            if (rr.ok() && rr->blocks.size() > 0 && rr->blocks[0].ssrc == ssrc) return true;
          } else {
            auto sr = rtc::rtcp::parse_sender_report(v);
            if (sr.ok() && sr->info.ssrc == ssrc && sr->info.packet_count > 0) return true;
          }
        }
      }
      return false;
    });
  };
  EXPECT_TRUE(has(a_pub, 201, kAudioSsrc));
  EXPECT_TRUE(has(b_sub, 200, at_b.ssrc));
}

TEST_F(SfuTest, ExtensionIdsAreRenamedToTheSubscribersOnes) {
  Peer a_pub("apub"), b_sub("bsub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  ProducerParams p;
  p.kind = MediaKind::Audio;
  p.ssrc = kAudioSsrc;
  p.payload_type = 111;
  p.audio_level_id = 7;  // this publisher's id; subscribers get kSubscriberAudioLevelId
  const ProducerId audio = *on_worker(*worker, [&] { return room->produce("a", p); });
  const ConsumerInfo cb = consumer_of("b", audio);
  a_pub.send_rtp(kAudioSsrc, 111, 1, 960, 50, 7, 33);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 1; }));
  auto got = rtc::rtp::Packet::parse(b_sub.rtp.front());
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->extension(7).has_value());
  auto level = rtc::rtp::read_audio_level(*got, kSubscriberAudioLevelId);
  ASSERT_TRUE(level.has_value());
  EXPECT_EQ(level->level, 33);
  EXPECT_TRUE(level->voice_activity);
}

TEST_F(SfuTest, AFingerprintMismatchFailsTheTransportAndNothingFlows) {
  Peer a_pub("apub"), impostor("apub");  // same ICE ufrag, another certificate
  auto j = on_worker(*worker, [&] { return room->join("a"); });
  ASSERT_TRUE(j.ok());
  // The SDP announced a_pub's certificate; the impostor's DTLS client uses another.
  ASSERT_TRUE(on_worker(*worker, [&] { return room->connect("a", true, a_pub.remote_params()); }).is_ok());
  RemoteTransportParams again = a_pub.remote_params();
  EXPECT_EQ(on_worker(*worker, [&] { return room->connect("a", true, again); }).code(), base::Code::Conflict);
  // ICE passes; the SFU's DTLS fails once the handshake shows the wrong
  // certificate (the client may believe it connected: it checks only ours).
  (void)impostor.connect(j->publish_params, 1500);
  ASSERT_TRUE(impostor.wait([&] { return !events.failed_copy().empty(); }));
  EXPECT_EQ(events.failed_copy().front(), "a");
  EXPECT_EQ(on_worker(*worker, [&] { return room->participant("a")->publish->dtls_state(); }),
            rtc::dtls::Transport::State::Failed);
  // No SRTP keys were exported: nothing from this transport can be accepted.
  EXPECT_FALSE(on_worker(*worker, [&] { return room->participant("a")->publish->connected(); }));
}

TEST_F(SfuTest, JoinLeaveRenegotiatesTheOthers) {
  join("a", nullptr, nullptr);
  const ProducerId video = produce_video("a");
  join("b", nullptr, nullptr);  // b consumes what a already publishes
  EXPECT_EQ(consumer_of("b", video).producer, video);
  join("c", nullptr, nullptr);
  EXPECT_EQ(on_worker(*worker, [&] { return room->join("c"); }).status().code(), base::Code::Conflict);
  on_worker(*worker, [&] {
    room->leave("a");
    return 0;
  });
  EXPECT_TRUE(on_worker(*worker, [&] { return room->consumers("b"); }).empty());
  EXPECT_EQ(on_worker(*worker, [&] { return room->producer(video); }), nullptr);
  std::lock_guard l(events.m);
  EXPECT_EQ(events.renegotiate, (std::vector<std::string>{"b", "c", "b", "c"}));
  EXPECT_EQ(on_worker(*worker, [&] { return worker->transport_count(); }), 4u);
}

// The same, with time moved by hand: cache age, keyframe throttle and ICE
// consent (RFC 7675) against an injected clock.
class SfuClockTest : public SfuTest {
 protected:
  base::Clock& clock() override { return manual; }
  base::ManualClock manual;
};

TEST_F(SfuClockTest, NackOlderThanTheCacheAgeIsNotAnswered) {
  Peer a_pub("apub"), b_sub("bsub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video);
  for (std::uint16_t i = 0; i < 3; ++i) a_pub.send_rtp(kVideoSsrc, 96, 50 + i, i * 3000u, 400);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 3; }));
  const auto seen = take(b_sub, cb.ssrc);
  auto nack = [&](std::uint16_t seq) {
    Bytes n(64);
    rtc::rtcp::Writer w(n);
    const std::uint16_t l[] = {seq};
    EXPECT_TRUE(w.add_nack(0xB0B, cb.ssrc, l));
    n.resize(w.size());
    b_sub.send_rtcp(n);
  };
  auto counters = [&] { return on_worker(*worker, [&] { return room->consumer("b", video)->counters(); }); };
  manual.advance_ms(1500);  // older than the cache's 1 s
  nack(seen[1].seq);
  ASSERT_TRUE(b_sub.wait([&] { return counters().nacked == 1; }));
  EXPECT_EQ(counters().nack_misses, 1u);
  a_pub.send_rtp(kVideoSsrc, 96, 53, 9000, 400);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 1; }));
  manual.advance_ms(900);  // still young enough
  nack(static_cast<std::uint16_t>(seen[2].seq + 1));
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.rtx_ssrc) >= 1; }));
  EXPECT_EQ(counters().retransmitted, 1u);
}

TEST_F(SfuClockTest, KeyframeThrottleOpensAfterItsInterval) {
  Peer a_pub("apub"), b_sub("bsub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video);
  a_pub.send_rtp(kVideoSsrc, 96, 1, 1, 100);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 1; }));
  auto pli = [&] {
    Bytes p(32);
    rtc::rtcp::Writer w(p);
    EXPECT_TRUE(w.add_pli(0xB0B, cb.ssrc));
    p.resize(w.size());
    b_sub.send_rtcp(p);
  };
  auto counters = [&] { return on_worker(*worker, [&] { return room->producer(video)->counters(); }); };
  pli();
  pli();
  ASSERT_TRUE(b_sub.wait([&] { return counters().keyframe_requests + counters().keyframe_throttled == 2; }));
  EXPECT_EQ(counters().keyframe_requests, 1u);
  manual.advance_ms(499);
  pli();
  ASSERT_TRUE(b_sub.wait([&] { return counters().keyframe_throttled == 2; }));
  manual.advance_ms(1);
  pli();
  ASSERT_TRUE(b_sub.wait([&] { return counters().keyframe_requests == 2; }));
}

TEST_F(SfuClockTest, APeerThatStopsConsentingIsCutOffUntilItChecksAgain) {
  Peer a_pub("apub"), b_sub("bsub");
  join("a", &a_pub, nullptr);
  join("b", nullptr, &b_sub);
  const ProducerId video = produce_video("a");
  const ConsumerInfo cb = consumer_of("b", video);
  manual.advance_ms(20'000);
  const int answered = b_sub.stun_responses();
  b_sub.refresh_consent();  // b keeps consenting, a does not
  ASSERT_TRUE(b_sub.wait([&] { return b_sub.stun_responses() > answered; }));
  manual.advance_ms(11'000);  // 31 s since a's last check
  auto a_state = [&] {
    return on_worker(*worker, [&] { return room->participant("a")->publish->ice_state(); });
  };
  ASSERT_TRUE(b_sub.wait([&] { return a_state() == rtc::ice::IceServer::State::Disconnected; }));
  const auto before = on_worker(*worker, [&] { return worker->counters().unknown_path; });
  a_pub.send_rtp(kVideoSsrc, 96, 1, 1, 100);
  ASSERT_TRUE(b_sub.wait([&] { return on_worker(*worker, [&] { return worker->counters().unknown_path; }) > before; }));
  EXPECT_EQ(count_ssrc(b_sub, cb.ssrc), 0u);
  // A fresh check makes the path valid again and media flows.
  a_pub.refresh_consent();
  ASSERT_TRUE(b_sub.wait([&] { return a_state() != rtc::ice::IceServer::State::Disconnected; }));
  a_pub.send_rtp(kVideoSsrc, 96, 2, 3001, 100);
  ASSERT_TRUE(b_sub.wait([&] { return count_ssrc(b_sub, cb.ssrc) >= 1; }));
}

TEST(RetransmissionCache, FindsByExactSequenceWithinMaxAge) {
  RetransmissionCache cache(1000);
  const Bytes p1{1, 2, 3}, p2{4, 5};
  cache.store(10, p1, 0);
  cache.store(static_cast<std::uint16_t>(10 + RetransmissionCache::kSlots), p2, 5);  // same slot, newer
  EXPECT_FALSE(cache.find(10, 5).has_value());
  auto f = cache.find(static_cast<std::uint16_t>(10 + RetransmissionCache::kSlots), 5);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(Bytes(f->begin(), f->end()), p2);
  EXPECT_FALSE(cache.find(static_cast<std::uint16_t>(10 + RetransmissionCache::kSlots), 1006).has_value());
  EXPECT_FALSE(cache.find(11, 5).has_value());
  cache.store(65535, p1, 0);
  EXPECT_TRUE(cache.find(65535, 0).has_value());
  Bytes big(RetransmissionCache::kMaxPacket + 1);
  cache.store(7, big, 0);
  EXPECT_FALSE(cache.find(7, 0).has_value());
}

// Against a plain model (every packet of the last second, by sequence
// number): whatever the sizes and the wrap-arounds of the byte ring, a
// packet is found with its exact bytes exactly while it is young enough
// and the newest with its number.
TEST(RetransmissionCache, MatchesAModelThroughWrapsAndGrowth) {
  RetransmissionCache cache(1000);
  std::map<std::uint16_t, std::pair<std::int64_t, Bytes>> model;
  std::uint64_t state = 12345;
  auto rnd = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  std::int64_t now = 0;
  std::uint16_t seq = 65000;  // wraps past 65535 on the way
  for (int i = 0; i < 20000; ++i) {
    now += static_cast<std::int64_t>(rnd() % 12);  // bursts and gaps: up to ~90 packets per 0.5 s
    const std::size_t size = 1 + rnd() % RetransmissionCache::kMaxPacket;
    Bytes p(size);
    for (std::size_t k = 0; k < size; ++k) p[k] = static_cast<std::uint8_t>(rnd());
    cache.store(seq, p, now);
    model[seq] = {now, p};
    for (int probe = 0; probe < 3; ++probe) {
      const auto q = static_cast<std::uint16_t>(seq - rnd() % 1500);
      auto f = cache.find(q, now);
      auto m = model.find(q);
      const bool expect = m != model.end() && now - m->second.first <= 1000 &&
                          static_cast<std::uint16_t>(seq - q) < RetransmissionCache::kSlots;
      ASSERT_EQ(f.has_value(), expect) << "seq " << q << " at " << now;
      if (f) ASSERT_EQ(Bytes(f->begin(), f->end()), m->second.second);
    }
    ++seq;
  }
  // About a second of ~750-byte packets at ~180 per second: far below 1024 full-size packets.
  EXPECT_LT(cache.memory_bytes(), 400u * 1024u);
}

// A steady stream reuses the bytes of expired packets: the arena stops growing.
TEST(RetransmissionCache, ASteadyStreamStopsGrowing) {
  RetransmissionCache cache(1000);
  const Bytes p(1100, 7);
  std::size_t after_warmup = 0;
  for (int i = 0; i < 3000; ++i) {
    cache.store(static_cast<std::uint16_t>(i), p, i * 8);  // 125 packets/s, 1.1 Mbit/s
    if (i == 600) after_warmup = cache.memory_bytes();
  }
  EXPECT_EQ(cache.memory_bytes(), after_warmup);
  EXPECT_TRUE(cache.find(2999, 2999 * 8).has_value());
  EXPECT_TRUE(cache.find(2999 - 120, 2999 * 8).has_value());
  EXPECT_FALSE(cache.find(2999 - 130, 2999 * 8).has_value());  // older than 1 s
}

TEST(ReceiveStats, LossJitterAndWrapAsRfc3550) {
  ReceiveStats s;
  // 0xFFFE, 0xFFFF, (0 lost), 1, 2: one lost across the wrap.
  std::int64_t t = 0;
  for (std::uint16_t seq : {0xFFFEu, 0xFFFFu, 1u, 2u}) {
    s.update(seq, static_cast<std::uint32_t>(seq) * 960u, 100, t, 48000);
    t += 20;
  }
  auto b = s.report(42, t);
  EXPECT_EQ(b.ssrc, 42u);
  EXPECT_EQ(b.highest_sequence, 0x10002u);
  EXPECT_EQ(b.cumulative_lost, 1);
  EXPECT_EQ(b.fraction_lost, 256 / 5);
  auto b2 = s.report(42, t);  // nothing new: no fraction lost
  EXPECT_EQ(b2.fraction_lost, 0);
}

}  // namespace
}  // namespace parley::sfu
