// The Store conformance suite: written against the storage::Store interface
// only. A new backend (PostgreSQL) runs it by adding its StoreBackend to
// kBackends below.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "base/task.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"
#include "store_test_util.hpp"

namespace parley::storage {
namespace {

using base::Code;
using base::sync_wait;
using base::Task;
using testing::StoreBackend;
using testing::TempDir;

const StoreBackend kSqliteBackend{
    "Sqlite", [](const std::filesystem::path& dir, base::Clock& clock) {
      return open_sqlite(SqliteOptions{dir / "parley.db", true, 2, 1024}, clock);
    }};

class StoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    auto r = GetParam().open(dir_.path(), clock_);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    store_ = std::move(r).value();
  }

  UserRecord user(std::string id, std::string email) {
    return UserRecord{std::move(id), std::move(email), "Name", "$hash", clock_.now_ms(), clock_.now_ms()};
  }
  UserRecord must_create(std::string id, std::string email) {
    auto r = sync_wait(store_->users().create(user(std::move(id), std::move(email))));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : UserRecord{};
  }
  SessionRecord session(std::string id, std::string user_id, std::int64_t ttl_ms = 3'600'000) {
    SessionRecord s;
    s.id = std::move(id);
    s.user_id = std::move(user_id);
    s.created_at_ms = s.last_used_at_ms = clock_.now_ms();
    s.expires_at_ms = clock_.now_ms() + ttl_ms;
    s.user_agent = "test-agent";
    s.ip = "192.0.2.1";
    return s;
  }

  base::ManualClock clock_;
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, CreatesAndFindsUsers) {
  must_create("U1", "alice@example.com");
  auto by_id = sync_wait(store_->users().get("U1"));
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->email, "alice@example.com");
  EXPECT_EQ(by_id->password_hash, "$hash");
  auto by_email = sync_wait(store_->users().find_by_email("alice@example.com"));
  ASSERT_TRUE(by_email.ok());
  EXPECT_EQ(by_email->id, "U1");
  EXPECT_EQ(sync_wait(store_->users().get("nope")).status().code(), Code::NotFound);
  EXPECT_EQ(sync_wait(store_->users().find_by_email("bob@example.com")).status().code(), Code::NotFound);
}

TEST_P(StoreTest, DuplicateEmailIsAConflictAndChangesNothing) {
  must_create("U1", "alice@example.com");
  auto dup = sync_wait(store_->users().create(user("U2", "alice@example.com")));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Code::Conflict);
  EXPECT_EQ(dup.status().field(), "email");
  EXPECT_EQ(sync_wait(store_->users().get("U2")).status().code(), Code::NotFound);
  EXPECT_EQ(sync_wait(store_->users().find_by_email("alice@example.com"))->id, "U1");
}

TEST_P(StoreTest, UpdatesUsers) {
  must_create("U1", "alice@example.com");
  clock_.advance_ms(1000);
  EXPECT_TRUE(sync_wait(store_->users().update_password_hash("U1", "$new", clock_.now_ms())).is_ok());
  EXPECT_TRUE(sync_wait(store_->users().update_display_name("U1", "Alice", clock_.now_ms())).is_ok());
  auto u = sync_wait(store_->users().get("U1"));
  EXPECT_EQ(u->password_hash, "$new");
  EXPECT_EQ(u->display_name, "Alice");
  EXPECT_EQ(u->updated_at_ms, clock_.now_ms());
  EXPECT_EQ(sync_wait(store_->users().update_password_hash("nope", "$x", 0)).code(), Code::NotFound);
}

TEST_P(StoreTest, SessionsListAndRevokeOnlyOwn) {
  must_create("U1", "alice@example.com");
  must_create("U2", "bob@example.com");
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("S1", "U1"), "h1")).ok());
  clock_.advance_ms(10);
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("S2", "U1"), "h2")).ok());
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("S3", "U2"), "h3")).ok());
  EXPECT_EQ(sync_wait(store_->sessions().create(session("S4", "nobody"), "h4")).status().code(), Code::NotFound);

  auto active = sync_wait(store_->sessions().list_active("U1", clock_.now_ms()));
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ((*active)[0].id, "S2");  // newest first
  EXPECT_EQ((*active)[1].ip, "192.0.2.1");

  EXPECT_EQ(sync_wait(store_->sessions().revoke("U1", "S3", clock_.now_ms())).code(), Code::NotFound);
  std::int64_t revoked_at = clock_.now_ms();
  EXPECT_TRUE(sync_wait(store_->sessions().revoke("U1", "S1", revoked_at)).is_ok());
  EXPECT_EQ(sync_wait(store_->sessions().revoke("U1", "S1", revoked_at)).code(), Code::NotFound);
  active = sync_wait(store_->sessions().list_active("U1", clock_.now_ms()));
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].id, "S2");
  EXPECT_EQ(*sync_wait(store_->sessions().get("S1"))->revoked_at_ms, revoked_at);
  auto revoked = sync_wait(store_->sessions().list_revoked_since(revoked_at - 1));
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(*revoked, std::vector<std::string>{"S1"});
  EXPECT_TRUE(sync_wait(store_->sessions().list_revoked_since(revoked_at + 1))->empty());

  // Expired sessions are not active.
  clock_.advance_ms(3'600'000);
  EXPECT_TRUE(sync_wait(store_->sessions().list_active("U1", clock_.now_ms()))->empty());
}

