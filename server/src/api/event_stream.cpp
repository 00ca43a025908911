#include "api/event_stream.hpp"

#include <mutex>
#include <unordered_map>
#include <vector>

namespace parley::api {

// Deliveries waiting for one executor. A publish to thousands of sockets on
// the same loop queues them here and posts once, instead of one post (and
// one allocation) per socket.
struct BusEventStream::Inbox {
  std::mutex mutex;
  std::vector<std::pair<std::shared_ptr<BusEventStream>, bus::EventPtr>> items;  // GUARDED_BY(mutex)
};

BusEventStream::Inbox* BusEventStream::inbox_for(base::Executor* executor) {
  // Executors are few and live as long as the process (loops) or a test.
  static std::mutex mutex;
  static std::unordered_map<base::Executor*, std::unique_ptr<Inbox>> inboxes;
  std::lock_guard lock(mutex);
  auto& inbox = inboxes[executor];
  if (!inbox) inbox = std::make_unique<Inbox>();
  return inbox.get();
}

std::shared_ptr<BusEventStream> BusEventStream::open(bus::Bus& bus, std::string topic, std::optional<Replay> replay) {
  base::Executor* executor = base::current_executor();
  std::shared_ptr<BusEventStream> stream(
      new BusEventStream(bus, std::move(topic), executor, executor ? inbox_for(executor) : nullptr));
  if (replay) {
    stream->last_position_ = replay->after;
    stream->replay_ = std::move(replay);
  }
  // Subscribed before the replay reads the log: an event committed meanwhile
  // is either in the replay or queued here (or both: skipped once).
  bus.subscribe(stream->topic_, stream);
  return stream;
}

BusEventStream::~BusEventStream() = default;

void BusEventStream::on_event(const bus::EventPtr& event) {
  if (executor_ == nullptr) {
    deliver(event);
    return;
  }
  bool first;
  {
    std::lock_guard lock(inbox_->mutex);
    first = inbox_->items.empty();
    inbox_->items.emplace_back(shared_from_this(), event);
  }
  if (!first) return;  // a drain is already posted and will take this one too
  executor_->post([inbox = inbox_] {
    std::vector<std::pair<std::shared_ptr<BusEventStream>, bus::EventPtr>> batch;
    {
      std::lock_guard lock(inbox->mutex);
      batch.swap(inbox->items);
    }
    for (auto& [stream, event] : batch) stream->deliver(std::move(event));
  });
}

void BusEventStream::deliver(bus::EventPtr event) {
  if (ended_) return;
  if (queue_.size() - queue_head_ >= kMaxQueued) {
    cancel();
    return;
  }
  queue_.push_back(std::move(event));
  wake();
}

void BusEventStream::wake() {
  if (auto h = std::exchange(waiter_, {})) h.resume();
}

void BusEventStream::cancel() {
  if (ended_) return;
  ended_ = true;
  queue_.clear();
  queue_head_ = 0;
  bus_.unsubscribe(topic_, this);
  wake();
}

base::Task<bus::EventPtr> BusEventStream::next_event() {
  auto keep_alive = shared_from_this();
  while (replay_ && !ended_) {
    if (replayed_head_ < replayed_.size()) {
      bus::EventPtr event = std::move(replayed_[replayed_head_++]);
      last_position_ = event->position;
      co_return event;
    }
    constexpr int kPage = 500;
    auto page_task = replay_->chat->events_after(replay_->user_id, last_position_, kPage);
    auto page = co_await std::move(page_task);
    if (ended_) break;
    if (!page.ok()) {  // the client resumes from its last cursor
      cancel();
      break;
    }
    replayed_.clear();
    replayed_head_ = 0;
    for (auto& record : *page) replayed_.push_back(replay_->chat->shared_event(std::move(record)));
    if (replayed_.empty()) replay_.reset();  // caught up: live from here
  }
  for (;;) {
    bus::EventPtr event = co_await next_live();
    if (!event) co_return nullptr;
    // Stored events at or below what was delivered came through the replay;
    // ephemeral ones older than it are stale.
    if (event->ephemeral ? event->position < last_position_ : event->position <= last_position_) continue;
    if (!event->ephemeral) last_position_ = event->position;
    co_return event;
  }
}

base::Task<bus::EventPtr> BusEventStream::next_live() {
  struct Wait {
    BusEventStream* self;
    bool await_ready() const noexcept { return self->ended_ || self->queue_head_ < self->queue_.size(); }
    void await_suspend(std::coroutine_handle<> h) noexcept { self->waiter_ = h; }
    void await_resume() const noexcept {}
  };
  auto keep_alive = shared_from_this();
  co_await Wait{this};
  if (queue_head_ == queue_.size()) co_return nullptr;  // ended and drained
  bus::EventPtr event = std::move(queue_[queue_head_++]);
  if (queue_head_ == queue_.size()) {
    queue_.clear();  // keeps its small capacity for the next event
    queue_head_ = 0;
  }
  co_return event;
}

base::Task<std::optional<graphql::Value>> BusEventStream::next() {
  bus::EventPtr event = co_await next_event();
  if (!event) co_return std::nullopt;
  co_return event_value(*event);
}

graphql::Value event_value(const bus::Event& event) {
  static const std::string_view kKey = "$value";  // operation keys never start with '$'
  static const std::uint64_t kHash = bus::memo_hash(kKey);
  if (auto memo = event.memo_get(kHash, kKey)) return *std::static_pointer_cast<const graphql::Value>(memo);
  auto parsed = graphql::Value::from_json(event.payload_json);
  graphql::Value v = parsed.ok() ? std::move(*parsed) : graphql::Value::object();
  v.set("__typename", event.type);
  v.set("cursor", event.cursor);
  auto stored = event.memo_put(kHash, kKey, std::make_shared<const graphql::Value>(std::move(v)));
  return *std::static_pointer_cast<const graphql::Value>(stored);
}

}  // namespace parley::api
