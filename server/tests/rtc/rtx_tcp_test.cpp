// RTX encapsulation (RFC 4588) both ways on a captured Chromium packet, and
// ICE-TCP framing (RFC 6544 / RFC 4571) across arbitrary read boundaries.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rtc/ice/tcp_framing.hpp"
#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/rtx.hpp"
#include "test_util.hpp"

namespace parley::rtc {
namespace {

std::vector<std::uint8_t> fixture(const std::string& name) {
  std::string s = test::read_fixture(name);
  return {s.begin(), s.end()};
}

TEST(Rtx, WrapAndUnwrapAChromiumVideoPacket) {
  auto bytes = fixture("chromium_rtp_video_1.bin");
  const auto original = bytes;
  auto p = rtp::Packet::parse(bytes);
  ASSERT_TRUE(p.ok());
  std::vector<std::uint8_t> out(1500);
  auto n = rtp::write_rtx(*p, {97, 0xabcdef01}, 777, out);
  ASSERT_TRUE(n.ok()) << n.status().to_string();
  EXPECT_EQ(*n, original.size() + 2);
  out.resize(*n);
  auto r = rtp::Packet::parse(out);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload_type(), 97);
  EXPECT_EQ(r->ssrc(), 0xabcdef01u);
  EXPECT_EQ(r->sequence_number(), 777);
  EXPECT_EQ(r->timestamp(), p->timestamp());
  EXPECT_EQ(rtp::read_sdes(*r, 4), "1");  // extensions travel along
  EXPECT_EQ(r->payload()[0] << 8 | r->payload()[1], p->sequence_number());

  auto back = rtp::unwrap_rtx(*r, p->payload_type(), p->ssrc());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  out.resize(*back);
  EXPECT_EQ(out, original);

  // A padding-only probe has no OSN.
  auto probe = fixture("chromium_rtp_rtx_padding_clear.bin");
  auto q = rtp::Packet::parse(probe);
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(rtp::unwrap_rtx(*q, 96, 1).ok());
  // Too small an output buffer.
  std::vector<std::uint8_t> tiny(10);
  EXPECT_FALSE(rtp::write_rtx(*p, {97, 1}, 1, tiny).ok());
}

TEST(IceTcp, FramesSurviveAnyReadBoundary) {
  std::vector<std::vector<std::uint8_t>> messages = {{1, 2, 3}, {}, std::vector<std::uint8_t>(1500, 7), {9}};
  std::vector<std::uint8_t> stream;
  for (const auto& m : messages) {
    auto f = ice::frame_for_tcp(m);
    ASSERT_TRUE(f.ok());
    stream.insert(stream.end(), f->begin(), f->end());
  }
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 1000u, 5000u}) {
    ice::TcpFramer framer;
    std::vector<std::vector<std::uint8_t>> got;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
      const std::size_t n = std::min(chunk, stream.size() - i);
      framer.feed(std::span<const std::uint8_t>(stream.data() + i, n),
                  [&](std::span<const std::uint8_t> f) { got.emplace_back(f.begin(), f.end()); });
    }
    ASSERT_EQ(got.size(), 3u) << chunk;  // the empty frame is skipped
    EXPECT_EQ(got[0], messages[0]);
    EXPECT_EQ(got[1], messages[2]);
    EXPECT_EQ(got[2], messages[3]);
    EXPECT_EQ(framer.pending(), 0u);
  }
  ice::TcpFramer framer;
  framer.feed(std::vector<std::uint8_t>{0xff, 0xff, 1}, [](auto) { FAIL(); });
  EXPECT_EQ(framer.pending(), 3u);
  EXPECT_FALSE(ice::frame_for_tcp(std::vector<std::uint8_t>(70000)).ok());
}

}  // namespace
}  // namespace parley::rtc
