// Internal: the SQLite schema as an ordered list of migration scripts compiled
// into the binary. Version N is the N-th script (1-based); schema_migrations
// records each applied version. Scripts are append-only: never edit one that
// has shipped, add the next.
#pragma once

#include <span>

#include "base/status.hpp"
#include "storage/sqlite/connection.hpp"

namespace parley::storage::sqlite {

struct Migration {
  int version;
  const char* sql;
};

std::span<const Migration> migrations();
int latest_schema_version();

// Brings the database on `conn` (the write connection) to the latest version.
// Each pending migration runs in its own transaction together with its
// schema_migrations row. A database whose version is newer than this binary's
// is refused (UNAVAILABLE) without changes. Returns the resulting version.
base::Result<int> migrate(Connection& conn);

}  // namespace parley::storage::sqlite
