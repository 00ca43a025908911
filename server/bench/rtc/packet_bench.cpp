// Micro-benchmarks of rtc/ on the packet path: what the SFU does per
// forwarded packet (parse, rewrite SSRC/sequence/timestamp and the
// transport-wide sequence number), SRTP with both profiles, RTCP feedback
// parsing, an ICE check, and parsing a browser's offer.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "rtc/rtcp/rtcp.hpp"
#include "rtc/rtp/extensions.hpp"
#include "rtc/rtp/packet.hpp"
#include "rtc/sdp/webrtc.hpp"
#include "rtc/srtp/session.hpp"
#include "rtc/stun/stun.hpp"

namespace parley::rtc {
namespace {

std::vector<std::uint8_t> video_packet(std::size_t payload_size) {
  rtp::Header h;
  h.payload_type = 96;
  h.sequence_number = 1000;
  h.timestamp = 90000;
  h.ssrc = 0x11223344;
  rtp::PacketWriter w(h);
  const std::uint8_t mid[] = {'1'};
  w.add_extension(4, mid);
  w.add_extension(2, rtp::encode_abs_send_time(12345));
  w.add_extension(3, rtp::encode_transport_wide_seq(7));
  std::vector<std::uint8_t> payload(payload_size, 0x5a);
  std::vector<std::uint8_t> out(payload_size + 100);
  out.resize(*w.write(out, payload));
  return out;
}

void BM_RtpParseAndRewrite(benchmark::State& state) {
  auto bytes = video_packet(1100);
  std::uint16_t seq = 0;
  for (auto _ : state) {
    auto p = rtp::Packet::parse(bytes);
    p->set_ssrc(0xcafebabe);
    p->set_sequence_number(++seq);
    p->set_timestamp(p->timestamp() + 3000);
    rtp::write_transport_wide_seq(*p, 3, seq);
    benchmark::DoNotOptimize(rtp::read_sdes(*p, 4));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtpParseAndRewrite);

void srtp_round_trip(benchmark::State& state, dtls::SrtpProfile profile) {
  std::vector<std::uint8_t> key(dtls::master_key_size(profile) + dtls::master_salt_size(profile), 0x42);
  auto tx = srtp::Session::create(profile, srtp::Session::Direction::Outbound, key);
  auto rx = srtp::Session::create(profile, srtp::Session::Direction::Inbound, key);
  auto packet = video_packet(static_cast<std::size_t>(state.range(0)));
  std::vector<std::uint8_t> buf(packet.size() + srtp::kMaxTrailer);
  std::uint16_t seq = 0;
  for (auto _ : state) {
    std::copy(packet.begin(), packet.end(), buf.begin());
    buf[2] = static_cast<std::uint8_t>(++seq >> 8);
    buf[3] = static_cast<std::uint8_t>(seq);
    auto n = (*tx)->protect_rtp(buf, packet.size());
    auto m = (*rx)->unprotect_rtp(buf, *n);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_SrtpProtectUnprotectGcm(benchmark::State& s) { srtp_round_trip(s, dtls::SrtpProfile::AeadAes128Gcm); }
void BM_SrtpProtectUnprotectAesCm(benchmark::State& s) { srtp_round_trip(s, dtls::SrtpProfile::AesCm128HmacSha1Tag80); }
BENCHMARK(BM_SrtpProtectUnprotectGcm)->Arg(100)->Arg(1100);
BENCHMARK(BM_SrtpProtectUnprotectAesCm)->Arg(100)->Arg(1100);

void BM_RtcpTransportFeedback(benchmark::State& state) {
  std::vector<rtcp::TwccPacket> in;
  for (int i = 0; i < 100; ++i) in.push_back({static_cast<std::uint16_t>(i), i % 17 != 3, i % 13 == 0 ? 300 : 4});
  for (auto& t : in) {
    if (!t.received) t.delta = 0;
  }
  std::vector<std::uint8_t> buf(1500);
  rtcp::Writer w(buf);
  w.add_transport_feedback(1, 2, 0, 100, 1, in);
  const std::vector<std::uint8_t> bytes(w.bytes().begin(), w.bytes().end());
  std::vector<rtcp::TwccPacket> out;
  for (auto _ : state) {
    auto c = rtcp::Compound::parse(bytes);
    auto fb = rtcp::parse_transport_feedback(*c->begin());
    benchmark::DoNotOptimize(fb->packets(out));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtcpTransportFeedback);

void BM_StunCheck(benchmark::State& state) {
  stun::MessageBuilder b(stun::kMethodBinding, stun::Class::Request, stun::TransactionId{});
  b.add_username("sfu1:w9UT").add_priority(1853817087).add_ice_controlling(42).add_use_candidate();
  b.add_message_integrity(std::string_view("0123456789abcdefghijkl")).add_fingerprint();
  const auto bytes = b.bytes();
  for (auto _ : state) {
    auto m = stun::Message::parse(bytes);
    benchmark::DoNotOptimize(m->verify_fingerprint() &&
                             m->verify_message_integrity(std::string_view("0123456789abcdefghijkl")));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StunCheck);

void BM_SdpParseChromiumOffer(benchmark::State& state) {
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/server/tests/rtc/fixtures/chromium_offer.sdp");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  for (auto _ : state) benchmark::DoNotOptimize(sdp::parse_webrtc(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SdpParseChromiumOffer);

}  // namespace
}  // namespace parley::rtc
