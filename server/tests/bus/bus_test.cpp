#include "bus/bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace parley::bus {
namespace {

struct Recorder : Bus::Listener {
  std::vector<std::string> seen;
  void on_event(const EventPtr& e) override { seen.push_back(e->cursor); }
};

EventPtr make(std::string cursor) {
  auto e = std::make_shared<Event>();
  e->type = "TestEvent";
  e->cursor = std::move(cursor);
  return e;
}

TEST(LocalBus, DeliversToEveryListenerOfTheTopicOnly) {
  LocalBus bus;
  auto pa = std::make_shared<Recorder>(), pb = std::make_shared<Recorder>(),
       po = std::make_shared<Recorder>();
  Recorder &a = *pa, &b = *pb, &other = *po;
  bus.subscribe("user:a", pa);
  bus.subscribe("user:a", pb);
  bus.subscribe("user:b", po);
  bus.publish("user:a", make("1"));
  bus.publish("user:nobody", make("2"));
  EXPECT_EQ(a.seen, (std::vector<std::string>{"1"}));
  EXPECT_EQ(b.seen, (std::vector<std::string>{"1"}));
  EXPECT_TRUE(other.seen.empty());
  bus.unsubscribe("user:a", &a);
  bus.publish("user:a", make("3"));
  EXPECT_EQ(a.seen.size(), 1u);
  EXPECT_EQ(b.seen.size(), 2u);
  EXPECT_EQ(bus.subscriber_count("user:a"), 1u);
  bus.unsubscribe("user:a", &b);
  EXPECT_EQ(bus.subscriber_count("user:a"), 0u);
}

TEST(LocalBus, MemoKeepsTheFirstValuePerKey) {
  auto e = make("1");
  auto bytes = [](const char* s) {
    return std::static_pointer_cast<const void>(std::make_shared<const std::string>(s));
  };
  const auto h1 = memo_hash("op1"), h2 = memo_hash("op2");
  EXPECT_EQ(e->memo_get(h1, "op1"), nullptr);
  auto first = e->memo_put(h1, "op1", bytes("a"));
  auto second = e->memo_put(h1, "op1", bytes("b"));  // a racing renderer loses
  EXPECT_EQ(first, second);
  EXPECT_EQ(*std::static_pointer_cast<const std::string>(e->memo_get(h1, "op1")), "a");
  EXPECT_EQ(e->memo_get(h2, "op2"), nullptr);
  EXPECT_EQ(e->memo_get(h1, "op1-but-colliding"), nullptr) << "equal hashes alone do not match";
}

TEST(LocalBus, ConcurrentSubscribeAndPublishIsSafe) {
  LocalBus bus;
  std::atomic<bool> stop{false};
  struct Counter : Bus::Listener {
    std::atomic<int> n{0};
    void on_event(const EventPtr&) override { ++n; }
  };
  auto counter = std::make_shared<Counter>();
  std::thread publisher([&] {
    while (!stop) bus.publish("t", make("x"));
  });
  for (int i = 0; i < 2000; ++i) {
    auto local = std::make_shared<Counter>();
    bus.subscribe("t", local);
    bus.unsubscribe("t", local.get());
  }
  bus.subscribe("t", counter);
  while (counter->n == 0) std::this_thread::yield();
  stop = true;
  publisher.join();
  bus.unsubscribe("t", counter.get());
  EXPECT_EQ(bus.subscriber_count("t"), 0u);
}

}  // namespace
}  // namespace parley::bus
