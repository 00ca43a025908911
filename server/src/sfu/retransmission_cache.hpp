// The last second of one producer's packets, by sequence number, to answer
// NACKs (RFC 4585 section 6.2.1) with retransmissions (RFC 4588).
//
// Packets are copied one after another into a byte ring (the arena) and
// found through kSlots slots indexed by sequence number. A packet older than
// max_age_ms is never resent (by then the receiver's jitter buffer has moved
// on), so it is evicted and its bytes reused: memory follows the stream's
// bitrate over max_age_ms (about 130 KB for 1 Mbit/s video) rather than a
// fixed number of full-size packets. The arena starts at 16 KiB and doubles
// (up to kMaxBytes) only when a second's worth of packets does not fit; a
// steady stream then allocates nothing.
//
// Threading: single-threaded (the producer's worker).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace parley::sfu {

class RetransmissionCache {
 public:
  static constexpr std::size_t kSlots = 1024;  // a power of two: seq % kSlots
  static constexpr std::size_t kMaxPacket = 1500;
  static constexpr std::size_t kInitialBytes = 16 * 1024;
  static constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;  // a second at 32 Mbit/s

  explicit RetransmissionCache(std::int64_t max_age_ms = 1000) : max_age_ms_(max_age_ms), slots_(kSlots) {}

  // Keeps a copy of `packet` (an RTP packet with sequence number `seq`).
  // Packets larger than kMaxPacket are not kept.
  void store(std::uint16_t seq, std::span<const std::uint8_t> packet, std::int64_t now_ms);
  // The packet with `seq` if kept and younger than max_age_ms.
  std::optional<std::span<const std::uint8_t>> find(std::uint16_t seq, std::int64_t now_ms) const;

  // Bytes held (arena and index), for memory accounting.
  std::size_t memory_bytes() const;

 private:
  struct Slot {
    bool used = false;
    std::uint16_t seq = 0;
    std::uint16_t length = 0;
    std::uint32_t offset = 0;
    std::int64_t stored_ms = 0;
  };
  struct Stored {  // in arrival order, oldest first
    std::uint16_t seq = 0;
    std::uint16_t length = 0;
    std::uint32_t offset = 0;
    std::int64_t stored_ms = 0;
  };
  // Where `length` bytes fit after the newest packet without touching live
  // ones, or nullopt.
  std::optional<std::size_t> place(std::size_t length) const;
  void evict_oldest();
  void grow();

  std::int64_t max_age_ms_;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> arena_;
  std::deque<Stored> order_;
  std::size_t write_ = 0;  // just after the newest packet's bytes
};

}  // namespace parley::sfu
