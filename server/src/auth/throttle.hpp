// Throttle: a sliding-window failure counter per key (an account's e-mail, a
// client IP). A key that has `limit` failures inside the last `window_ms` is
// refused until the oldest of them leaves the window.
//
// try_acquire() both checks and records an attempt as a failure up front, so
// N concurrent attempts cannot all slip past the check before any failure is
// recorded; a success then calls refund() or reset(). Thread-safe. Memory is
// bounded by pruning idle keys as the map grows.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace parley::auth {

class Throttle {
 public:
  Throttle(int limit, std::int64_t window_ms) : limit_(limit), window_ms_(window_ms) {}

  // nullopt = allowed (and counted); otherwise the seconds to wait (>= 1).
  std::optional<std::int64_t> try_acquire(const std::string& key, std::int64_t now_ms);
  // Seconds to wait if `key` is currently blocked, without counting an attempt.
  std::optional<std::int64_t> blocked_for(const std::string& key, std::int64_t now_ms);
  // Removes the most recent attempt (a success that should not count).
  void refund(const std::string& key);
  // Forgets every failure of `key` (a successful sign-in for an account).
  void reset(const std::string& key);

 private:
  std::optional<std::int64_t> blocked_locked(std::deque<std::int64_t>& q, std::int64_t now_ms);
  void maybe_prune(std::int64_t now_ms);

  const int limit_;
  const std::int64_t window_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::int64_t>> failures_;  // GUARDED_BY(mutex_)
  std::size_t prune_at_ = 1024;                                           // GUARDED_BY(mutex_)
};

}  // namespace parley::auth
