// RTCP: compounds Chromium 156 sent (captured on loopback with
// --disable-webrtc-encryption, so in clear) parsed and rebuilt byte for
// byte; every feedback type built, parsed back and checked against the wire
// layout of its RFC; malformed compounds rejected.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rtc/demux.hpp"
#include "rtc/rtcp/rtcp.hpp"
#include "test_util.hpp"

namespace parley::rtc::rtcp {
namespace {

using test::hex;

std::vector<std::uint8_t> fixture(const std::string& name) {
  std::string s = test::read_fixture(name);
  return {s.begin(), s.end()};
}

std::vector<PacketView> packets_of(const Compound& c) {
  std::vector<PacketView> out;
  for (PacketView p : c) out.push_back(p);
  return out;
}

TEST(Rtcp, ChromiumSenderReportWithSdes) {
  const auto bytes = fixture("chromium_rtcp_sr_sdes.bin");
  ASSERT_FALSE(bytes.empty());
  EXPECT_TRUE(is_rtcp(bytes));
  EXPECT_EQ(classify(bytes), PacketKind::Rtcp);
  auto c = Compound::parse(bytes, CompoundRules::Full);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  auto ps = packets_of(*c);
  ASSERT_EQ(ps.size(), 2u);
  auto sr = parse_sender_report(ps[0]);
  ASSERT_TRUE(sr.ok()) << sr.status().to_string();
  EXPECT_EQ(sr->info.ssrc, 0x1284f36eu);
  EXPECT_EQ(sr->info.ntp_time, 0xeeb0b45ea5219a84u);
  EXPECT_EQ(sr->info.rtp_timestamp, 0xc0f16d98u);
  EXPECT_EQ(sr->info.packet_count, 0x32u);
  EXPECT_EQ(sr->info.octet_count, 0x7856u);
  EXPECT_TRUE(sr->blocks.empty());
  std::vector<SdesItem> items;
  ASSERT_TRUE(parse_sdes(ps[1], items).is_ok());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].ssrc, 0x1284f36eu);
  EXPECT_EQ(items[0].type, kSdesCname);
  EXPECT_EQ(items[0].text, "sTr4hEswBx8wWwW4");

  std::vector<std::uint8_t> out(1500);
  Writer w(out);
  ASSERT_TRUE(w.add_sender_report(sr->info));
  ASSERT_TRUE(w.add_sdes_cname(items[0].ssrc, items[0].text));
  EXPECT_EQ(std::vector<std::uint8_t>(w.bytes().begin(), w.bytes().end()), bytes);
}

TEST(Rtcp, ChromiumReceiverReportsWithXr) {
  for (const char* name : {"chromium_rtcp_rr2_xr.bin", "chromium_rtcp_rr1_xr.bin", "chromium_rtcp_sr_sdes_xr.bin"}) {
    const auto bytes = fixture(name);
    ASSERT_FALSE(bytes.empty()) << name;
    auto c = Compound::parse(bytes, CompoundRules::Full);
    ASSERT_TRUE(c.ok()) << name << ": " << c.status().to_string();
    auto ps = packets_of(*c);
    ASSERT_GE(ps.size(), 2u);
    EXPECT_EQ(ps.back().type, static_cast<std::uint8_t>(Type::ExtendedReport)) << name;
    // Rebuild the reports; XR is passed through as bytes.
    std::vector<std::uint8_t> out(1500);
    Writer w(out);
    std::vector<std::uint8_t> tail;
    for (const PacketView& p : ps) {
      if (p.type == static_cast<std::uint8_t>(Type::ReceiverReport)) {
        auto rr = parse_receiver_report(p);
        ASSERT_TRUE(rr.ok());
        std::vector<ReportBlock> blocks;
        for (std::size_t i = 0; i < rr->blocks.size(); ++i) blocks.push_back(rr->blocks[i]);
        ASSERT_TRUE(w.add_receiver_report(rr->ssrc, blocks));
      } else if (p.type == static_cast<std::uint8_t>(Type::SenderReport)) {
        auto sr = parse_sender_report(p);
        ASSERT_TRUE(sr.ok());
        ASSERT_TRUE(w.add_sender_report(sr->info));
      } else if (p.type == static_cast<std::uint8_t>(Type::Sdes)) {
        std::vector<SdesItem> items;
        ASSERT_TRUE(parse_sdes(p, items).is_ok());
        ASSERT_EQ(items.size(), 1u);
        ASSERT_TRUE(w.add_sdes_cname(items[0].ssrc, items[0].text));
      } else {
        tail.assign(p.bytes.begin(), p.bytes.end());
      }
    }
    std::vector<std::uint8_t> rebuilt(w.bytes().begin(), w.bytes().end());
    rebuilt.insert(rebuilt.end(), tail.begin(), tail.end());
    EXPECT_EQ(rebuilt, bytes) << name;
  }
  // The two report blocks, field by field.
  const auto bytes = fixture("chromium_rtcp_rr2_xr.bin");
  auto c = Compound::parse(bytes);
  ASSERT_TRUE(c.ok());
  auto rr = parse_receiver_report(*c->begin());
  ASSERT_TRUE(rr.ok());
  EXPECT_EQ(rr->ssrc, 1u);
  ASSERT_EQ(rr->blocks.size(), 2u);
  EXPECT_EQ(rr->blocks[0].ssrc, 0xcffd668fu);
  EXPECT_EQ(rr->blocks[0].highest_sequence, 0x59ffu);
  EXPECT_EQ(rr->blocks[0].jitter, 0x399u);
  EXPECT_EQ(rr->blocks[1].ssrc, 0x1284f36eu);
  EXPECT_EQ(rr->blocks[1].highest_sequence, 0x7435u);
  EXPECT_EQ(rr->blocks[1].cumulative_lost, 0);
}

