#include "rtc/demux.hpp"

namespace parley::rtc {

PacketKind classify(std::span<const std::uint8_t> d) {
  if (d.empty()) return PacketKind::Unknown;
  const std::uint8_t b = d[0];
  if (b <= 3) return d.size() >= 20 ? PacketKind::Stun : PacketKind::Unknown;
  if (b >= 20 && b <= 63) return PacketKind::Dtls;
  if (b >= 128 && b <= 191) {
    if (d.size() < 4) return PacketKind::Unknown;
    const std::uint8_t pt = d[1] & 0x7f;
    return (pt >= 64 && pt <= 95) ? PacketKind::Rtcp : PacketKind::Rtp;
  }
  return PacketKind::Unknown;
}

}  // namespace parley::rtc
