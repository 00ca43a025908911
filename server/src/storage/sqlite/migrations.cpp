#include "storage/sqlite/migrations.hpp"

#include <string>

namespace parley::storage::sqlite {
namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  user_agent   TEXT NOT NULL DEFAULT '',
  ip           TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id, created_at);
CREATE INDEX sessions_by_revoked ON sessions(revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE refresh_tokens (
  hash       TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE signing_keys (
  kid          TEXT PRIMARY KEY,
  algorithm    TEXT NOT NULL,
  public_key   BLOB NOT NULL,
  private_key  BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  retire_after INTEGER,
  retired_at   INTEGER
) STRICT;
)sql"},
};

base::Result<int> current_version(Connection& conn) {
  PARLEY_ASSIGN_OR_RETURN(auto stmt, conn.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  PARLEY_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? static_cast<int>(stmt.int64(0)) : 0;
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }
int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

base::Result<int> migrate(Connection& conn) {
  PARLEY_RETURN_IF_ERROR(conn.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  PARLEY_ASSIGN_OR_RETURN(int version, current_version(conn));
  if (version > latest_schema_version()) {
    return base::Status::unavailable("database schema version " + std::to_string(version) +
                                     " is newer than this binary supports (" +
                                     std::to_string(latest_schema_version()) + "); upgrade parleyd");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    PARLEY_RETURN_IF_ERROR(conn.exec("BEGIN IMMEDIATE"));
    base::Status st = conn.exec(m.sql);
    if (st.is_ok()) {
      auto ins = conn.prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, unixepoch() * 1000)");
      st = ins.ok() ? (ins->bind_all(m.version), ins->run()) : ins.status();
    }
    if (st.is_ok()) st = conn.exec("COMMIT");
    if (!st.is_ok()) {
      (void)conn.exec("ROLLBACK");
      return base::Status::internal("migration " + std::to_string(m.version) + " failed: " + st.message());
    }
    version = m.version;
  }
  return version;
}

}  // namespace parley::storage::sqlite
