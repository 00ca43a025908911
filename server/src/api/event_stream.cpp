#include "api/event_stream.hpp"

namespace parley::api {

std::shared_ptr<BusEventStream> BusEventStream::open(bus::Bus& bus, std::string topic) {
  std::shared_ptr<BusEventStream> stream(new BusEventStream(bus, std::move(topic), base::current_executor()));
  bus.subscribe(stream->topic_, stream);
  return stream;
}

BusEventStream::~BusEventStream() = default;

void BusEventStream::on_event(const bus::EventPtr& event) {
  if (executor_ == nullptr) {
    deliver(event);
    return;
  }
  executor_->post([self = shared_from_this(), event] { self->deliver(event); });
}

void BusEventStream::deliver(bus::EventPtr event) {
  if (ended_) return;
  if (queue_.size() >= kMaxQueued) {
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
  bus_.unsubscribe(topic_, this);
  wake();
}

base::Task<std::optional<graphql::Value>> BusEventStream::next() {
  struct Wait {
    BusEventStream* self;
    bool await_ready() const noexcept { return self->ended_ || !self->queue_.empty(); }
    void await_suspend(std::coroutine_handle<> h) noexcept { self->waiter_ = h; }
    void await_resume() const noexcept {}
  };
  auto keep_alive = shared_from_this();
  co_await Wait{this};
  if (ended_ && queue_.empty()) co_return std::nullopt;
  current_ = std::move(queue_.front());
  queue_.pop_front();
  co_return event_value(*current_);
}

graphql::Value event_value(const bus::Event& event) {
  static const std::string kKey = "$value";
  if (auto memo = event.memo_get(kKey)) return *std::static_pointer_cast<const graphql::Value>(memo);
  auto parsed = graphql::Value::from_json(event.payload_json);
  graphql::Value v = parsed.ok() ? std::move(*parsed) : graphql::Value::object();
  v.set("__typename", event.type);
  v.set("cursor", event.cursor);
  auto stored = event.memo_put(kKey, std::make_shared<const graphql::Value>(std::move(v)));
  return *std::static_pointer_cast<const graphql::Value>(stored);
}

}  // namespace parley::api
