#include "auth/throttle.hpp"

namespace parley::auth {

std::optional<std::int64_t> Throttle::blocked_locked(std::deque<std::int64_t>& q, std::int64_t now_ms) {
  while (!q.empty() && q.front() <= now_ms - window_ms_) q.pop_front();
  if (limit_ <= 0 || static_cast<int>(q.size()) < limit_) return std::nullopt;
  std::int64_t wait_ms = q.front() + window_ms_ - now_ms;
  return std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
}

std::optional<std::int64_t> Throttle::try_acquire(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  maybe_prune(now_ms);
  auto& q = failures_[key];
  if (auto wait = blocked_locked(q, now_ms)) return wait;
  q.push_back(now_ms);
  return std::nullopt;
}

std::optional<std::int64_t> Throttle::blocked_for(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  return blocked_locked(it->second, now_ms);
}

void Throttle::refund(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it != failures_.end() && !it->second.empty()) it->second.pop_back();
}

void Throttle::reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  failures_.erase(key);
}

void Throttle::maybe_prune(std::int64_t now_ms) {
  if (failures_.size() < prune_at_) return;
  for (auto it = failures_.begin(); it != failures_.end();) {
    auto& q = it->second;
    while (!q.empty() && q.front() <= now_ms - window_ms_) q.pop_front();
    it = q.empty() ? failures_.erase(it) : std::next(it);
  }
  prune_at_ = std::max<std::size_t>(1024, failures_.size() * 2);
}

}  // namespace parley::auth