TEST_P(StoreTest, RotationRotatesThenDetectsReuseAndRevokesTheFamily) {
  must_create("U1", "alice@example.com");
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("S1", "U1"), "t0")).ok());
  clock_.advance_ms(5000);
  std::int64_t now = clock_.now_ms();
  auto r1 = sync_wait(store_->sessions().rotate("t0", "t1", now, now + 7'200'000));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->outcome, RotateOutcome::Rotated);
  EXPECT_EQ(r1->session.id, "S1");
  EXPECT_EQ(r1->session.expires_at_ms, now + 7'200'000);  // sliding
  EXPECT_EQ(sync_wait(store_->sessions().get("S1"))->last_used_at_ms, now);

  auto r2 = sync_wait(store_->sessions().rotate("t1", "t2", now, now + 7'200'000));
  EXPECT_EQ(r2->outcome, RotateOutcome::Rotated);

  // t0 again: reuse. The whole session is revoked, so t2 no longer works.
  auto reuse = sync_wait(store_->sessions().rotate("t0", "x", now, now + 7'200'000));
  ASSERT_TRUE(reuse.ok());
  EXPECT_EQ(reuse->outcome, RotateOutcome::Reused);
  EXPECT_TRUE(reuse->session.revoked_at_ms.has_value());
  EXPECT_TRUE(sync_wait(store_->sessions().get("S1"))->revoked_at_ms.has_value());
  EXPECT_EQ(sync_wait(store_->sessions().rotate("t2", "t3", now, now + 1))->outcome, RotateOutcome::Revoked);
  EXPECT_EQ(sync_wait(store_->sessions().rotate("never", "t4", now, now + 1))->outcome, RotateOutcome::Unknown);
}

TEST_P(StoreTest, RotationOfAnExpiredSessionFails) {
  must_create("U1", "alice@example.com");
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("S1", "U1", 1000), "t0")).ok());
  clock_.advance_ms(1000);
  auto r = sync_wait(store_->sessions().rotate("t0", "t1", clock_.now_ms(), clock_.now_ms() + 1000));
  EXPECT_EQ(r->outcome, RotateOutcome::Expired);
  EXPECT_EQ(sync_wait(store_->sessions().rotate("t1", "t2", clock_.now_ms(), 0))->outcome, RotateOutcome::Unknown);
}

TEST_P(StoreTest, ConcurrentRotationsOfOneTokenNeverBothSucceed) {
  must_create("U1", "alice@example.com");
  for (int round = 0; round < 20; ++round) {
    std::string sid = "S" + std::to_string(round);
    std::string tok = "t" + std::to_string(round);
    ASSERT_TRUE(sync_wait(store_->sessions().create(session(sid, "U1"), tok)).ok());
    std::vector<Task<base::Result<RotateResult>>> tasks;
    for (int i = 0; i < 8; ++i) {
      tasks.push_back(store_->sessions().rotate(tok, tok + "-new" + std::to_string(i), clock_.now_ms(),
                                                clock_.now_ms() + 1000));
    }
    auto results = sync_wait(base::when_all(std::move(tasks)));
    int rotated = 0;
    for (auto& r : results) {
      ASSERT_TRUE(r.ok());
      if (r->outcome == RotateOutcome::Rotated) ++rotated;
    }
    EXPECT_EQ(rotated, 1) << "round " << round;
  }
}

