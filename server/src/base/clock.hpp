// Injected time. Code that reads time takes a Clock& so tests can drive it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace parley::base {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in milliseconds since the Unix epoch (timestamps, tokens).
  virtual std::int64_t now_ms() const = 0;
  // Monotonic milliseconds from an arbitrary origin (timeouts, rates).
  virtual std::int64_t steady_ms() const = 0;
  std::int64_t now_s() const { return now_ms() / 1000; }
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
  std::int64_t steady_ms() const override;
  static SystemClock& instance();
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms = 1'700'000'000'000) : now_(start_ms), steady_(0) {}
  std::int64_t now_ms() const override { return now_.load(); }
  std::int64_t steady_ms() const override { return steady_.load(); }
  void advance_ms(std::int64_t d) {
    now_ += d;
    steady_ += d;
  }

 private:
  std::atomic<std::int64_t> now_;
  std::atomic<std::int64_t> steady_;
};

// RFC 3339 UTC with milliseconds: "2026-11-24T22:38:56.123Z".
std::string format_rfc3339_ms(std::int64_t epoch_ms);

}  // namespace parley::base
