// The SQLite backend of storage::Store (the embedded default). sqlite3.h is
// not included here; everything SQLite lives in this folder's .cpp files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "base/clock.hpp"
#include "base/status.hpp"
#include "storage/store.hpp"

namespace parley::storage {

struct SqliteOptions {
  std::filesystem::path path;    // the database file; created if missing
  bool synchronous_full = true;  // false = synchronous=NORMAL (a crash may lose the last commits, never corrupt)
  int read_threads = 2;          // read-only connections, one thread each (1-16)
  std::size_t max_batch = 1024;  // most writes grouped into one transaction
};

// Opens (creating if needed) and migrates the database, then starts the writer
// and reader threads. Refuses (UNAVAILABLE) a database whose schema is newer
// than this binary. `clock` is kept for housekeeping and must outlive the store.
base::Result<std::unique_ptr<Store>> open_sqlite(SqliteOptions options, base::Clock& clock);

// The schema version this binary migrates to.
int sqlite_schema_version();

}  // namespace parley::storage
