// libFuzzer target for the SFU's SDP negotiation: the input is a client's
// offer on a publish transport. Whatever parses as WebRTC must produce an
// answer that parses again, producers that match it, and a subscribe offer
// for another participant that parses too; the input also goes in as that
// participant's answer. Nothing may crash, leak or assert.
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/clock.hpp"
#include "base/executor.hpp"
#include "base/random.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/sdp/webrtc.hpp"
#include "sfu/negotiation.hpp"
#include "sfu/worker.hpp"

namespace {

using namespace parley;

struct Inline final : base::Executor {
  void post(std::function<void()> fn) override { fn(); }
};

const std::shared_ptr<const rtc::dtls::Context>& context() {
  static auto c = *rtc::dtls::Context::create();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static boost::asio::io_context ctx;
  static Inline executor;
  static base::SeededRandom random(1);
  base::ManualClock clock;
  // A worker that is never opened: no socket, transports and rooms only.
  sfu::Worker worker(0, ctx, executor, context(), clock, random, {});
  sfu::Room* room = *worker.create_room("fuzz", nullptr);
  sfu::SdpNegotiator neg(*room);
  if (!room->join("a").ok() || !room->join("b").ok()) __builtin_trap();
  auto answer = neg.on_publish_offer("a", text);
  if (answer.ok()) {
    if (!rtc::sdp::parse_webrtc(*answer).ok()) __builtin_trap();  // our answers always re-parse
    auto offer = neg.subscribe_offer("b");
    if (!offer.ok() || !rtc::sdp::parse_webrtc(*offer).ok()) __builtin_trap();
    (void)neg.on_publish_offer("a", text);  // renegotiation with the same offer
  }
  (void)neg.subscribe_offer("b");
  (void)neg.on_subscribe_answer("b", text);
  room->leave("a");
  return 0;
}
