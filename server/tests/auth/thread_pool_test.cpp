// base::ThreadPool (added for auth's password hashing): work runs on a worker,
// the awaiting coroutine resumes on its own executor.
#include "base/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace parley::base {
namespace {

TEST(ThreadPool, RunsWorkOffTheCallerAndResumesOnTheCaller) {
  ThreadPool pool(2);
  auto body = [](ThreadPool* p) -> Task<std::pair<std::thread::id, std::thread::id>> {
    auto job = p->submit([] { return std::this_thread::get_id(); });
    std::thread::id worker = co_await std::move(job);
    co_return std::make_pair(worker, std::this_thread::get_id());
  };
  auto [worker, resumed] = sync_wait(body(&pool));
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(resumed, std::this_thread::get_id());
}

TEST(ThreadPool, RunsConcurrentJobsAndDrainsOnDestruction) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(3);
    std::vector<Task<int>> tasks;
    for (int i = 0; i < 50; ++i) tasks.push_back(pool.submit([i] { return i * i; }));
    auto results = sync_wait(when_all(std::move(tasks)));
    for (int i = 0; i < 50; ++i) EXPECT_EQ(results[i], i * i);
    for (int i = 0; i < 20; ++i) pool.post([&done] { done.fetch_add(1); });
  }
  EXPECT_EQ(done.load(), 20);
}

}  // namespace
}  // namespace parley::base
