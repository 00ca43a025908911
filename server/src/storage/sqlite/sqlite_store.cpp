// The SQLite Store: typed domain operations as SQL over sqlite::Database.
// Mutations go through the group-commit writer, queries through the read pool.
#include "storage/sqlite/sqlite_store.hpp"

#include "storage/sqlite/chat_store.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrations.hpp"

namespace parley::storage {

std::string_view rotate_outcome_name(RotateOutcome o) {
  switch (o) {
    case RotateOutcome::Rotated: return "Rotated";
    case RotateOutcome::Reused: return "Reused";
    case RotateOutcome::Unknown: return "Unknown";
    case RotateOutcome::Expired: return "Expired";
    case RotateOutcome::Revoked: return "Revoked";
  }
  return "?";
}

int sqlite_schema_version() { return sqlite::latest_schema_version(); }

namespace sqlite {
namespace {

using base::Result;
using base::Status;


UserRecord user_from_row(const Statement& s) {
  return UserRecord{s.text(0), s.text(1), s.text(2), s.text(3), s.int64(4), s.int64(5)};
}

// Columns in the order of kSessionColumns, starting at `first`.
#define PARLEY_SESSION_COLUMNS "s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.revoked_at, s.user_agent, s.ip"
SessionRecord session_from_row(const Statement& s, int first = 0) {
  SessionRecord r;
  r.id = s.text(first + 0);
  r.user_id = s.text(first + 1);
  r.created_at_ms = s.int64(first + 2);
  r.last_used_at_ms = s.int64(first + 3);
  r.expires_at_ms = s.int64(first + 4);
  r.revoked_at_ms = s.opt_int64(first + 5);
  r.user_agent = s.text(first + 6);
  r.ip = s.text(first + 7);
  return r;
}

SigningKeyRecord key_from_row(const Statement& s) {
  SigningKeyRecord k;
  k.kid = s.text(0);
  k.algorithm = s.text(1);
  k.public_key = s.blob(2);
  k.private_key = s.blob(3);
  k.created_at_ms = s.int64(4);
  k.retire_after_ms = s.opt_int64(5);
  k.retired_at_ms = s.opt_int64(6);
  return k;
}

// Runs a single-row query; NOT_FOUND(`what`) when it yields nothing.
template <typename T, typename F>
Result<T> one_row(Statement& s, const char* what, F convert) {
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return Status::not_found(what);
  return convert(s);
}

// g++ 12 miscompiles non-trivial temporaries (a lambda converted to
// std::function) inside a co_await expression: it destroys them twice. So
// the coroutines below build the Task in one statement and await it in the next.
class SqliteUsers final : public UserStore {
 public:
  explicit SqliteUsers(Database& db) : db_(db) {}

  StoreTask<UserRecord> create(UserRecord user) override {
    return db_.write<UserRecord>([user = std::move(user)](Connection& c) -> Result<UserRecord> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO users(id, email, display_name, password_hash, "
                                                "created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?)"));
      s.bind_all(user.id, user.email, user.display_name, user.password_hash, user.created_at_ms, user.updated_at_ms);
      Status st = s.run();
      if (st.code() == base::Code::Conflict) return Status::conflict("email already registered").with_field("email");
      PARLEY_RETURN_IF_ERROR(st);
      return user;
    });
  }

  StoreTask<UserRecord> get(std::string id) override {
    return db_.read<UserRecord>([id = std::move(id)](Connection& c) -> Result<UserRecord> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id, email, display_name, password_hash, created_at, "
                                                "updated_at FROM users WHERE id = ?"));
      s.bind_all(id);
      return one_row<UserRecord>(s, "no such user", user_from_row);
    });
  }

  StoreTask<UserRecord> find_by_email(std::string email) override {
    return db_.read<UserRecord>([email = std::move(email)](Connection& c) -> Result<UserRecord> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id, email, display_name, password_hash, created_at, "
                                                "updated_at FROM users WHERE email = ?"));
      s.bind_all(email);
      return one_row<UserRecord>(s, "no such user", user_from_row);
    });
  }

  StatusTask update_password_hash(std::string id, std::string hash, std::int64_t now_ms) override {
    return update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", std::move(hash), now_ms,
                  std::move(id));
  }
  StatusTask update_display_name(std::string id, std::string name, std::int64_t now_ms) override {
    return update("UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?", std::move(name), now_ms,
                  std::move(id));
  }

 private:
  StatusTask update(const char* sql, std::string value, std::int64_t now_ms, std::string id) {
    auto task = db_.write<bool>([sql, value, now_ms, id](Connection& c) -> Result<bool> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare(sql));
      s.bind_all(value, now_ms, id);
      PARLEY_RETURN_IF_ERROR(s.run());
      if (c.changes() == 0) return Status::not_found("no such user");
      return true;
    });
    auto r = co_await std::move(task);
    co_return r.status();
  }

  Database& db_;
};

class SqliteSessions final : public SessionStore {
 public:
  explicit SqliteSessions(Database& db) : db_(db) {}

