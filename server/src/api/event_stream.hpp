// A subscription's event source fed by the bus: events published on a topic
// are queued on the subscribing socket's executor and pulled by the
// transport with next().
#pragma once

#include <coroutine>
#include <vector>
#include <memory>
#include <optional>

#include "base/executor.hpp"
#include "bus/bus.hpp"
#include "chat/chat_service.hpp"
#include "graphql/graphql.hpp"

namespace parley::api {

class BusEventStream final : public graphql::EventStream,
                             public bus::Bus::Listener,
                             public std::enable_shared_from_this<BusEventStream> {
 public:
  // Where a stream starts from: everything stored for `user_id` after log
  // position `after` is replayed (in pages) before live events.
  struct Replay {
    chat::ChatService* chat = nullptr;
    std::string user_id;
    std::int64_t after = 0;
  };

  // Subscribes to `topic`; events are handed to the current executor (the
  // caller's event loop), where next() must be awaited. With `replay`, the
  // stored events come first; live events already replayed are skipped, so
  // the two join with no gap and no duplicate (live events arrive in log
  // order: see storage/chat_store.hpp).
  static std::shared_ptr<BusEventStream> open(bus::Bus& bus, std::string topic,
                                              std::optional<Replay> replay = std::nullopt);
  ~BusEventStream() override;

  base::Task<std::optional<graphql::Value>> next() override;
  void cancel() override;

  // The next bus event itself, or null when the stream ended. The transport
  // uses it to find bytes already rendered for the event (its memo) before
  // building any value; next() is this plus event_value().
  base::Task<bus::EventPtr> next_event();

  void on_event(const bus::EventPtr& event) override;  // any thread

  // Events queued but not yet pulled; beyond this the subscriber is too slow
  // and the stream ends (the client resumes from its last cursor).
  static constexpr std::size_t kMaxQueued = 10'000;

 private:
  struct Inbox;
  BusEventStream(bus::Bus& bus, std::string topic, base::Executor* executor, Inbox* inbox)
      : bus_(bus), topic_(std::move(topic)), executor_(executor), inbox_(inbox) {}
  base::Task<bus::EventPtr> next_live();
  static Inbox* inbox_for(base::Executor* executor);
  void deliver(bus::EventPtr event);  // on executor_
  void wake();

  bus::Bus& bus_;
  const std::string topic_;
  base::Executor* executor_;
  Inbox* inbox_;  // deliveries bound for executor_, shared by its streams
  // Touched only on executor_:
  std::vector<bus::EventPtr> queue_;  // pending from queue_head_ on (a deque's 512-byte node per stream is too much)
  std::size_t queue_head_ = 0;
  std::coroutine_handle<> waiter_;
  bool ended_ = false;
  // Replay, then the live filter: the newest stored position delivered.
  std::optional<Replay> replay_;
  std::vector<bus::EventPtr> replayed_;
  std::size_t replayed_head_ = 0;
  std::int64_t last_position_ = 0;
};

// The event as a GraphQL value ({__typename, cursor, ...payload}), parsed
// once per event and shared by every subscriber.
graphql::Value event_value(const bus::Event& event);

}  // namespace parley::api
