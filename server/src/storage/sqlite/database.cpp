#include "storage/sqlite/database.hpp"

#include "storage/sqlite/migrations.hpp"

#include <algorithm>
#include <exception>
#include <string>

namespace parley::storage::sqlite {

base::Result<std::unique_ptr<Database>> Database::open(const Options& options) {
  std::unique_ptr<Database> db(new Database());
  db->options_ = options;
  if (db->options_.max_batch == 0) db->options_.max_batch = 1;
  Connection::Options copt{options.path, false, options.synchronous_full, 5000};
  PARLEY_ASSIGN_OR_RETURN(db->writer_conn_, Connection::open(copt));
  PARLEY_ASSIGN_OR_RETURN(db->schema_version_, migrate(*db->writer_conn_));
  int readers = std::clamp(options.read_threads, 1, 16);
  for (int i = 0; i < readers; ++i) {
    Connection::Options ropt{options.path, true, options.synchronous_full, 5000};
    PARLEY_ASSIGN_OR_RETURN(auto conn, Connection::open(ropt));
    db->reader_conns_.push_back(std::move(conn));
  }
  Database* self = db.get();
  db->writer_ = std::thread([self] { self->writer_loop(); });
  for (auto& conn : db->reader_conns_) {
    Connection* c = conn.get();
    db->readers_.emplace_back([self, c] { self->reader_loop(c); });
  }
  return db;
}

Database::~Database() {
  {
    std::lock_guard lock(write_mutex_);
    write_stop_ = true;
  }
  write_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard lock(read_mutex_);
    read_stop_ = true;
  }
  read_cv_.notify_all();
  for (auto& t : readers_) t.join();
  // Connections close after their threads have gone.
}

void Database::submit_write(WriteOp op) {
  {
    std::unique_lock lock(write_mutex_);
    if (!write_stop_) {
      write_queue_.push_back(std::move(op));
      lock.unlock();
      write_cv_.notify_one();
      return;
    }
  }
  op.done(base::Status::unavailable("store is shutting down"));
}

void Database::submit_read(std::function<void(Connection*)> fn) {
  {
    std::unique_lock lock(read_mutex_);
    if (!read_stop_) {
      read_queue_.push_back(std::move(fn));
      lock.unlock();
      read_cv_.notify_one();
      return;
    }
  }
  fn(nullptr);
}

void Database::writer_loop() {
  std::vector<WriteOp> batch;
  for (;;) {
    {
      std::unique_lock lock(write_mutex_);
      write_cv_.wait(lock, [&] { return write_stop_ || !write_queue_.empty(); });
      if (write_queue_.empty()) return;  // stopping and drained
      std::size_t n = std::min(options_.max_batch, write_queue_.size());
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(write_queue_.front()));
        write_queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void Database::run_batch(std::vector<WriteOp>& batch) {
  Connection& c = *writer_conn_;
  std::vector<base::Status> results(batch.size());
  base::Status txn = c.run("BEGIN IMMEDIATE");
  if (txn.is_ok()) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      base::Status st = c.run("SAVEPOINT op");
      if (st.is_ok()) {
        try {
          st = batch[i].apply(c);
        } catch (const std::exception& e) {  // never let one op take the writer down
          st = base::Status::internal(std::string("write failed: ") + e.what());
        }
        if (st.is_ok()) {
          st = c.run("RELEASE op");
        } else {
          (void)c.run("ROLLBACK TO op");
          (void)c.run("RELEASE op");
          failed_ops_.fetch_add(1, std::memory_order_relaxed);
        }
      }
      results[i] = std::move(st);
    }
    txn = c.run("COMMIT");
    if (!txn.is_ok()) (void)c.run("ROLLBACK");
  }
  write_ops_.fetch_add(batch.size(), std::memory_order_relaxed);
  if (txn.is_ok()) {
    commits_.fetch_add(1, std::memory_order_relaxed);
  } else {
    base::Status failed = base::Status::unavailable("commit failed: " + txn.message());
    for (auto& r : results) r = failed;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
}

void Database::reader_loop(Connection* conn) {
  for (;;) {
    std::function<void(Connection*)> fn;
    {
      std::unique_lock lock(read_mutex_);
      read_cv_.wait(lock, [&] { return read_stop_ || !read_queue_.empty(); });
      if (read_queue_.empty()) return;
      fn = std::move(read_queue_.front());
      read_queue_.pop_front();
    }
    read_ops_.fetch_add(1, std::memory_order_relaxed);
    fn(conn);
  }
}

StoreStats Database::stats() const {
  StoreStats s;
  s.write_ops = write_ops_.load();
  s.failed_ops = failed_ops_.load();
  s.commits = commits_.load();
  s.read_ops = read_ops_.load();
  s.schema_version = schema_version_;
  return s;
}

}  // namespace parley::storage::sqlite
