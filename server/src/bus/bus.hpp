// Publish/subscribe of user-visible events between domain services and the
// connections that deliver them. The local bus fans out inside one process;
// a Redis bus (multi-node) will implement the same interface.
//
// An Event is immutable once published and shared by every recipient. Its
// render cache lets the delivery layer serialise it once per distinct
// GraphQL operation and send the same bytes to every subscribed socket.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley::bus {

struct Event {
  std::string type;          // GraphQL type name, e.g. "SessionRevokedEvent"
  std::string cursor;        // position in the recipient's event stream
  std::string payload_json;  // the event object as JSON (what the API exposes)
  // Position in the event log (storage/chat_store.hpp). Stored events have
  // their own; ephemeral ones (typing, presence, sessions: never stored) carry
  // the newest position published before them, so a subscriber can tell
  // what it already has and resume from any cursor it was given.
  std::int64_t position = 0;
  bool ephemeral = false;

  // Memo for the delivery layer: key -> rendered bytes (or a parsed form of
  // payload_json). Callers hash their key once (memo_hash) and keep the hash;
  // an event has a handful of entries, so a short list compared by hash
  // first beats a hash map. Thread-safe.
  std::shared_ptr<const void> memo_get(std::uint64_t hash, std::string_view key) const;
  // Stores `value` unless the key is already set; returns the stored value
  // (so concurrent renderers of the same key converge on one result).
  std::shared_ptr<const void> memo_put(std::uint64_t hash, std::string_view key,
                                       std::shared_ptr<const void> value) const;

 private:
  struct MemoEntry {
    std::uint64_t hash;
    std::string key;
    std::shared_ptr<const void> value;
  };
  mutable std::mutex memo_mutex_;
  mutable std::vector<MemoEntry> memo_;  // GUARDED_BY(memo_mutex_)
};

using EventPtr = std::shared_ptr<const Event>;

std::uint64_t memo_hash(std::string_view key);

class Bus {
 public:
  // Receives events on the publisher's thread: implementations must only
  // hand them over (e.g. post to their own executor) and return quickly.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_event(const EventPtr& event) = 0;
  };

  virtual ~Bus() = default;
  // The bus keeps a reference to `listener` until unsubscribe(); a publish
  // racing with unsubscribe() may still deliver one event to it.
  virtual void subscribe(const std::string& topic, std::shared_ptr<Listener> listener) = 0;
  virtual void unsubscribe(const std::string& topic, const Listener* listener) = 0;
  virtual void publish(const std::string& topic, EventPtr event) = 0;
  virtual std::size_t subscriber_count(const std::string& topic) const = 0;
};

// In-process bus. publish() calls listeners synchronously on the calling
// thread, outside the bus lock, from an immutable snapshot of the topic's
// listeners. Subscribing and unsubscribing are O(1) (a user with thousands of
// open sockets must not make each new one slower); the snapshot is rebuilt
// by the first publish after a change.
class LocalBus final : public Bus {
 public:
  void subscribe(const std::string& topic, std::shared_ptr<Listener> listener) override;
  void unsubscribe(const std::string& topic, const Listener* listener) override;
  void publish(const std::string& topic, EventPtr event) override;
  std::size_t subscriber_count(const std::string& topic) const override;

 private:
  using Listeners = std::vector<std::shared_ptr<Listener>>;
  struct Topic {
    std::unordered_map<const Listener*, std::shared_ptr<Listener>> members;
    std::shared_ptr<const Listeners> snapshot;  // null after a change
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Topic> topics_;  // GUARDED_BY(mutex_)
};

// Topic names in one place.
inline std::string user_topic(const std::string& user_id) {
  return "user:" + user_id;
}

}  // namespace parley::bus
