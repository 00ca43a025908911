#include "bus/bus.hpp"

#include <algorithm>

namespace parley::bus {

std::shared_ptr<const void> Event::memo_get(const std::string& key) const {
  std::lock_guard lock(memo_mutex_);
  auto it = memo_.find(key);
  return it == memo_.end() ? nullptr : it->second;
}

std::shared_ptr<const void> Event::memo_put(const std::string& key, std::shared_ptr<const void> value) const {
  std::lock_guard lock(memo_mutex_);
  return memo_.emplace(key, std::move(value)).first->second;
}

void LocalBus::subscribe(const std::string& topic, std::shared_ptr<Listener> listener) {
  std::lock_guard lock(mutex_);
  auto& current = topics_[topic];
  auto next = std::make_shared<Listeners>(current ? *current : Listeners{});
  next->push_back(std::move(listener));
  current = std::move(next);
}

void LocalBus::unsubscribe(const std::string& topic, const Listener* listener) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  auto next = std::make_shared<Listeners>(*it->second);
  std::erase_if(*next, [&](const auto& l) { return l.get() == listener; });
  if (next->empty()) {
    topics_.erase(it);
  } else {
    it->second = std::move(next);
  }
}

void LocalBus::publish(const std::string& topic, EventPtr event) {
  std::shared_ptr<const Listeners> listeners;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return;
    listeners = it->second;
  }
  for (const auto& l : *listeners) l->on_event(event);
}

std::size_t LocalBus::subscriber_count(const std::string& topic) const {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second->size();
}

}  // namespace parley::bus
