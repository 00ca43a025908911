// Task<T>: Parley's coroutine type, independent of Asio so that pure modules
// (graphql/, storage/, auth/) can be asynchronous and still be tested
// without an event loop.
//
// Contract:
//  - Lazy: the body starts when the Task is co_awaited (or handed to
//    spawn()/sync_wait()). A Task is awaited at most once; it is move-only and
//    destroys its frame when it goes out of scope.
//  - Completion resumes the awaiting coroutine by symmetric transfer, so deep
//    chains of synchronous completions do not grow the stack.
//  - An exception escaping the body is rethrown to the awaiter. Domain errors
//    travel as Status/Result values, not exceptions.
//  - when_all() runs tasks concurrently (each starts before any is awaited to
//    completion) and returns their results in order.
//  - Lambda coroutines: never capture by reference in a lambda whose Task
//    outlives the statement (seastar's "lambda coroutine fiasco"); pass
//    arguments as parameters instead.
#pragma once

#include <atomic>
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "base/executor.hpp"

namespace parley::base {

template <typename T = void>
class Task;

namespace detail {

struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  template <typename P>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) const noexcept {
    auto continuation = h.promise().continuation;
    return continuation ? continuation : std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

struct PromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <typename U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (exception) std::rethrow_exception(exception);
  }
};

// A fire-and-forget coroutine frame that destroys itself at the end.
struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

}  // namespace detail

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool valid() const { return static_cast<bool>(handle_); }

  // Awaiting a Task starts it and yields its result.
  bool await_ready() const noexcept { return !handle_ || handle_.done(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() { return handle_.promise().take(); }

 private:
  Handle handle_;
};

namespace detail {
template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

inline Detached run_detached(Task<void> task, std::function<void(std::exception_ptr)> done) {
  std::exception_ptr error;
  try {
    co_await std::move(task);
  } catch (...) {
    error = std::current_exception();
  }
  if (done) done(error);
}
}  // namespace detail

// Starts `task` now; it owns itself until it finishes. `done` (optional) gets
// the escaped exception, if any. Without `done`, an escaped exception
// terminates the process: detached work must handle its own errors.
inline void spawn(Task<void> task, std::function<void(std::exception_ptr)> done = {}) {
  if (!done) {
    done = [](std::exception_ptr e) {
      if (e) std::terminate();
    };
  }
  detail::run_detached(std::move(task), std::move(done));
}

namespace detail {
struct WhenAllState {
  std::atomic<std::size_t> remaining;
  std::coroutine_handle<> parent;
  void arrive() {
    if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) parent.resume();
  }
};

template <typename T>
Detached when_all_child(Task<T> task, std::optional<T>* out, std::exception_ptr* error,
                        WhenAllState* state) {
  try {
    out->emplace(co_await std::move(task));
  } catch (...) {
    *error = std::current_exception();
  }
  state->arrive();
}

template <typename T>
struct WhenAllAwaiter {
  std::vector<Task<T>>& tasks;
  std::vector<std::optional<T>>& results;
  std::vector<std::exception_ptr>& errors;
  WhenAllState state{};

  bool await_ready() const noexcept { return tasks.empty(); }
  bool await_suspend(std::coroutine_handle<> parent) {
    state.parent = parent;
    state.remaining.store(tasks.size() + 1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      when_all_child<T>(std::move(tasks[i]), &results[i], &errors[i], &state);
    }
    // Drop the launcher's own count; if every child already finished, do not suspend.
    return state.remaining.fetch_sub(1, std::memory_order_acq_rel) != 1;
  }
  void await_resume() const noexcept {}
};
}  // namespace detail

// Runs all tasks concurrently and returns their results in input order. If
// any task threw, rethrows the first such exception after all have finished.
template <typename T>
Task<std::vector<T>> when_all(std::vector<Task<T>> tasks) {
  std::vector<std::optional<T>> results(tasks.size());
  std::vector<std::exception_ptr> errors(tasks.size());
  co_await detail::WhenAllAwaiter<T>{tasks, results, errors};
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<T> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  co_return out;
}

// Runs `task` to completion on the calling thread, driving a private
// LoopExecutor installed as the current executor meanwhile. For tests, the
// command line and start-up code; never call it on an event-loop thread.
template <typename T>
T sync_wait(Task<T> task) {
  LoopExecutor loop;
  ScopedCurrentExecutor guard(&loop);
  std::optional<T> result;
  std::exception_ptr error;
  std::atomic<bool> finished{false};
  auto wrapper = [](Task<T> t, std::optional<T>* r) -> Task<void> { r->emplace(co_await std::move(t)); };
  spawn(wrapper(std::move(task), &result), [&](std::exception_ptr e) {
    error = e;
    finished = true;
    loop.post([] {});  // wake run_one()
  });
  while (!finished) loop.run_one();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

inline void sync_wait(Task<void> task) {
  LoopExecutor loop;
  ScopedCurrentExecutor guard(&loop);
  std::exception_ptr error;
  std::atomic<bool> finished{false};
  spawn(std::move(task), [&](std::exception_ptr e) {
    error = e;
    finished = true;
    loop.post([] {});
  });
  while (!finished) loop.run_one();
  if (error) std::rethrow_exception(error);
}

// An awaitable that completes when some other thread calls complete(value).
// The awaiting coroutine resumes on the executor that was current when it
// suspended (or inline on the completing thread if there was none).
// Used by the store and other thread-hopping services:
//
//   auto op = std::make_shared<Completion<Result<User>>>();
//   writer.submit([op] { ...; op->complete(result); });
//   co_return co_await *op;
template <typename T>
class Completion {
 public:
  void complete(T value) {
    value_.emplace(std::move(value));
    // Publish the value before checking whether a waiter has suspended.
    if (state_.exchange(kDone, std::memory_order_acq_rel) == kWaiting) resume_on(executor_, waiter_);
  }
  struct Awaiter {
    Completion* self;
    bool await_ready() const noexcept { return self->state_.load(std::memory_order_acquire) == kDone; }
    bool await_suspend(std::coroutine_handle<> h) {
      self->waiter_ = h;
      self->executor_ = current_executor();
      int expected = kIdle;
      // If complete() ran between await_ready and here, continue without suspending.
      return self->state_.compare_exchange_strong(expected, kWaiting, std::memory_order_acq_rel);
    }
    T await_resume() { return std::move(*self->value_); }
  };
  Awaiter operator co_await() { return Awaiter{this}; }

 private:
  static constexpr int kIdle = 0, kWaiting = 1, kDone = 2;
  std::atomic<int> state_{kIdle};
  std::optional<T> value_;
  std::coroutine_handle<> waiter_;
  Executor* executor_ = nullptr;
};

}  // namespace parley::base
