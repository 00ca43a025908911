// ThreadPool: a fixed set of worker threads for CPU-heavy work (password
// hashing, signing) that must not run on event-loop threads.
//
// Contract:
//  - post() is thread-safe; jobs run in FIFO order on some worker.
//  - submit(fn) returns a lazy Task: fn is queued when the Task is first
//    awaited, and the awaiting coroutine resumes on the executor that was
//    current when it suspended (base::Completion), not on the worker.
//  - The destructor runs every job already queued, then joins. Jobs posted
//    after destruction began run inline on the posting thread.
//  - fn must not capture references that may dangle before it runs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "base/task.hpp"

namespace parley::base {

class ThreadPool {
 public:
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void post(std::function<void()> job);
  std::size_t size() const { return workers_.size(); }

  // Runs fn() on a worker; fn's result must be movable and non-void.
  template <typename F, typename R = std::invoke_result_t<F&>>
  Task<R> submit(F fn) {
    auto done = std::make_shared<Completion<R>>();
    post([done, fn = std::move(fn)]() mutable { done->complete(fn()); });
    co_return co_await *done;
  }

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mutex_)
  bool stop_ = false;                        // GUARDED_BY(mutex_)
  std::vector<std::thread> workers_;
};

}  // namespace parley::base
