#include "base/executor.hpp"

#include <chrono>
#include <queue>
#include <thread>
#include <vector>

namespace parley::base {
namespace {
thread_local Executor* t_current = nullptr;
}

// The fallback timer: a min-heap of deadlines served by one thread that
// lives for the rest of the process.
class TimerThread {
 public:
  static TimerThread& instance() {
    static auto* t = new TimerThread();  // never destroyed: timers may be pending at exit
    return *t;
  }
  void schedule(Executor* e, std::int64_t delay_ms, std::function<void()> fn) {
    auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
    {
      std::lock_guard lock(mutex_);
      heap_.push(Entry{due, seq_++, e, std::move(fn)});
    }
    cv_.notify_one();
  }

  void forget(Executor* e) {
    std::unique_lock lock(mutex_);
    std::vector<Entry> keep;
    while (!heap_.empty()) {
      Entry& top = const_cast<Entry&>(heap_.top());
      if (top.executor != e) keep.push_back(std::move(top));
      heap_.pop();
    }
    for (auto& k : keep) heap_.push(std::move(k));
    fired_.wait(lock, [&] { return firing_ != e; });
  }

 private:
  struct Entry {
    std::chrono::steady_clock::time_point due;
    std::uint64_t seq;
    Executor* executor;
    std::function<void()> fn;
    bool operator>(const Entry& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };
  TimerThread() {
    std::thread([this] { run(); }).detach();
  }
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (heap_.empty()) {
        cv_.wait(lock);
        continue;
      }
      auto due = heap_.top().due;
      if (std::chrono::steady_clock::now() < due) {
        cv_.wait_until(lock, due);
        continue;
      }
      Entry e = std::move(const_cast<Entry&>(heap_.top()));
      heap_.pop();
      firing_ = e.executor;
      lock.unlock();
      e.executor->post(std::move(e.fn));
      lock.lock();
      firing_ = nullptr;
      fired_.notify_all();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;  // GUARDED_BY(mutex_)
  std::uint64_t seq_ = 0;                                                // GUARDED_BY(mutex_)
  Executor* firing_ = nullptr;  // whose post() runs right now; GUARDED_BY(mutex_)
  std::condition_variable fired_;
};

Executor* current_executor() { return t_current; }

void Executor::post_after(std::int64_t delay_ms, std::function<void()> fn) {
  TimerThread::instance().schedule(this, delay_ms, std::move(fn));
}

void Executor::cancel_timers() { TimerThread::instance().forget(this); }

ScopedCurrentExecutor::ScopedCurrentExecutor(Executor* e) : previous_(t_current) { t_current = e; }
ScopedCurrentExecutor::~ScopedCurrentExecutor() { t_current = previous_; }

void LoopExecutor::post(std::function<void()> fn) {
  // Notify under the lock: the waiter may return from sync_wait() and destroy
  // this executor as soon as it sees the queue change.
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(fn));
  cv_.notify_one();
}

void LoopExecutor::run_one() {
  std::function<void()> fn;
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !queue_.empty(); });
    fn = std::move(queue_.front());
    queue_.pop_front();
  }
  fn();
}

bool LoopExecutor::run_ready() {
  std::deque<std::function<void()>> ready;
  {
    std::lock_guard lock(mutex_);
    ready.swap(queue_);
  }
  for (auto& fn : ready) fn();
  return !ready.empty();
}

void resume_on(Executor* e, std::coroutine_handle<> h) {
  if (e == nullptr) {
    h.resume();
  } else {
    e->post([h] { h.resume(); });
  }
}

}  // namespace parley::base