  StoreTask<SessionRecord> create(SessionRecord session, std::string refresh_hash) override {
    return db_.write<SessionRecord>([session = std::move(session),
                                     refresh_hash = std::move(refresh_hash)](Connection& c) -> Result<SessionRecord> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO sessions(id, user_id, created_at, last_used_at, "
                                                "expires_at, revoked_at, user_agent, ip) VALUES(?,?,?,?,?,?,?,?)"));
      s.bind_all(session.id, session.user_id, session.created_at_ms, session.last_used_at_ms, session.expires_at_ms,
                 session.revoked_at_ms, session.user_agent, session.ip);
      Status st = s.run();
      if (st.code() == base::Code::NotFound) return Status::not_found("no such user");
      PARLEY_RETURN_IF_ERROR(st);
      PARLEY_ASSIGN_OR_RETURN(auto t, c.prepare("INSERT INTO refresh_tokens(hash, session_id, created_at) "
                                                "VALUES(?, ?, ?)"));
      t.bind_all(refresh_hash, session.id, session.created_at_ms);
      PARLEY_RETURN_IF_ERROR(t.run());
      return session;
    });
  }

  StoreTask<SessionRecord> get(std::string id) override {
    return db_.read<SessionRecord>([id = std::move(id)](Connection& c) -> Result<SessionRecord> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_SESSION_COLUMNS " FROM sessions s WHERE s.id = ?"));
      s.bind_all(id);
      return one_row<SessionRecord>(s, "no such session", [](const Statement& st) { return session_from_row(st); });
    });
  }

  StoreTask<std::vector<SessionRecord>> list_active(std::string user_id, std::int64_t now_ms) override {
    return db_.read<std::vector<SessionRecord>>(
        [user_id = std::move(user_id), now_ms](Connection& c) -> Result<std::vector<SessionRecord>> {
          PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_SESSION_COLUMNS
                                                    " FROM sessions s WHERE s.user_id = ? AND s.revoked_at IS NULL "
                                                    "AND s.expires_at > ? ORDER BY s.created_at DESC, s.id DESC"));
          s.bind_all(user_id, now_ms);
          std::vector<SessionRecord> out;
          for (;;) {
            PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
            if (!row) break;
            out.push_back(session_from_row(s));
          }
          return out;
        });
  }

  StatusTask revoke(std::string user_id, std::string id, std::int64_t now_ms) override {
    auto task = db_.write<bool>([user_id, id, now_ms](Connection& c) -> Result<bool> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? "
                                                "AND revoked_at IS NULL"));
      s.bind_all(now_ms, id, user_id);
      PARLEY_RETURN_IF_ERROR(s.run());
      if (c.changes() == 0) return Status::not_found("no such session");
      return true;
    });
    auto r = co_await std::move(task);
    co_return r.status();
  }

  StoreTask<std::vector<std::string>> list_revoked_since(std::int64_t since_ms) override {
    return db_.read<std::vector<std::string>>([since_ms](Connection& c) -> Result<std::vector<std::string>> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id FROM sessions WHERE revoked_at >= ?"));
      s.bind_all(since_ms);
      std::vector<std::string> out;
      for (;;) {
        PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
        if (!row) break;
        out.push_back(s.text(0));
      }
      return out;
    });
  }

  StoreTask<std::int64_t> purge(std::int64_t before_ms) override {
    return db_.write<std::int64_t>([before_ms](Connection& c) -> Result<std::int64_t> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?"));
      s.bind_all(before_ms, before_ms);
      PARLEY_RETURN_IF_ERROR(s.run());
      std::int64_t sessions = c.changes();
      PARLEY_ASSIGN_OR_RETURN(auto t, c.prepare("DELETE FROM refresh_tokens WHERE used_at < ?"));
      t.bind_all(before_ms);
      PARLEY_RETURN_IF_ERROR(t.run());
      return sessions;
    });
  }

  // Atomic because the writer thread runs ops one at a time: the check of
  // used_at and the update happen inside one op with no other writer between.
  StoreTask<RotateResult> rotate(std::string old_hash, std::string new_hash, std::int64_t now_ms,
                                 std::int64_t new_expires_at_ms) override {
    return db_.write<RotateResult>([old_hash = std::move(old_hash), new_hash = std::move(new_hash), now_ms,
                                    new_expires_at_ms](Connection& c) -> Result<RotateResult> {
      RotateResult out;
      std::optional<std::int64_t> used_at;
      {
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT t.used_at, " PARLEY_SESSION_COLUMNS
                                                  " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id "
                                                  "WHERE t.hash = ?"));
        s.bind_all(old_hash);
        PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
        if (!row) return out;  // Unknown
        used_at = s.opt_int64(0);
        out.session = session_from_row(s, 1);
      }
      if (out.session.revoked_at_ms) {
        out.outcome = RotateOutcome::Revoked;
        return out;
      }
      if (used_at) {
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ?"));
        s.bind_all(now_ms, out.session.id);
        PARLEY_RETURN_IF_ERROR(s.run());
        out.session.revoked_at_ms = now_ms;
        out.outcome = RotateOutcome::Reused;
        return out;
      }
      if (out.session.expires_at_ms <= now_ms) {
        out.outcome = RotateOutcome::Expired;
        return out;
      }
      {
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE refresh_tokens SET used_at = ? WHERE hash = ?"));
        s.bind_all(now_ms, old_hash);
        PARLEY_RETURN_IF_ERROR(s.run());
      }
      {
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO refresh_tokens(hash, session_id, created_at) "
                                                  "VALUES(?, ?, ?)"));
        s.bind_all(new_hash, out.session.id, now_ms);
        PARLEY_RETURN_IF_ERROR(s.run());
      }
      {
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE id = ?"));
        s.bind_all(now_ms, new_expires_at_ms, out.session.id);
        PARLEY_RETURN_IF_ERROR(s.run());
      }
      out.session.last_used_at_ms = now_ms;
      out.session.expires_at_ms = new_expires_at_ms;
      out.outcome = RotateOutcome::Rotated;
      return out;
    });
  }

 private:
  Database& db_;
};