TEST(Rtcp, ChromiumTransportFeedback) {
  for (const char* name : {"chromium_rtcp_twcc.bin", "chromium_rtcp_twcc_padded.bin"}) {
    const auto bytes = fixture(name);
    ASSERT_FALSE(bytes.empty()) << name;
    // Chromium sends feedback alone: reduced-size RTCP.
    EXPECT_FALSE(Compound::parse(bytes, CompoundRules::Full).ok()) << name;
    auto c = Compound::parse(bytes, CompoundRules::ReducedSize);
    ASSERT_TRUE(c.ok()) << name << ": " << c.status().to_string();
    auto fb = parse_transport_feedback(*c->begin());
    ASSERT_TRUE(fb.ok()) << name << ": " << fb.status().to_string();
    std::vector<TwccPacket> packets;
    ASSERT_TRUE(fb->packets(packets).is_ok());
    ASSERT_EQ(packets.size(), fb->status_count);
    std::vector<std::uint8_t> out(1500);
    Writer w(out);
    ASSERT_TRUE(w.add_transport_feedback(fb->sender_ssrc, fb->media_ssrc, fb->base_sequence, fb->reference_time,
                                         fb->feedback_count, packets));
    EXPECT_EQ(std::vector<std::uint8_t>(w.bytes().begin(), w.bytes().end()), bytes) << name;
  }
  const auto bytes = fixture("chromium_rtcp_twcc.bin");
  auto c = Compound::parse(bytes);
  ASSERT_TRUE(c.ok());
  auto fb = parse_transport_feedback(*c->begin());
  ASSERT_TRUE(fb.ok());
  EXPECT_EQ(fb->sender_ssrc, 0xfa17fa17u);
  EXPECT_EQ(fb->media_ssrc, 0xcffd668fu);
  EXPECT_EQ(fb->base_sequence, 0x14);
  EXPECT_EQ(fb->status_count, 22);
  EXPECT_EQ(fb->reference_time, 0x023680);
  EXPECT_EQ(fb->feedback_count, 2);
  std::vector<TwccPacket> packets;
  ASSERT_TRUE(fb->packets(packets).is_ok());
  EXPECT_EQ(packets[0].sequence, 0x14);
  EXPECT_TRUE(packets[0].received);
  EXPECT_EQ(packets[0].delta, 0xf0);
  EXPECT_EQ(packets[21].sequence, 0x14 + 21);
}

