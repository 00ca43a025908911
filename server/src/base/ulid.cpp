#include "base/ulid.hpp"

namespace parley::base {
namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int crockford_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (int i = 0; i < 32; ++i) {
    if (kCrockford[i] == c) return i;
  }
  return -1;
}
}  // namespace

std::string UlidGenerator::next() {
  std::array<std::uint8_t, 16> bytes{};
  {
    std::lock_guard lock(mutex_);
    std::int64_t ms = clock_.now_ms();
    if (ms <= last_ms_) {
      // Same (or earlier: clock stepped back) millisecond: keep order by
      // incrementing the previous random part.
      ms = last_ms_;
      for (int i = 9; i >= 0; --i) {
        if (++last_rand_[i] != 0) break;
      }
    } else {
      random_.fill(last_rand_);
      last_rand_[0] &= 0x7F;  // leave room to increment without overflow
      last_ms_ = ms;
    }
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    for (int i = 0; i < 10; ++i) bytes[6 + i] = last_rand_[i];
  }
  // 128 bits -> 26 characters of 5 bits (first character carries 3 bits).
  std::string out(26, '0');
  unsigned __int128 v = 0;
  for (auto b : bytes) v = (v << 8) | b;
  for (int i = 25; i >= 0; --i) {
    out[i] = kCrockford[static_cast<int>(v & 31)];
    v >>= 5;
  }
  return out;
}

bool is_valid_ulid(std::string_view s) {
  if (s.size() != 26) return false;
  if (crockford_value(s[0]) < 0 || crockford_value(s[0]) > 7) return false;
  for (char c : s) {
    if (crockford_value(c) < 0) return false;
  }
  return true;
}

std::int64_t ulid_time_ms(std::string_view s) {
  std::int64_t ms = 0;
  for (int i = 0; i < 10; ++i) ms = (ms << 5) | crockford_value(s[i]);
  return ms;
}

}  // namespace parley::base
