// ULIDs (https://github.com/ulid/spec): 48-bit millisecond time + 80 random
// bits, 26 Crockford base32 characters, sortable by creation time. Parley's
// ids for every entity. Monotonic within one generator: ids made in the same
// millisecond increase (the random part is incremented).
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"

namespace parley::base {

class UlidGenerator {
 public:
  UlidGenerator(Clock& clock, Random& random) : clock_(clock), random_(random) {}
  std::string next();  // thread-safe

 private:
  Clock& clock_;
  Random& random_;
  std::mutex mutex_;
  std::int64_t last_ms_ = -1;              // GUARDED_BY(mutex_)
  std::array<std::uint8_t, 10> last_rand_{};  // GUARDED_BY(mutex_)
};

// True when `s` is 26 Crockford base32 characters (case-insensitive) whose
// first character is 0-7 (the 128-bit bound).
bool is_valid_ulid(std::string_view s);
// Milliseconds encoded in a valid ULID.
std::int64_t ulid_time_ms(std::string_view s);

}  // namespace parley::base
