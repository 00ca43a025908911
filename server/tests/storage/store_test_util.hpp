// Shared helpers for the storage tests: temporary directories and the list of
// backends the conformance suite runs against.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/clock.hpp"
#include "base/status.hpp"
#include "storage/store.hpp"

namespace parley::storage::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley-store-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    path_ = p ? std::filesystem::path(p) : std::filesystem::path();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A backend under test: opens a Store whose files live in `dir`.
struct StoreBackend {
  std::string name;
  std::function<base::Result<std::unique_ptr<Store>>(const std::filesystem::path& dir, base::Clock& clock)> open;
};

}  // namespace parley::storage::testing
