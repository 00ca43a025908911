// Fuzzes the chat input parsers: cursors, search text -> FTS5 query, emoji,
// message bodies. None may crash; a cursor that decodes must round-trip, and
// the FTS5 query built from any input must be accepted by SQLite's parser.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "chat/chat_service.hpp"

namespace {

sqlite3* search_db() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    sqlite3_open(":memory:", &d);
    sqlite3_exec(d, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');"
                    "INSERT INTO t(body) VALUES ('café crème à Genève'), ('hello world');",
                 nullptr, nullptr, nullptr);
    return d;
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto cursor = parley::chat::decode_cursor(input);
  if (cursor.ok() && parley::chat::encode_cursor(*cursor) != input) std::abort();
  (void)parley::chat::is_emoji(input);
  (void)parley::chat::check_body(input, 16 * 1024);
  std::string query = parley::chat::fts_query(input);
  if (!query.empty()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(search_db(), "SELECT rowid FROM t WHERE t MATCH ?", -1, &stmt, nullptr) != SQLITE_OK) {
      std::abort();
    }
    sqlite3_bind_text(stmt, 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    // Every query we build is valid FTS5 syntax: a syntax error means the
    // sanitiser let an operator through.
    if (rc != SQLITE_DONE) std::abort();
    sqlite3_finalize(stmt);
  }
  return 0;
}