class SqliteKeys final : public KeyStore {
 public:
  explicit SqliteKeys(Database& db) : db_(db) {}

  StatusTask insert(SigningKeyRecord key) override {
    auto task = db_.write<bool>([key = std::move(key)](Connection& c) -> Result<bool> {
      PARLEY_RETURN_IF_ERROR(insert_key(c, key));
      return true;
    });
    auto r = co_await std::move(task);
    co_return r.status();
  }

  StoreTask<std::vector<SigningKeyRecord>> list_live() override {
    return db_.read<std::vector<SigningKeyRecord>>([](Connection& c) -> Result<std::vector<SigningKeyRecord>> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT kid, algorithm, public_key, private_key, created_at, "
                                                "retire_after, retired_at FROM signing_keys WHERE retired_at IS NULL "
                                                "ORDER BY created_at, kid"));
      std::vector<SigningKeyRecord> out;
      for (;;) {
        PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
        if (!row) break;
        out.push_back(key_from_row(s));
      }
      return out;
    });
  }

  StatusTask rotate(SigningKeyRecord new_key, std::int64_t retire_after_ms) override {
    auto task = db_.write<bool>([new_key = std::move(new_key), retire_after_ms](Connection& c) -> Result<bool> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE signing_keys SET retire_after = ? WHERE retired_at IS NULL "
                                                "AND retire_after IS NULL"));
      s.bind_all(retire_after_ms);
      PARLEY_RETURN_IF_ERROR(s.run());
      PARLEY_RETURN_IF_ERROR(insert_key(c, new_key));
      return true;
    });
    auto r = co_await std::move(task);
    co_return r.status();
  }

  StatusTask retire_expired(std::int64_t now_ms) override {
    auto task = db_.write<bool>([now_ms](Connection& c) -> Result<bool> {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL "
                                                "AND retire_after IS NOT NULL AND retire_after <= ?"));
      s.bind_all(now_ms, now_ms);
      PARLEY_RETURN_IF_ERROR(s.run());
      return true;
    });
    auto r = co_await std::move(task);
    co_return r.status();
  }

 private:
  static Status insert_key(Connection& c, const SigningKeyRecord& key) {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO signing_keys(kid, algorithm, public_key, private_key, "
                                              "created_at, retire_after, retired_at) VALUES(?,?,?,?,?,?,?)"));
    s.bind_all(key.kid, key.algorithm);
    s.bind_blob(3, key.public_key);
    s.bind_blob(4, key.private_key);
    s.bind(5, key.created_at_ms);
    s.bind(6, key.retire_after_ms);
    s.bind(7, key.retired_at_ms);
    return s.run();
  }

  Database& db_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Database> db, base::Clock& clock)
      : db_(std::move(db)), clock_(clock), users_(*db_), sessions_(*db_), keys_(*db_), chat_(*db_) {}
  UserStore& users() override { return users_; }
  SessionStore& sessions() override { return sessions_; }
  KeyStore& keys() override { return keys_; }
  ChatStore& chat() override { return chat_; }
  StoreStats stats() const override { return db_->stats(); }

 private:
  std::unique_ptr<Database> db_;
  base::Clock& clock_;
  SqliteUsers users_;
  SqliteSessions sessions_;
  SqliteKeys keys_;
  SqliteChat chat_;
};

}  // namespace
}  // namespace sqlite

base::Result<std::unique_ptr<Store>> open_sqlite(SqliteOptions options, base::Clock& clock) {
  sqlite::Database::Options dopt{options.path, options.synchronous_full, options.read_threads, options.max_batch};
  PARLEY_ASSIGN_OR_RETURN(auto db, sqlite::Database::open(dopt));
  return std::unique_ptr<Store>(std::make_unique<sqlite::SqliteStore>(std::move(db), clock));
}

}  // namespace parley::storage
