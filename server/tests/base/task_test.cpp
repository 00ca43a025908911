#include "base/task.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace parley::base {
namespace {

Task<int> value_of(int v) { co_return v; }

Task<int> add(int a, int b) {
  int x = co_await value_of(a);
  int y = co_await value_of(b);
  co_return x + y;
}

TEST(Task, IsLazyAndReturnsValue) {
  bool started = false;
  auto t = [](bool* s) -> Task<int> {
    *s = true;
    co_return 7;
  }(&started);
  EXPECT_FALSE(started);
  EXPECT_EQ(sync_wait(std::move(t)), 7);
  EXPECT_TRUE(started);
  EXPECT_EQ(sync_wait(add(2, 3)), 5);
}

TEST(Task, DeepSynchronousChainsDoNotOverflowTheStack) {
  auto loop = []() -> Task<long> {
    long sum = 0;
    for (int i = 0; i < 1'000'000; ++i) sum += co_await value_of(1);
    co_return sum;
  };
  EXPECT_EQ(sync_wait(loop()), 1'000'000);
}

TEST(Task, ExceptionsReachTheAwaiter) {
  auto thrower = []() -> Task<int> {
    throw std::runtime_error("boom");
    co_return 0;
  };
  EXPECT_THROW(sync_wait(thrower()), std::runtime_error);
}

// A Completion finished from another thread resumes the waiter on the
// executor that was current when it suspended.
Task<int> wait_on_thread(std::thread::id* resumed_on) {
  auto op = std::make_shared<Completion<int>>();
  std::thread worker([op] { op->complete(42); });
  int v = co_await *op;
  *resumed_on = std::this_thread::get_id();
  worker.join();
  co_return v;
}

TEST(Task, CompletionResumesOnTheAwaitersExecutor) {
  std::thread::id resumed_on;
  EXPECT_EQ(sync_wait(wait_on_thread(&resumed_on)), 42);
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

TEST(Task, WhenAllRunsConcurrentlyAndKeepsOrder) {
  // Each child waits for a completion that only fires after all children
  // have started: sequential execution would deadlock.
  auto ops = std::vector<std::shared_ptr<Completion<int>>>{};
  for (int i = 0; i < 3; ++i) ops.push_back(std::make_shared<Completion<int>>());
  auto child = [](std::shared_ptr<Completion<int>> op) -> Task<int> { co_return co_await *op; };
  auto parent = [&]() -> Task<std::vector<int>> {
    std::vector<Task<int>> tasks;
    for (auto& op : ops) tasks.push_back(child(op));
    std::thread t([&] {
      for (int i = 2; i >= 0; --i) ops[i]->complete(i * 10);
    });
    auto r = co_await when_all(std::move(tasks));
    t.join();
    co_return r;
  };
  EXPECT_EQ(sync_wait(parent()), (std::vector<int>{0, 10, 20}));
}

TEST(Task, WhenAllOfNothingAndOfReadyTasks) {
  EXPECT_TRUE(sync_wait(when_all(std::vector<Task<int>>{})).empty());
  std::vector<Task<int>> tasks;
  tasks.push_back(value_of(1));
  tasks.push_back(value_of(2));
  EXPECT_EQ(sync_wait(when_all(std::move(tasks))), (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace parley::base

namespace parley::base {
namespace {
TEST(Executor, PostAfterRunsOnTheExecutorInDeadlineOrder) {
  LoopExecutor loop;
  std::vector<int> order;
  loop.post_after(30, [&] { order.push_back(2); });
  loop.post_after(1, [&] { order.push_back(1); });
  while (order.size() < 2) loop.run_one();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}
}  // namespace
}  // namespace parley::base

namespace parley::base {
namespace {
TEST(Executor, ADestroyedExecutorsTimersNeverFire) {
  std::atomic<int> fired{0};
  {
    LoopExecutor loop;
    loop.post_after(20, [&] { ++fired; });
  }
  LoopExecutor other;  // may reuse the same address
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  other.run_ready();
  EXPECT_EQ(fired.load(), 0);
}
}  // namespace
}  // namespace parley::base