TEST_P(StoreTest, GroupCommitCommitsManyConcurrentWritesInFewTransactions) {
  constexpr int kThreads = 4, kPerThread = 250;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<Task<base::Result<UserRecord>>> tasks;
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = "U" + std::to_string(t) + "-" + std::to_string(i);
        tasks.push_back(store_->users().create(user(id, id + "@example.com")));
      }
      for (auto& r : sync_wait(base::when_all(std::move(tasks)))) {
        if (r.ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  StoreStats stats = store_->stats();
  EXPECT_EQ(stats.write_ops, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_LE(stats.commits * 10, stats.write_ops) << "commits=" << stats.commits;
  // Every acknowledged write is readable.
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(sync_wait(store_->users().get("U" + std::to_string(t) + "-" + std::to_string(kPerThread - 1))).ok());
  }
}

TEST_P(StoreTest, AFailingWriteInABatchDoesNotAffectItsNeighbours) {
  must_create("U0", "taken@example.com");
  std::vector<Task<base::Result<UserRecord>>> tasks;
  for (int i = 0; i < 60; ++i) {
    std::string id = "N" + std::to_string(i);
    bool dup = i % 3 == 1;
    tasks.push_back(store_->users().create(user(id, dup ? "taken@example.com" : id + "@example.com")));
  }
  auto results = sync_wait(base::when_all(std::move(tasks)));
  for (int i = 0; i < 60; ++i) {
    std::string id = "N" + std::to_string(i);
    if (i % 3 == 1) {
      EXPECT_EQ(results[i].status().code(), Code::Conflict) << i;
      EXPECT_EQ(sync_wait(store_->users().get(id)).status().code(), Code::NotFound) << i;
    } else {
      EXPECT_TRUE(results[i].ok()) << i << results[i].status().to_string();
      EXPECT_TRUE(sync_wait(store_->users().get(id)).ok()) << i;
    }
  }
  EXPECT_EQ(store_->stats().failed_ops, 20u);
  EXPECT_LT(store_->stats().commits, 61u);  // batched: fewer commits than ops
}

TEST_P(StoreTest, SigningKeysRotateAndRetire) {
  SigningKeyRecord k1{"k1", "EdDSA", std::string("\x01\x00pub", 5), std::string("\x00priv", 5), 1000, {}, {}};
  ASSERT_TRUE(sync_wait(store_->keys().insert(k1)).is_ok());
  EXPECT_EQ(sync_wait(store_->keys().insert(k1)).code(), Code::Conflict);
  SigningKeyRecord k2{"k2", "EdDSA", "pub2", "priv2", 2000, {}, {}};
  ASSERT_TRUE(sync_wait(store_->keys().rotate(k2, 5000)).is_ok());
  auto live = sync_wait(store_->keys().list_live());
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 2u);
  EXPECT_EQ((*live)[0].kid, "k1");
  EXPECT_EQ((*live)[0].public_key, k1.public_key);  // binary-safe
  EXPECT_EQ((*live)[0].private_key, k1.private_key);
  EXPECT_EQ((*live)[0].retire_after_ms, 5000);
  EXPECT_FALSE((*live)[1].retire_after_ms.has_value());
  ASSERT_TRUE(sync_wait(store_->keys().retire_expired(4999)).is_ok());
  EXPECT_EQ(sync_wait(store_->keys().list_live())->size(), 2u);
  ASSERT_TRUE(sync_wait(store_->keys().retire_expired(5000)).is_ok());
  live = sync_wait(store_->keys().list_live());
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].kid, "k2");
}

TEST_P(StoreTest, PurgeDeletesOnlyDeadSessionsAndOldUsedTokens) {
  must_create("U1", "alice@example.com");
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("Sexp", "U1", 1000), "a0")).ok());
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("Srev", "U1"), "b0")).ok());
  ASSERT_TRUE(sync_wait(store_->sessions().create(session("Slive", "U1", 10'000'000), "c0")).ok());
  ASSERT_TRUE(sync_wait(store_->sessions().revoke("U1", "Srev", clock_.now_ms())).is_ok());
  std::int64_t t0 = clock_.now_ms();
  ASSERT_EQ(sync_wait(store_->sessions().rotate("c0", "c1", t0, t0 + 10'000'000))->outcome, RotateOutcome::Rotated);
  clock_.advance_ms(5000);
  auto purged = sync_wait(store_->sessions().purge(clock_.now_ms()));
  ASSERT_TRUE(purged.ok()) << purged.status().to_string();
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(sync_wait(store_->sessions().get("Sexp")).status().code(), Code::NotFound);
  EXPECT_EQ(sync_wait(store_->sessions().get("Srev")).status().code(), Code::NotFound);
  EXPECT_TRUE(sync_wait(store_->sessions().get("Slive")).ok());
  // The live session's current token still rotates; its old used one is gone.
  std::int64_t now = clock_.now_ms();
  EXPECT_EQ(sync_wait(store_->sessions().rotate("c0", "x", now, now + 1))->outcome, RotateOutcome::Unknown);
  EXPECT_EQ(sync_wait(store_->sessions().rotate("c1", "c2", now, now + 10'000'000))->outcome, RotateOutcome::Rotated);
}

// Awaiting a store operation resumes the coroutine on the caller's executor
// (here sync_wait's loop on this thread), not on a store thread.
TEST_P(StoreTest, ResumesOnTheCallersExecutor) {
  auto body = [](Store* store, UserRecord u) -> Task<std::pair<std::thread::id, std::thread::id>> {
    auto write = store->users().create(std::move(u));
    auto w = co_await std::move(write);
    std::thread::id after_write = std::this_thread::get_id();
    auto read = store->users().get(w->id);
    (void)co_await std::move(read);
    co_return std::make_pair(after_write, std::this_thread::get_id());
  };
  auto [after_write, after_read] = sync_wait(body(store_.get(), user("U1", "alice@example.com")));
  EXPECT_EQ(after_write, std::this_thread::get_id());
  EXPECT_EQ(after_read, std::this_thread::get_id());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(kSqliteBackend),
                         [](const ::testing::TestParamInfo<StoreBackend>& info) { return info.param.name; });

}  // namespace
}  // namespace parley::storage
