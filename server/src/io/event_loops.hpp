// Event-loop threads: one io_context per thread, one thread per core.
//
// Everything a connection does runs on the loop that accepted it, so
// connection state needs no locks. Each loop thread installs its Executor as
// base::current_executor(), so base::Completion resumes coroutines on the
// loop that awaited them.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "base/executor.hpp"
#include "base/task.hpp"

namespace boost::asio {
class io_context;
}

namespace parley::io {

class EventLoops {
 public:
  // threads <= 0: std::thread::hardware_concurrency() (at least 1).
  explicit EventLoops(int threads = 0);
  // Stops and joins the threads if still running.
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  // Starts the threads. The loops keep running (even without work) until stop().
  void start();
  // Stops every loop and joins the threads; queued work that has not run is
  // dropped. Must not be called from a loop thread. Idempotent.
  void stop();

  std::size_t size() const;
  base::Executor& executor(std::size_t i);
  boost::asio::io_context& context(std::size_t i);
  // Round-robin loop index for placing new work (thread-safe).
  std::size_t next_index();
  // True when the calling thread is loop i's thread.
  bool on_loop(std::size_t i) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `task` on `executor`'s thread (posted, never inline). An escaped
// exception is logged and swallowed: a failing connection must not take the
// process down.
void spawn_on(base::Executor& executor, base::Task<void> task);

// An Executor adapter for an io_context (posts through asio::post).
std::unique_ptr<base::Executor> make_executor(boost::asio::io_context& ctx);

}  // namespace parley::io