TEST(Rtcp, TransportFeedbackEveryChunkKind) {
  // Losses, small, large and negative deltas, a long run, across a
  // sequence-number wrap.
  std::vector<TwccPacket> in;
  const std::uint16_t base = 65530;
  for (int i = 0; i < 60; ++i) {
    TwccPacket t;
    t.sequence = static_cast<std::uint16_t>(base + i);
    if (i % 9 == 4) {
      t.received = false;
    } else if (i < 30) {
      t.received = true;
      t.delta = i * 3;
    } else if (i < 45) {
      t.received = true;
      t.delta = 5;  // a run of equal symbols (with a loss inside at 40)
    } else {
      t.received = true;
      t.delta = (i % 2) ? -400 : 1000;  // large and negative
    }
    in.push_back(t);
  }
  std::vector<std::uint8_t> out(1500);
  Writer w(out);
  ASSERT_TRUE(w.add_transport_feedback(1, 2, base, -5, 9, in));
  EXPECT_EQ(w.size() % 4, 0u);
  auto c = Compound::parse(w.bytes());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  auto fb = parse_transport_feedback(*c->begin());
  ASSERT_TRUE(fb.ok()) << fb.status().to_string();
  EXPECT_EQ(fb->reference_time, -5);
  EXPECT_EQ(fb->feedback_count, 9);
  std::vector<TwccPacket> got;
  ASSERT_TRUE(fb->packets(got).is_ok());
  ASSERT_EQ(got.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(got[i].sequence, in[i].sequence) << i;
    EXPECT_EQ(got[i].received, in[i].received) << i;
    EXPECT_EQ(got[i].delta, in[i].received ? in[i].delta : 0) << i;
  }
  // A run longer than a vector: 100 received packets, one chunk.
  std::vector<TwccPacket> run;
  for (int i = 0; i < 100; ++i) run.push_back({static_cast<std::uint16_t>(i), true, 1});
  Writer w2(out);
  ASSERT_TRUE(w2.add_transport_feedback(1, 2, 0, 0, 0, run));
  EXPECT_EQ(load_u16(out.data() + 4 + 16), 0x2000 | 100);

  // Unencodable input is refused, not truncated.
  Writer w3(out);
  std::vector<TwccPacket> gap = {{0, true, 1}, {2, true, 1}};
  EXPECT_FALSE(w3.add_transport_feedback(1, 2, 0, 0, 0, gap));
  std::vector<TwccPacket> huge = {{0, true, 40000}};
  EXPECT_FALSE(w3.add_transport_feedback(1, 2, 0, 0, 0, huge));
  EXPECT_EQ(w3.size(), 0u);
}

// RFC 4585 section 6.2.1: PID and a bitmask of the 16 following losses.
TEST(Rtcp, GenericNack) {
  const std::uint16_t lost[] = {65534, 65535, 0, 5, 17, 18, 40};
  std::vector<std::uint8_t> out(1500);
  Writer w(out);
  ASSERT_TRUE(w.add_nack(0x11111111, 0x22222222, lost));
  const auto expected = hex(R"(
    81 cd 00 05 11 11 11 11 22 22 22 22
    ff fe 00 43  00 11 00 01  00 28 00 00)");
  // 65534: +1 = 65535 (bit0), +2 = 0 (bit1), +7 = 5 (bit6); 17 > +16 starts a new item.
  EXPECT_EQ(std::vector<std::uint8_t>(w.bytes().begin(), w.bytes().end()), expected);
  auto c = Compound::parse(w.bytes());
  ASSERT_TRUE(c.ok());
  auto nack = parse_nack(*c->begin());
  ASSERT_TRUE(nack.ok()) << nack.status().to_string();
  EXPECT_EQ(nack->sender_ssrc, 0x11111111u);
  EXPECT_EQ(nack->media_ssrc, 0x22222222u);
  std::vector<std::uint16_t> seqs;
  nack->for_each_lost([&](std::uint16_t s) { seqs.push_back(s); });
  EXPECT_EQ(seqs, std::vector<std::uint16_t>(std::begin(lost), std::end(lost)));
}

