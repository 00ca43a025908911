// Forwarding latency (a packet read from the socket to each copy handed to
// the kernel), kept per worker for the benchmarks: log-linear buckets (four
// per doubling) from 1 us to about 1 s, so a quantile is known to within
// 19%. One clock read per forwarded copy.
//
// Threading: single-threaded (the worker's); copies are merged elsewhere.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace parley::sfu {

class LatencyHistogram {
 public:
  static constexpr int kSubBuckets = 4;
  static constexpr int kBuckets = 21 * kSubBuckets;  // 2^0 .. 2^20 us

  void record_ns(std::int64_t ns) {
    const std::uint64_t us = ns <= 1000 ? 1 : static_cast<std::uint64_t>(ns) / 1000;
    const int octave = std::bit_width(us) - 1;  // floor(log2(us))
    // The two bits after the leading one pick the sub-bucket.
    const int sub = octave >= 2 ? static_cast<int>((us >> (octave - 2)) & 3) : static_cast<int>((us << (2 - octave)) & 3);
    const int i = octave * kSubBuckets + sub;
    ++counts_[static_cast<std::size_t>(i < kBuckets ? i : kBuckets - 1)];
    ++total_;
  }

  LatencyHistogram& operator+=(const LatencyHistogram& o) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
    return *this;
  }

  std::uint64_t count() const { return total_; }

  // The upper bound (in microseconds) of the bucket holding quantile q.
  double quantile_us(double q) const {
    if (total_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_)));
    std::uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += counts_[static_cast<std::size_t>(i)];
      if (seen >= rank && seen > 0) {
        const int octave = i / kSubBuckets, sub = i % kSubBuckets;
        return std::ldexp(1.0 + (sub + 1) / static_cast<double>(kSubBuckets), octave);
      }
    }
    return std::ldexp(2.0, kBuckets / kSubBuckets);
  }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace parley::sfu
