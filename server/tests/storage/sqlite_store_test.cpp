// SQLite-specific behaviour: migrations, refusing newer schemas, durability
// across a SIGKILL.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/task.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "store_test_util.hpp"

namespace parley::storage {
namespace {

using base::sync_wait;
using testing::TempDir;

UserRecord make_user(const std::string& id) {
  return UserRecord{id, id + "@example.com", "N", "$h", 1, 1};
}

TEST(SqliteStore, MigratesAnEmptyDatabaseAndReopensIdempotently) {
  TempDir dir;
  base::ManualClock clock;
  auto path = dir.path() / "p.db";
  {
    auto store = open_sqlite({path}, clock);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    EXPECT_EQ((*store)->stats().schema_version, sqlite_schema_version());
    ASSERT_TRUE(sync_wait((*store)->users().create(make_user("U1"))).ok());
  }
  for (int i = 0; i < 2; ++i) {
    auto store = open_sqlite({path, false}, clock);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    EXPECT_EQ((*store)->stats().schema_version, sqlite_schema_version());
    EXPECT_TRUE(sync_wait((*store)->users().get("U1")).ok());
  }
  // Exactly one row per migration, applied once.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*), MAX(version) FROM schema_migrations", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), sqlite_schema_version());
  EXPECT_EQ(sqlite3_column_int(st, 1), sqlite_schema_version());
  sqlite3_finalize(st);
  // WAL mode persisted.
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(SqliteStore, RefusesADatabaseNewerThanTheBinary) {
  TempDir dir;
  base::ManualClock clock;
  auto path = dir.path() / "p.db";
  { ASSERT_TRUE(open_sqlite({path}, clock).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = "INSERT INTO schema_migrations(version, applied_at) VALUES(" +
                    std::to_string(sqlite_schema_version() + 1) + ", 0)";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = open_sqlite({path}, clock);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), base::Code::Unavailable);
  EXPECT_NE(store.status().message().find("newer than this binary"), std::string::npos) << store.status().message();
}

TEST(SqliteStore, MaxBatchBoundsTheGroup) {
  TempDir dir;
  base::ManualClock clock;
  auto store = open_sqlite({dir.path() / "p.db", true, 2, /*max_batch=*/4}, clock);
  ASSERT_TRUE(store.ok());
  std::vector<base::Task<base::Result<UserRecord>>> tasks;
  for (int i = 0; i < 40; ++i) tasks.push_back((*store)->users().create(make_user("U" + std::to_string(i))));
  for (auto& r : sync_wait(base::when_all(std::move(tasks)))) EXPECT_TRUE(r.ok());
  auto stats = (*store)->stats();
  EXPECT_EQ(stats.write_ops, 40u);
  EXPECT_GE(stats.commits, 10u);  // at most 4 ops per transaction
}

TEST(SqliteStore, ReportsAnUnopenablePath) {
  base::ManualClock clock;
  auto store = open_sqlite({"/nonexistent-dir/for/sure/p.db"}, clock);
  EXPECT_FALSE(store.ok());
}

// The child writes as fast as it can with 16 concurrent writers and reports
// every acknowledged id through a pipe; the parent SIGKILLs it mid-stream,
// reopens the database and finds every acknowledged write.
base::Task<int> write_forever(Store* store, int fd, int writer) {
  for (int i = 0;; ++i) {
    std::string id = "w" + std::to_string(writer) + "-" + std::to_string(i);
    auto r = co_await store->users().create(make_user(id));
    if (!r.ok()) co_return 1;
    std::string line = id + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) co_return 2;
  }
}

TEST(SqliteStore, EveryAcknowledgedWriteSurvivesSigkill) {
  TempDir dir;
  auto path = dir.path() / "p.db";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    base::ManualClock clock;
    auto store = open_sqlite({path}, clock);
    if (!store.ok()) ::_exit(3);
    std::vector<base::Task<int>> tasks;
    for (int w = 0; w < 16; ++w) tasks.push_back(write_forever(store->get(), fds[1], w));
    sync_wait(base::when_all(std::move(tasks)));
    ::_exit(4);
  }
  ::close(fds[1]);
  std::vector<std::string> acked;
  std::string pending;
  char buf[4096];
  bool killed = false;
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t pos;
    while ((pos = pending.find('\n')) != std::string::npos) {
      acked.push_back(pending.substr(0, pos));
      pending.erase(0, pos + 1);
    }
    if (!killed && acked.size() >= 3000) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
  }
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(killed) << "child exited early with status " << wstatus << " after " << acked.size() << " writes";
  ASSERT_TRUE(WIFSIGNALED(wstatus));

  base::ManualClock clock;
  auto store = open_sqlite({path}, clock);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  std::size_t missing = 0;
  for (const auto& id : acked) {
    if (!sync_wait((*store)->users().get(id)).ok()) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged writes";
}

}  // namespace
}  // namespace parley::storage
