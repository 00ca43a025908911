// Internal to the SQLite backend: a thin RAII wrapper over one sqlite3
// connection with a prepared-statement cache. Not thread-safe: a Connection
// belongs to exactly one thread (the writer or one reader) for its lifetime.
// sqlite3.h stays in the .cpp; the handles are forward-declared.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace parley::storage::sqlite {

// A borrowed cached statement. Resets itself and clears bindings on destruction,
// so it must not outlive its Connection. Bind indexes are 1-based (SQLite's).
class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  Statement(Statement&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, std::optional<std::int64_t> value);
  void bind_blob(int index, std::string_view bytes);
  template <typename... Args>
  void bind_all(const Args&... args) {
    int i = 0;
    (bind(++i, args), ...);
  }

  // Advances: true = a row is available, false = done. Errors map to Status
  // (unique/primary key -> CONFLICT, foreign key -> NOT_FOUND, busy -> UNAVAILABLE).
  base::Result<bool> step();
  // Runs to completion, ignoring rows.
  base::Status run();

  std::string text(int col) const;  // 0-based column; NULL -> ""
  std::string blob(int col) const;
  std::int64_t int64(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  struct Options {
    std::filesystem::path path;
    bool read_only = false;
    bool synchronous_full = true;
    int busy_timeout_ms = 5000;
  };
  static base::Result<std::unique_ptr<Connection>> open(const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results.
  base::Status exec(const char* sql);
  // A cached prepared statement for `sql` (keyed by the pointer: pass literals).
  base::Result<Statement> prepare(const char* sql);
  // prepare(sql) + run(): for cached control statements (BEGIN, SAVEPOINT...).
  base::Status run(const char* sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;
  // The rowid of the last successful INSERT on this connection.
  std::int64_t last_insert_rowid() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

base::Status status_from_sqlite(sqlite3* db, int rc, std::string_view what);

}  // namespace parley::storage::sqlite
