#include "base/executor.hpp"

namespace parley::base {
namespace {
thread_local Executor* t_current = nullptr;
}

Executor* current_executor() { return t_current; }

ScopedCurrentExecutor::ScopedCurrentExecutor(Executor* e) : previous_(t_current) { t_current = e; }
ScopedCurrentExecutor::~ScopedCurrentExecutor() { t_current = previous_; }

void LoopExecutor::post(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(fn));
  }
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
