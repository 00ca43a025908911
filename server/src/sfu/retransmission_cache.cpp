#include "sfu/retransmission_cache.hpp"

namespace parley::sfu {

void RetransmissionCache::store(std::uint16_t seq, std::span<const std::uint8_t> packet, std::int64_t now_ms) {
  if (packet.size() > kMaxPacket) return;
  Slot& s = slots_[seq % kSlots];
  s.used = true;
  s.seq = seq;
  s.stored_ms = now_ms;
  s.bytes.assign(packet.begin(), packet.end());
}

std::optional<std::span<const std::uint8_t>> RetransmissionCache::find(std::uint16_t seq, std::int64_t now_ms) const {
  const Slot& s = slots_[seq % kSlots];
  if (!s.used || s.seq != seq || now_ms - s.stored_ms > max_age_ms_) return std::nullopt;
  return std::span<const std::uint8_t>(s.bytes);
}

}  // namespace parley::sfu