// RFC 4585 section 6.3.1 (PLI, no FCI) and RFC 5104 section 4.3.1 (FIR).
TEST(Rtcp, PliAndFir) {
  std::vector<std::uint8_t> out(1500);
  Writer w(out);
  ASSERT_TRUE(w.add_pli(1, 0xaabbccdd));
  const FirEntry entries[] = {{0xaabbccdd, 7}, {0x01020304, 255}};
  ASSERT_TRUE(w.add_fir(1, entries));
  const auto expected = hex(R"(
    81 ce 00 02 00 00 00 01 aa bb cc dd
    84 ce 00 06 00 00 00 01 00 00 00 00
    aa bb cc dd 07 00 00 00 01 02 03 04 ff 00 00 00)");
  EXPECT_EQ(std::vector<std::uint8_t>(w.bytes().begin(), w.bytes().end()), expected);
  auto c = Compound::parse(w.bytes());
  ASSERT_TRUE(c.ok());
  auto ps = packets_of(*c);
  ASSERT_EQ(ps.size(), 2u);
  auto pli = parse_pli(ps[0]);
  ASSERT_TRUE(pli.ok());
  EXPECT_EQ(pli->media_ssrc, 0xaabbccddu);
  auto fir = parse_fir(ps[1]);
  ASSERT_TRUE(fir.ok());
  ASSERT_EQ(fir->entries.size(), 2u);
  EXPECT_EQ(fir->entries[1].ssrc, 0x01020304u);
  EXPECT_EQ(fir->entries[1].sequence, 255);
  EXPECT_FALSE(parse_pli(ps[1]).ok());  // FMT 4 is not a PLI
  EXPECT_FALSE(parse_nack(ps[0]).ok());
}

