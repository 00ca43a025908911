// libFuzzer target: the input is parsed as an RTCP compound under both rule
// sets; every packet goes through its typed parser, and what parses is
// rebuilt with the Writer and must parse back to the same values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "rtc/rtcp/rtcp.hpp"

namespace {

using namespace parley::rtc::rtcp;

void check(bool ok) {
  if (!ok) std::abort();
}

void visit(const PacketView& p, std::vector<std::uint8_t>& out) {
  std::vector<SdesItem> items;
  std::vector<TwccPacket> twcc;
  Writer w(out);
  if (auto sr = parse_sender_report(p); sr.ok()) {
    std::vector<ReportBlock> blocks;
    for (std::size_t i = 0; i < sr->blocks.size(); ++i) blocks.push_back(sr->blocks[i]);
    check(w.add_sender_report(sr->info, blocks));
  }
  if (auto rr = parse_receiver_report(p); rr.ok()) {
    std::vector<ReportBlock> blocks;
    for (std::size_t i = 0; i < rr->blocks.size(); ++i) blocks.push_back(rr->blocks[i]);
    check(w.add_receiver_report(rr->ssrc, blocks));
  }
  (void)parse_sdes(p, items);
  if (auto bye = parse_bye(p); bye.ok()) {
    for (std::size_t i = 0; i < bye->ssrcs.size(); ++i) (void)bye->ssrcs[i];
  }
  if (auto nack = parse_nack(p); nack.ok()) {
    std::vector<std::uint16_t> lost;
    nack->for_each_lost([&](std::uint16_t s) { lost.push_back(s); });
  }
  (void)parse_pli(p);
  if (auto fir = parse_fir(p); fir.ok()) {
    for (std::size_t i = 0; i < fir->entries.size(); ++i) (void)fir->entries[i];
  }
  (void)parse_remb(p);
  if (auto fb = parse_transport_feedback(p); fb.ok()) {
    check(fb->packets(twcc).is_ok());
    check(twcc.size() == fb->status_count);
    Writer tw(out);
    if (tw.add_transport_feedback(fb->sender_ssrc, fb->media_ssrc, fb->base_sequence, fb->reference_time,
                                  fb->feedback_count, twcc)) {
      auto c = Compound::parse(tw.bytes());
      check(c.ok());
      auto again = parse_transport_feedback(*c->begin());
      check(again.ok());
      std::vector<TwccPacket> twcc2;
      check(again->packets(twcc2).is_ok());
      check(twcc2.size() == twcc.size());
      for (std::size_t i = 0; i < twcc.size(); ++i) {
        check(twcc2[i].received == twcc[i].received && twcc2[i].delta == twcc[i].delta);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  (void)is_rtcp(in);
  (void)Compound::parse(in, CompoundRules::Full);
  auto c = Compound::parse(in, CompoundRules::ReducedSize);
  if (!c.ok()) return 0;
  std::vector<std::uint8_t> out(size + 1024);
  std::size_t n = 0;
  for (PacketView p : *c) {
    visit(p, out);
    ++n;
  }
  check(n == c->packet_count());
  return 0;
}
