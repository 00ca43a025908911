// The last packets of one producer, by sequence number, to answer NACKs
// (RFC 4585 section 6.2.1) with retransmissions (RFC 4588).
//
// A ring of kSlots slots indexed by sequence number; a slot holds a copy of
// the decrypted packet as the producer sent it and its arrival time. A
// packet older than max_age_ms is not resent: by then the receiver's jitter
// buffer has moved on and the resend would only cost bandwidth. Slot
// buffers are allocated on first use and then reused, so a steady stream
// allocates nothing.
//
// Threading: single-threaded (the producer's worker).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace parley::sfu {

class RetransmissionCache {
 public:
  static constexpr std::size_t kSlots = 1024;  // a power of two: seq % kSlots
  static constexpr std::size_t kMaxPacket = 1500;

  explicit RetransmissionCache(std::int64_t max_age_ms = 1000) : max_age_ms_(max_age_ms), slots_(kSlots) {}

  // Keeps a copy of `packet` (an RTP packet with sequence number `seq`).
  // Packets larger than kMaxPacket are not kept.
  void store(std::uint16_t seq, std::span<const std::uint8_t> packet, std::int64_t now_ms);
  // The packet with `seq` if kept and younger than max_age_ms.
  std::optional<std::span<const std::uint8_t>> find(std::uint16_t seq, std::int64_t now_ms) const;

 private:
  struct Slot {
    bool used = false;
    std::uint16_t seq = 0;
    std::int64_t stored_ms = 0;
    std::vector<std::uint8_t> bytes;
  };
  std::int64_t max_age_ms_;
  std::vector<Slot> slots_;
};

}  // namespace parley::sfu
