// libFuzzer target: the input is parsed as SDP; what parses is written back
// and must parse to the same value, and its WebRTC reading, written back
// through to_sdp(), must be read again without error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rtc/sdp/sdp.hpp"
#include "rtc/sdp/webrtc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parley::rtc::sdp;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = parse(text);
  if (!s.ok()) return 0;
  auto again = parse(serialize(*s));
  if (!again.ok() || !(*again == *s)) std::abort();
  auto d = from_sdp(*s);
  if (!d.ok()) return 0;
  for (const auto& m : d->media) {
    for (const auto& c : m.codecs) {
      (void)opus_in_band_fec(c);
      (void)opus_dtx(c);
      (void)h264_constrained_baseline(c);
      (void)h264_packetization_mode(c);
    }
  }
  auto written = serialize(to_sdp(*d));
  auto d2 = parse_webrtc(written);
  if (!d2.ok()) std::abort();
  return 0;
}
