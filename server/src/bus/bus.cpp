#include "bus/bus.hpp"

#include <algorithm>

namespace parley::bus {

std::uint64_t memo_hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

std::shared_ptr<const void> Event::memo_get(std::uint64_t hash, std::string_view key) const {
  std::lock_guard lock(memo_mutex_);
  for (const auto& e : memo_) {
    if (e.hash == hash && e.key == key) return e.value;
  }
  return nullptr;
}

std::shared_ptr<const void> Event::memo_put(std::uint64_t hash, std::string_view key,
                                            std::shared_ptr<const void> value) const {
  std::lock_guard lock(memo_mutex_);
  for (const auto& e : memo_) {
    if (e.hash == hash && e.key == key) return e.value;
  }
  memo_.push_back(MemoEntry{hash, std::string(key), std::move(value)});
  return memo_.back().value;
}

void LocalBus::subscribe(const std::string& topic, std::shared_ptr<Listener> listener) {
  std::lock_guard lock(mutex_);
  Topic& t = topics_[topic];
  const Listener* key = listener.get();
  t.members.emplace(key, std::move(listener));
  t.snapshot.reset();
}

void LocalBus::unsubscribe(const std::string& topic, const Listener* listener) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  if (it->second.members.erase(listener) == 0) return;
  if (it->second.members.empty()) {
    topics_.erase(it);
  } else {
    it->second.snapshot.reset();
  }
}

void LocalBus::publish(const std::string& topic, EventPtr event) {
  std::shared_ptr<const Listeners> listeners;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return;
    Topic& t = it->second;
    if (!t.snapshot) {
      auto fresh = std::make_shared<Listeners>();
      fresh->reserve(t.members.size());
      for (const auto& [key, l] : t.members) fresh->push_back(l);
      t.snapshot = std::move(fresh);
    }
    listeners = t.snapshot;
  }
  for (const auto& l : *listeners) l->on_event(event);
}

std::size_t LocalBus::subscriber_count(const std::string& topic) const {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second.members.size();
}

}  // namespace parley::bus
