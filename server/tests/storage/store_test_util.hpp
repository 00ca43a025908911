// Shared helpers for the storage tests: temporary directories and the list of
// backends the conformance suite runs against.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/clock.hpp"
#include "base/temp_dir.hpp"
#include "base/status.hpp"
#include "storage/store.hpp"

namespace parley::storage::testing {

using TempDir = base::TempDir;

// A backend under test: opens a Store whose files live in `dir`.
struct StoreBackend {
  std::string name;
  std::function<base::Result<std::unique_ptr<Store>>(const std::filesystem::path& dir, base::Clock& clock)> open;
};

}  // namespace parley::storage::testing
