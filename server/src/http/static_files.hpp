// Static files from one directory (the Next.js static export, web/out).
//
// - Never serves outside the root: ".." segments, encoded or not, are refused
//   and every file's canonical path (symlinks resolved) must lie in the root.
// - "/" and "/dir/" -> index.html; "/foo" -> foo, foo.html or foo/index.html.
// - Content-Type by extension; strong ETag per file version and encoding;
//   If-None-Match -> 304.
// - Precompressed "file.br" / "file.gz" when present and Accept-Encoding
//   allows (Vary: Accept-Encoding).
// - Cache-Control: immutable for /_next/static/ (hashed names), no-cache
//   otherwise (revalidated with the ETag).
// - SPA fallback: GET/HEAD for an unknown path without a file extension
//   whose Accept includes text/html gets index.html.
// - Small files (<= 256 KiB) are cached in memory keyed by path, size and mtime.
//
// Thread-safe (the cache has a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace parley::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  ~StaticFiles();

  // GET and HEAD only (others: nullopt). nullopt means "not found here".
  // The body is always filled; the server drops it for HEAD.
  std::optional<Response> serve(const Request& req) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  struct Cache;
  std::filesystem::path root_;  // canonical
  std::unique_ptr<Cache> cache_;
};

// "text/html; charset=utf-8" for "x.html", "application/octet-stream" when unknown.
std::string_view content_type_for(std::string_view filename);

}  // namespace parley::http
