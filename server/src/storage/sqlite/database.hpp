// Internal: the SQLite backend's threads.
//
//  - ONE writer thread owns the write connection and commits in groups: it
//    takes everything queued (up to max_batch), runs it in ONE transaction,
//    each op inside its own SAVEPOINT (a failing op rolls back only itself and
//    gets its own error), COMMITs once (one fsync with synchronous=FULL) and
//    only then completes every op of the group.
//  - A read pool: `read_threads` threads, each owning a read-only connection
//    (WAL lets them read while the writer writes); they share one queue.
//
// write<T>() / read<T>() turn a function over a Connection into a Task that
// resumes on the awaiting coroutine's executor (base::Completion). The
// functions run on store threads: they must only touch the Connection and
// what they own (capture by value).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.hpp"
#include "base/task.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/store.hpp"

namespace parley::storage::sqlite {

class Database {
 public:
  struct Options {
    std::filesystem::path path;
    bool synchronous_full = true;
    int read_threads = 2;
    std::size_t max_batch = 1024;
  };
  // Opens the write connection, migrates, opens the readers, starts threads.
  static base::Result<std::unique_ptr<Database>> open(const Options& options);
  // Completes every queued write and read, then joins the threads. Work
  // submitted afterwards fails with UNAVAILABLE.
  ~Database();

  struct WriteOp {
    // Runs on the writer thread inside a SAVEPOINT; non-ok rolls back this op only.
    std::function<base::Status(Connection&)> apply;
    // Runs on the writer thread after COMMIT with the op's final status
    // (its own error, or the commit's error if the commit failed).
    std::function<void(base::Status)> done;
  };
  void submit_write(WriteOp op);
  void submit_read(std::function<void(Connection*)> fn);  // nullptr conn = shutting down

  template <typename T>
  base::Task<base::Result<T>> write(std::function<base::Result<T>(Connection&)> fn) {
    auto completion = std::make_shared<base::Completion<base::Result<T>>>();
    auto slot = std::make_shared<std::optional<base::Result<T>>>();
    submit_write(WriteOp{
        [fn = std::move(fn), slot](Connection& c) {
          slot->emplace(fn(c));
          return (*slot)->status();
        },
        [completion, slot](base::Status st) {
          if (st.is_ok() && slot->has_value()) {
            completion->complete(std::move(**slot));
          } else {
            completion->complete(st.is_ok() ? base::Status::internal("write produced no result") : std::move(st));
          }
        }});
    co_return co_await *completion;
  }

  template <typename T>
  base::Task<base::Result<T>> read(std::function<base::Result<T>(Connection&)> fn) {
    auto completion = std::make_shared<base::Completion<base::Result<T>>>();
    submit_read([fn = std::move(fn), completion](Connection* c) {
      if (c == nullptr) {
        completion->complete(base::Status::unavailable("store is shutting down"));
      } else {
        completion->complete(fn(*c));
      }
    });
    co_return co_await *completion;
  }

  StoreStats stats() const;

 private:
  Database() = default;
  void writer_loop();
  void reader_loop(Connection* conn);
  void run_batch(std::vector<WriteOp>& batch);

  Options options_;
  int schema_version_ = 0;
  std::unique_ptr<Connection> writer_conn_;
  std::vector<std::unique_ptr<Connection>> reader_conns_;

  std::mutex write_mutex_;
  std::condition_variable write_cv_;
  std::deque<WriteOp> write_queue_;  // GUARDED_BY(write_mutex_)
  bool write_stop_ = false;          // GUARDED_BY(write_mutex_)

  std::mutex read_mutex_;
  std::condition_variable read_cv_;
  std::deque<std::function<void(Connection*)>> read_queue_;  // GUARDED_BY(read_mutex_)
  bool read_stop_ = false;                                   // GUARDED_BY(read_mutex_)

  std::atomic<std::uint64_t> write_ops_{0}, failed_ops_{0}, commits_{0}, read_ops_{0};

  std::thread writer_;
  std::vector<std::thread> readers_;
};

}  // namespace parley::storage::sqlite
