#include "sfu/retransmission_cache.hpp"

#include <algorithm>
#include <cstring>

namespace parley::sfu {

std::optional<std::size_t> RetransmissionCache::place(std::size_t length) const {
  if (order_.empty()) return length <= arena_.size() ? std::optional<std::size_t>(0) : std::nullopt;
  const std::size_t tail = order_.front().offset;  // the oldest live byte
  if (write_ > tail) {
    // Live bytes are [tail, write_): room at the end, else at the start.
    if (write_ + length <= arena_.size()) return write_;
    if (length <= tail) return 0;
    return std::nullopt;
  }
  // Wrapped: live bytes are [tail, end) and [0, write_); room is [write_, tail).
  if (write_ + length <= tail) return write_;
  return std::nullopt;
}

void RetransmissionCache::evict_oldest() {
  const Stored& e = order_.front();
  Slot& s = slots_[e.seq % kSlots];
  if (s.used && s.seq == e.seq && s.offset == e.offset) s.used = false;
  order_.pop_front();
  if (order_.empty()) write_ = 0;
}

// Doubles the arena, moving the live packets to its start in order.
void RetransmissionCache::grow() {
  std::vector<std::uint8_t> bigger(std::max(kInitialBytes, arena_.size() * 2));
  std::size_t at = 0;
  for (auto& e : order_) {
    std::memcpy(bigger.data() + at, arena_.data() + e.offset, e.length);
    Slot& s = slots_[e.seq % kSlots];
    if (s.used && s.seq == e.seq && s.offset == e.offset) s.offset = static_cast<std::uint32_t>(at);
    e.offset = static_cast<std::uint32_t>(at);
    at += e.length;
  }
  arena_ = std::move(bigger);
  write_ = at;
}

void RetransmissionCache::store(std::uint16_t seq, std::span<const std::uint8_t> packet, std::int64_t now_ms) {
  if (packet.empty() || packet.size() > kMaxPacket) return;
  while (!order_.empty() && now_ms - order_.front().stored_ms > max_age_ms_) evict_oldest();
  std::optional<std::size_t> at = place(packet.size());
  while (!at) {
    // Everything left is young enough to be asked for: make room for it,
    // unless the arena is at its ceiling (then the oldest goes).
    if (arena_.size() < kMaxBytes) {
      grow();
    } else {
      evict_oldest();
    }
    at = place(packet.size());
  }
  std::memcpy(arena_.data() + *at, packet.data(), packet.size());
  const auto length = static_cast<std::uint16_t>(packet.size());
  const auto offset = static_cast<std::uint32_t>(*at);
  order_.push_back(Stored{seq, length, offset, now_ms});
  write_ = *at + packet.size();
  Slot& s = slots_[seq % kSlots];
  s = Slot{true, seq, length, offset, now_ms};
}

std::optional<std::span<const std::uint8_t>> RetransmissionCache::find(std::uint16_t seq, std::int64_t now_ms) const {
  const Slot& s = slots_[seq % kSlots];
  if (!s.used || s.seq != seq || now_ms - s.stored_ms > max_age_ms_) return std::nullopt;
  return std::span<const std::uint8_t>(arena_.data() + s.offset, s.length);
}

std::size_t RetransmissionCache::memory_bytes() const {
  return arena_.capacity() + slots_.capacity() * sizeof(Slot) + order_.size() * sizeof(Stored);
}

}  // namespace parley::sfu