// draft-alvestrand-rmcat-remb-03 section 2.2.
TEST(Rtcp, Remb) {
  std::vector<std::uint8_t> out(1500);
  Writer w(out);
  const std::uint32_t ssrcs[] = {0x0a0b0c0d, 0x01020304};
  ASSERT_TRUE(w.add_remb(0x11, 1'000'000, ssrcs));
  // 1,000,000 = 0x3d090 (18 bits and more): exp 2, mantissa 250000 = 0x3d090.
  const auto expected = hex(R"(
    8f ce 00 06 00 00 00 11 00 00 00 00
    52 45 4d 42 02 0b d0 90 0a 0b 0c 0d 01 02 03 04)");
  EXPECT_EQ(std::vector<std::uint8_t>(w.bytes().begin(), w.bytes().end()), expected);
  auto c = Compound::parse(w.bytes());
  ASSERT_TRUE(c.ok());
  auto remb = parse_remb(*c->begin());
  ASSERT_TRUE(remb.ok()) << remb.status().to_string();
  EXPECT_EQ(remb->bitrate_bps, 1'000'000u);
  ASSERT_EQ(remb->ssrcs.size(), 2u);
  EXPECT_EQ(remb->ssrcs[1], 0x01020304u);
  // Large rates lose only low bits.
  Writer w2(out);
  ASSERT_TRUE(w2.add_remb(1, 123'456'789'012ull, {}));
  auto c2 = Compound::parse(w2.bytes());
  auto r2 = parse_remb(*c2->begin());
  ASSERT_TRUE(r2.ok());
  EXPECT_LE(r2->bitrate_bps, 123'456'789'012ull);
  EXPECT_GT(r2->bitrate_bps, 123'456'789'012ull - (123'456'789'012ull >> 17));
}

TEST(Rtcp, ByeAndReportBlocks) {
  std::vector<std::uint8_t> out(1500);
  Writer w(out);
  ReportBlock b;
  b.ssrc = 9;
  b.fraction_lost = 64;
  b.cumulative_lost = -3;  // duplicates can make it negative (RFC 3550 6.4.1)
  b.highest_sequence = 0x10005;
  b.jitter = 12;
  b.last_sr = 0xb45ea521;
  b.delay_since_last_sr = 65536;
  ASSERT_TRUE(w.add_receiver_report(7, std::span<const ReportBlock>(&b, 1)));
  const std::uint32_t gone[] = {7, 8};
  ASSERT_TRUE(w.add_bye(gone, "hang up"));
  auto c = Compound::parse(w.bytes(), CompoundRules::Full);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  auto ps = packets_of(*c);
  auto rr = parse_receiver_report(ps[0]);
  ASSERT_TRUE(rr.ok());
  const ReportBlock got = rr->blocks[0];
  EXPECT_EQ(got.cumulative_lost, -3);
  EXPECT_EQ(got.fraction_lost, 64);
  EXPECT_EQ(got.highest_sequence, 0x10005u);
  EXPECT_EQ(got.last_sr, 0xb45ea521u);
  EXPECT_EQ(got.delay_since_last_sr, 65536u);
  auto bye = parse_bye(ps[1]);
  ASSERT_TRUE(bye.ok());
  ASSERT_EQ(bye->ssrcs.size(), 2u);
  EXPECT_EQ(bye->ssrcs[1], 8u);
  EXPECT_EQ(bye->reason, "hang up");
}

TEST(Rtcp, RejectsMalformedCompounds) {
  auto bad = [](std::string_view h, CompoundRules rules, const char* what) {
    auto bytes = hex(h);
    EXPECT_FALSE(Compound::parse(bytes, rules).ok()) << what;
  };
  bad("", CompoundRules::ReducedSize, "empty");
  bad("80 c9 00", CompoundRules::ReducedSize, "short");
  bad("40 c9 00 01 00 00 00 01", CompoundRules::ReducedSize, "version");
  bad("80 60 00 01 00 00 00 01", CompoundRules::ReducedSize, "RTP type");
  bad("80 c9 00 02 00 00 00 01", CompoundRules::ReducedSize, "length overrun");
  bad("80 c9 00 01 00 00 00 01 00 00", CompoundRules::ReducedSize, "trailing bytes");
  bad("a0 c9 00 01 00 00 00 00", CompoundRules::ReducedSize, "padding count zero");
  bad("a0 c9 00 01 00 00 00 09", CompoundRules::ReducedSize, "padding too long");
  bad("81 ce 00 02 00 00 00 01 00 00 00 02", CompoundRules::Full, "PLI first");
  bad("a0 c9 00 01 00 00 00 04 80 c9 00 01 00 00 00 01", CompoundRules::Full, "padding not last");

  // Typed parsers reject bodies too short for what their header claims.
  auto typed = [](std::string_view h) {
    auto bytes = hex(h);
    auto c = Compound::parse(bytes);
    EXPECT_TRUE(c.ok()) << h;
    return std::vector<std::uint8_t>(bytes);
  };
  {
    auto b = typed("81 c9 00 01 00 00 00 01");  // RR claiming one block
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_receiver_report(*c->begin()).ok());
  }
  {
    auto b = typed("81 c8 00 01 00 00 00 01");  // SR without sender info
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_sender_report(*c->begin()).ok());
  }
  {
    auto b = typed("81 ca 00 02 00 00 00 01 01 09 61 62");  // SDES item overrun
    auto c = Compound::parse(b);
    std::vector<SdesItem> items;
    EXPECT_FALSE(parse_sdes(*c->begin(), items).is_ok());
  }
  {
    auto b = typed("81 cb 00 02 00 00 00 01 09 61 62 63");  // BYE reason overrun
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_bye(*c->begin()).ok());
  }
  {
    auto b = typed("8f cd 00 04 00 00 00 01 00 00 00 02 00 00 00 05 00 00 00 00");  // TWCC, no chunks
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_transport_feedback(*c->begin()).ok());
  }
  {
    // TWCC with a reserved two-bit symbol.
    auto b = typed("8f cd 00 05 00 00 00 01 00 00 00 02 00 00 00 01 00 00 00 00 f0 00 00 00");
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_transport_feedback(*c->begin()).ok());
  }
  {
    // TWCC whose deltas are missing.
    auto b = typed("8f cd 00 05 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 00 20 03 01 00");
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_transport_feedback(*c->begin()).ok());
  }
  {
    auto b = typed("8f ce 00 04 00 00 00 01 00 00 00 00 41 42 43 44 00 00 00 00");  // AFB, not REMB
    auto c = Compound::parse(b);
    EXPECT_FALSE(parse_remb(*c->begin()).ok());
  }
}

TEST(Rtcp, WriterRefusesWhatDoesNotFit) {
  std::vector<std::uint8_t> small(20);
  Writer w(small);
  ASSERT_TRUE(w.add_pli(1, 2));
  EXPECT_FALSE(w.add_sender_report(SenderInfo{}));
  EXPECT_EQ(w.size(), 12u);
  EXPECT_FALSE(w.add_nack(1, 2, {}));
  EXPECT_FALSE(w.add_sdes_cname(1, std::string(300, 'x')));
}

}  // namespace
}  // namespace parley::rtc::rtcp
