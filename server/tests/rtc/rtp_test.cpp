// RTP packets: parsing, in-place rewriting, RFC 8285 extensions in both
// forms, and round trips of packets Chromium 156 sent (captured on loopback
// between two peer connections; the payloads are SRTP ciphertext, the
// headers and extensions are clear).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rtc/demux.hpp"
#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/packet.hpp"
#include "test_util.hpp"

namespace parley::rtc::rtp {
namespace {

using test::hex;

std::vector<std::uint8_t> fixture(const std::string& name) {
  std::string s = test::read_fixture(name);
  return {s.begin(), s.end()};
}

// Chromium's ids in the captured call: 1 audio level, 2 abs-send-time,
// 3 transport-wide seq, 4 mid (the offer in fixtures/chromium_offer.sdp
// uses the same numbering).
ExtensionMap chromium_map() {
  ExtensionMap m;
  EXPECT_TRUE(m.set("urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1));
  EXPECT_TRUE(m.set("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 2));
  EXPECT_TRUE(m.set("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 3));
  EXPECT_TRUE(m.set("urn:ietf:params:rtp-hdrext:sdes:mid", 4));
  EXPECT_FALSE(m.set("urn:3gpp:video-orientation", 13));
  return m;
}

// Rebuilds `p` with PacketWriter from its parsed parts.
std::vector<std::uint8_t> rebuild(const Packet& p) {
  std::vector<std::uint32_t> csrcs;
  for (std::size_t i = 0; i < p.csrc_count(); ++i) csrcs.push_back(p.csrc(i));
  Header h;
  h.marker = p.marker();
  h.payload_type = p.payload_type();
  h.sequence_number = p.sequence_number();
  h.timestamp = p.timestamp();
  h.ssrc = p.ssrc();
  h.csrcs = csrcs;
  PacketWriter w(h);
  w.force_two_byte(p.extension_form() == ExtensionForm::TwoByte);
  for (const auto& e : p.extensions()) {
    EXPECT_TRUE(w.add_extension(e.id, p.bytes().subspan(e.offset, e.length)));
  }
  std::vector<std::uint8_t> out(p.size() + 64);
  auto n = w.write(out, p.payload(), static_cast<std::uint8_t>(p.padding_size()));
  EXPECT_TRUE(n.ok()) << n.status().to_string();
  out.resize(n.ok() ? *n : 0);
  return out;
}

TEST(Rtp, ChromiumOpusPackets) {
  const ExtensionMap map = chromium_map();
  for (const char* name : {"chromium_rtp_opus_1.bin", "chromium_rtp_opus_2.bin"}) {
    auto bytes = fixture(name);
    ASSERT_FALSE(bytes.empty()) << name;
    EXPECT_TRUE(is_rtp(bytes));
    EXPECT_EQ(classify(bytes), PacketKind::Rtp);
    const auto original = bytes;
    auto p = Packet::parse(bytes);
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    EXPECT_EQ(p->payload_type(), 111);
    EXPECT_EQ(p->extension_form(), ExtensionForm::OneByte);
    EXPECT_EQ(read_sdes(*p, map.id(ExtensionKind::Mid)), "0");
    EXPECT_TRUE(read_abs_send_time(*p, map.id(ExtensionKind::AbsSendTime)).has_value());
    EXPECT_TRUE(read_transport_wide_seq(*p, map.id(ExtensionKind::TransportWideSeq)).has_value());
    auto level = read_audio_level(*p, map.id(ExtensionKind::AudioLevel));
    ASSERT_TRUE(level.has_value());
    EXPECT_LE(level->level, 127);
    EXPECT_EQ(rebuild(*p), original) << name;
  }
  // The first packet, field by field.
  auto bytes = fixture("chromium_rtp_opus_1.bin");
  auto p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->sequence_number(), 0x42e9);
  EXPECT_EQ(p->timestamp(), 0x0f3e9406u);
  EXPECT_EQ(p->ssrc(), 0x69a3c5f6u);
  EXPECT_EQ(p->header_size(), 28u);
  EXPECT_EQ(read_abs_send_time(*p, 2), 0x0a0cafu);
  EXPECT_EQ(read_transport_wide_seq(*p, 3), 1);
  EXPECT_EQ(read_audio_level(*p, 1)->voice_activity, true);
  EXPECT_EQ(read_audio_level(*p, 1)->level, 127);
}

TEST(Rtp, ChromiumVideoAndRtxPackets) {
  const ExtensionMap map = chromium_map();
  for (const char* name :
       {"chromium_rtp_video_1.bin", "chromium_rtp_video_2.bin", "chromium_rtp_rtx_1.bin", "chromium_rtp_rtx_2.bin"}) {
    auto bytes = fixture(name);
    ASSERT_FALSE(bytes.empty()) << name;
    const auto original = bytes;
    auto p = Packet::parse(bytes);
    ASSERT_TRUE(p.ok()) << name << ": " << p.status().to_string();
    EXPECT_EQ(read_sdes(*p, map.id(ExtensionKind::Mid)), "1") << name;
    EXPECT_TRUE(read_transport_wide_seq(*p, map.id(ExtensionKind::TransportWideSeq)).has_value()) << name;
    if (p->has_padding()) {
      // SRTP encrypts the padding with the payload and appends its tag, so
      // the count this captured packet ends with is a tag byte: only the
      // header and its extensions can be compared.
      auto again = rebuild(*p);
      ASSERT_GE(again.size(), p->header_size());
      EXPECT_TRUE(std::equal(original.begin(), original.begin() + p->header_size(), again.begin())) << name;
    } else {
      EXPECT_EQ(rebuild(*p), original) << name;
    }
  }
  // The RTX padding probe carries its extensions before the (encrypted) padding.
  auto bytes = fixture("chromium_rtp_rtx_1.bin");
  auto p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->has_padding());
  EXPECT_EQ(p->payload_type(), 97);
  EXPECT_EQ(read_transport_wide_seq(*p, 3), 5);
  EXPECT_EQ(read_abs_send_time(*p, 2), 0x0a4d05u);
}

// The same kind of probe captured with --disable-webrtc-encryption: here the
// padding is real (255 bytes, count in the last byte) and round trips.
TEST(Rtp, ChromiumClearPaddingProbe) {
  auto bytes = fixture("chromium_rtp_rtx_padding_clear.bin");
  ASSERT_EQ(bytes.size(), 283u);
  const auto original = bytes;
  auto p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_TRUE(p->has_padding());
  EXPECT_EQ(p->padding_size(), 255u);
  EXPECT_TRUE(p->payload().empty());
  EXPECT_EQ(read_sdes(*p, 4), "1");
  EXPECT_EQ(rebuild(*p), original);
}

TEST(Rtp, RewriteInPlace) {
  auto bytes = fixture("chromium_rtp_video_1.bin");
  const auto original = bytes;
  auto p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok());
  const auto payload_before = std::vector<std::uint8_t>(p->payload().begin(), p->payload().end());
  p->set_ssrc(0x11223344);
  p->set_sequence_number(65535);
  p->set_timestamp(0xdeadbeef);
  p->set_payload_type(96);
  p->set_marker(true);
  EXPECT_TRUE(write_transport_wide_seq(*p, 3, 4242));
  EXPECT_TRUE(write_abs_send_time(*p, 2, 0xabcdef));
  EXPECT_FALSE(write_transport_wide_seq(*p, 9, 1));  // not present
  EXPECT_FALSE(p->set_extension(4, hex("31 32")));   // mid is one byte: no growing
  EXPECT_EQ(bytes.size(), original.size());

  auto again = Packet::parse(bytes);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ssrc(), 0x11223344u);
  EXPECT_EQ(again->sequence_number(), 65535);
  EXPECT_EQ(again->timestamp(), 0xdeadbeefu);
  EXPECT_EQ(again->payload_type(), 96);
  EXPECT_TRUE(again->marker());
  EXPECT_EQ(read_transport_wide_seq(*again, 3), 4242);
  EXPECT_EQ(read_abs_send_time(*again, 2), 0xabcdefu);
  EXPECT_EQ(read_sdes(*again, 4), "1");
  EXPECT_EQ(std::vector<std::uint8_t>(again->payload().begin(), again->payload().end()), payload_before);
}

// RFC 8285 section 4.2's one-byte example layout: ids 1 (1 byte), 2 (2
// bytes), then padding, and a 0 byte between elements.
TEST(Rtp, OneByteFormWithPaddingBytes) {
  auto bytes = hex(R"(
    90 60 00 01 00 00 00 02 00 00 00 03
    be de 00 02
    10 aa 00 21 bb bb 00 00
    de ad)");
  auto p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  ASSERT_EQ(p->extensions().size(), 2u);
  EXPECT_EQ(p->extension(1)->size(), 1u);
  EXPECT_EQ((*p->extension(1))[0], 0xaa);
  EXPECT_EQ(p->extension(2)->size(), 2u);
  EXPECT_EQ(p->payload().size(), 2u);
  // Id 15 stops processing: what follows is not parsed.
  bytes = hex("90 60 00 01 00 00 00 02 00 00 00 03 be de 00 01 f0 10 aa 00 de ad");
  p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->extensions().empty());
}

TEST(Rtp, TwoByteForm) {
  Header h;
  h.payload_type = 100;
  h.sequence_number = 7;
  h.timestamp = 90000;
  h.ssrc = 0xcafebabe;
  const std::uint32_t csrcs[] = {1, 2};
  h.csrcs = csrcs;
  PacketWriter w(h);
  const std::string rid = "a-very-long-rid-over-sixteen-bytes";  // forces the two-byte form
  ASSERT_TRUE(w.add_extension(10, {reinterpret_cast<const std::uint8_t*>(rid.data()), rid.size()}));
  ASSERT_TRUE(w.add_extension(200, encode_transport_wide_seq(99)));
  ASSERT_TRUE(w.add_extension(5, {}));  // zero-length is legal in the two-byte form
  EXPECT_FALSE(w.add_extension(0, encode_transport_wide_seq(1)));
  std::vector<std::uint8_t> payload(100, 0x42);
  std::vector<std::uint8_t> out(1500);
  auto n = w.write(out, payload, 3);
  ASSERT_TRUE(n.ok());
  out.resize(*n);
  auto p = Packet::parse(out);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->extension_form(), ExtensionForm::TwoByte);
  EXPECT_EQ((p->extension_profile() & 0xFFF0), kTwoByteProfile);
  EXPECT_EQ(read_sdes(*p, 10), rid);
  EXPECT_EQ(read_transport_wide_seq(*p, 200), 99);
  EXPECT_EQ(p->extension(5)->size(), 0u);
  EXPECT_EQ(p->csrc_count(), 2);
  EXPECT_EQ(p->csrc(1), 2u);
  EXPECT_EQ(p->payload().size(), 100u);
  EXPECT_EQ(p->padding_size(), 3u);
  EXPECT_EQ(out.back(), 3);

  // Too small a buffer is an error, not an overflow.
  std::vector<std::uint8_t> tiny(20);
  EXPECT_FALSE(w.write(tiny, payload).ok());
}

TEST(Rtp, AbsSendTimeConversion) {
  EXPECT_EQ(abs_send_time_from_us(0), 0u);
  EXPECT_EQ(abs_send_time_from_us(1000000), 1u << 18);
  EXPECT_EQ(abs_send_time_from_us(64000000), 0u);  // wraps every 64 s
  EXPECT_EQ(abs_send_time_from_us(500000), 1u << 17);
}

TEST(Rtp, AudioLevelAndSdesEncoding) {
  Header h;
  h.ssrc = 1;
  PacketWriter w(h);
  ASSERT_TRUE(w.add_extension(1, encode_audio_level({true, 30})));
  const std::string mid = "audio";
  ASSERT_TRUE(w.add_extension(4, {reinterpret_cast<const std::uint8_t*>(mid.data()), mid.size()}));
  std::vector<std::uint8_t> out(200);
  auto n = w.write(out, {});
  ASSERT_TRUE(n.ok());
  out.resize(*n);
  auto p = Packet::parse(out);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->extension_form(), ExtensionForm::OneByte);
  EXPECT_EQ(read_audio_level(*p, 1)->level, 30);
  EXPECT_TRUE(read_audio_level(*p, 1)->voice_activity);
  EXPECT_EQ(read_sdes(*p, 4), "audio");
  EXPECT_FALSE(read_audio_level(*p, 4).has_value());  // wrong length for the kind
  EXPECT_FALSE(read_sdes(*p, 0).has_value());
}

TEST(Rtp, RejectsMalformed) {
  auto bad = [](std::string_view h, const char* what) {
    auto bytes = hex(h);
    auto p = Packet::parse(bytes);
    EXPECT_FALSE(p.ok()) << what;
  };
  bad("", "empty");
  bad("80 60 00 01 00 00 00 02 00 00 00", "11 bytes");
  bad("40 60 00 01 00 00 00 02 00 00 00 03", "version 1");
  bad("82 60 00 01 00 00 00 02 00 00 00 03 00 00 00 01", "CSRC overrun");
  bad("90 60 00 01 00 00 00 02 00 00 00 03 be de", "truncated extension header");
  bad("90 60 00 01 00 00 00 02 00 00 00 03 be de 00 02 00 00 00 00", "extension overrun");
  bad("90 60 00 01 00 00 00 02 00 00 00 03 be de 00 01 13 aa bb cc", "element overrun");
  bad("90 60 00 01 00 00 00 02 00 00 00 03 10 00 00 01 01 05 aa bb", "two-byte element overrun");
  bad("a0 60 00 01 00 00 00 02 00 00 00 03", "padding without bytes");
  bad("a0 60 00 01 00 00 00 02 00 00 00 03 00 00", "padding count zero");
  bad("a0 60 00 01 00 00 00 02 00 00 00 03 00 05", "padding longer than the payload");
  // 17 one-byte elements.
  std::string many = "90 60 00 01 00 00 00 02 00 00 00 03 be de 00 09";
  for (int i = 0; i < 17; ++i) many += " 10 00";
  many += " 00 00";
  bad(many, "too many elements");
  // An unknown profile is kept opaque and is fine.
  auto bytes = hex("90 60 00 01 00 00 00 02 00 00 00 03 ab cd 00 01 ff ff ff ff 01");
  auto p = Packet::parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->extension_form(), ExtensionForm::Other);
  EXPECT_EQ(p->payload().size(), 1u);
  // RTCP is not RTP.
  EXPECT_FALSE(is_rtp(hex("80 c8 00 06 00 00 00 01 00 00 00 00")));
}

}  // namespace
}  // namespace parley::rtc::rtp
