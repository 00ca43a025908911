#include "storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include <string>

namespace parley::storage::sqlite {

base::Status status_from_sqlite(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return base::Status::conflict(std::move(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return base::Status::not_found(std::move(msg));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return base::Status::unavailable(std::move(msg));
    default:
      return base::Status::internal(std::move(msg));
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void Statement::bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void Statement::bind(int index, std::optional<std::int64_t> value) {
  if (value) {
    sqlite3_bind_int64(stmt_, index, *value);
  } else {
    sqlite3_bind_null(stmt_, index);
  }
}
void Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}

base::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return status_from_sqlite(sqlite3_db_handle(stmt_), rc, "sqlite step");
}

base::Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r.ok()) return r.status();
    if (!*r) return base::Status::ok();
  }
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::string Statement::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
std::optional<std::int64_t> Statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return sqlite3_column_int64(stmt_, col);
}
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

base::Result<std::unique_ptr<Connection>> Connection::open(const Options& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    base::Status st = status_from_sqlite(db, rc, "open " + options.path.string());
    sqlite3_close(db);
    return st;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  PARLEY_RETURN_IF_ERROR(conn->exec("PRAGMA foreign_keys=ON"));
  if (!options.read_only) {
    // journal_mode answers with a row; exec ignores it.
    PARLEY_RETURN_IF_ERROR(conn->exec("PRAGMA journal_mode=WAL"));
    PARLEY_RETURN_IF_ERROR(
        conn->exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
    // Each op of a group commit runs in its own SAVEPOINT, whose undo
    // journal SQLite keeps in a temporary FILE by default: a chat send made
    // ~33 pwrite calls there. In memory it costs nothing (the journal of one
    // op is a few pages). A group touches many pages (message, search index,
    // event log): 64 MiB of cache keeps them in memory until COMMIT.
    PARLEY_RETURN_IF_ERROR(conn->exec("PRAGMA temp_store=MEMORY"));
    PARLEY_RETURN_IF_ERROR(conn->exec("PRAGMA cache_size=-65536"));
  } else {
    PARLEY_RETURN_IF_ERROR(conn->exec("PRAGMA cache_size=-16384"));
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

base::Status Connection::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    base::Status st = status_from_sqlite(db_, rc, err ? err : "exec");
    sqlite3_free(err);
    return st;
  }
  return base::Status::ok();
}

base::Result<Statement> Connection::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Statement(it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return status_from_sqlite(db_, rc, "prepare");
  cache_.emplace(sql, stmt);
  return Statement(stmt);
}

base::Status Connection::run(const char* sql) {
  PARLEY_ASSIGN_OR_RETURN(auto stmt, prepare(sql));
  return stmt.run();
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }
std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace parley::storage::sqlite
