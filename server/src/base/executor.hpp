// Executor: where a suspended coroutine is resumed. Every io/ event-loop
// thread installs its executor as the thread's current one, so code that
// completes work on another thread (the store's writer, a worker pool) can
// hand the continuation back to the thread that asked, without knowing Asio.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <coroutine>
#include <deque>
#include <functional>
#include <mutex>

namespace parley::base {

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs fn later on this executor's thread(s). Thread-safe.
  virtual void post(std::function<void()> fn) = 0;
  // Runs fn on this executor after `delay_ms`. Thread-safe. The default uses
  // one process-wide timer thread that posts fn when due (an executor with
  // its own timers, like io/'s loops, overrides it). Not cancellable: fn
  // checks its own state. An executor that uses the default must call
  // cancel_timers() first thing in its destructor.
  virtual void post_after(std::int64_t delay_ms, std::function<void()> fn);

 protected:
  // Drops this executor's pending default timers, waiting for one that is
  // being posted right now. After it returns, the timer thread no longer
  // touches this executor.
  void cancel_timers();
};

// The executor of the calling thread, or nullptr when the thread has none
// (then completions run inline on the completing thread).
Executor* current_executor();

// Installs `e` as the calling thread's executor for the lifetime of the guard.
class ScopedCurrentExecutor {
 public:
  explicit ScopedCurrentExecutor(Executor* e);
  ~ScopedCurrentExecutor();
  ScopedCurrentExecutor(const ScopedCurrentExecutor&) = delete;
  ScopedCurrentExecutor& operator=(const ScopedCurrentExecutor&) = delete;

 private:
  Executor* previous_;
};

// A run-it-yourself queue: used by sync_wait() in tests and command-line
// tools. post() is thread-safe; run_one() blocks until work arrives.
class LoopExecutor final : public Executor {
 public:
  LoopExecutor() = default;
  ~LoopExecutor() override { cancel_timers(); }
  void post(std::function<void()> fn) override;
  void run_one();
  bool run_ready();  // runs what is queued now; false if nothing was

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mutex_)
};

// Resumes `h` on `e` (or inline when e is nullptr).
void resume_on(Executor* e, std::coroutine_handle<> h);

}  // namespace parley::base
