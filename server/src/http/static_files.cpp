#include "http/static_files.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>

#include "http/parse.hpp"

namespace parley::http {
namespace fs = std::filesystem;

namespace {
constexpr std::uintmax_t kCacheMaxFileBytes = 256 * 1024;
constexpr std::size_t kCacheMaxEntries = 4096;

struct FileInfo {
  fs::path path;
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
};

// A regular file (after symlinks) whose canonical path lies inside root.
std::optional<FileInfo> inside_root(const fs::path& root, const fs::path& candidate) {
  std::error_code ec;
  auto st = fs::status(candidate, ec);
  if (ec || !fs::is_regular_file(st)) return std::nullopt;
  auto canon = fs::canonical(candidate, ec);
  if (ec) return std::nullopt;
  auto rel = canon.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  FileInfo info;
  info.path = canon;
  info.size = fs::file_size(canon, ec);
  if (ec) return std::nullopt;
  auto mtime = fs::last_write_time(canon, ec);
  if (ec) return std::nullopt;
  info.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  return info;
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return data;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  for (auto item : split_list(if_none_match)) {
    if (item == "*" || item == etag) return true;
    if (item.substr(0, 2) == "W/" && item.substr(2) == etag) return true;  // weak comparison for GET
  }
  return false;
}
}  // namespace

struct StaticFiles::Cache {
  struct Entry {
    std::uintmax_t size;
    std::int64_t mtime_ns;
    std::string data;
  };
  std::mutex mutex;
  std::map<std::string, Entry> entries;  // GUARDED_BY(mutex)

  std::optional<std::string> get(const FileInfo& f) {
    if (f.size > kCacheMaxFileBytes) return read_file(f.path);
    {
      std::lock_guard lock(mutex);
      auto it = entries.find(f.path.string());
      if (it != entries.end() && it->second.size == f.size && it->second.mtime_ns == f.mtime_ns) return it->second.data;
    }
    auto data = read_file(f.path);
    if (!data) return std::nullopt;
    std::lock_guard lock(mutex);
    if (entries.size() >= kCacheMaxEntries) entries.clear();
    entries[f.path.string()] = Entry{f.size, f.mtime_ns, *data};
    return data;
  }
};

StaticFiles::StaticFiles(fs::path root) : cache_(std::make_unique<Cache>()) {
  std::error_code ec;
  auto canon = fs::canonical(root, ec);
  root_ = ec ? root : canon;
}

StaticFiles::~StaticFiles() = default;

std::string_view content_type_for(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".wasm", "application/wasm"},
      {".mp3", "audio/mpeg"},
      {".ogg", "audio/ogg"},
      {".opus", "audio/ogg"},
      {".wav", "audio/wav"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".pdf", "application/pdf"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (name.size() >= ext.size()) {
      auto tail = name.substr(name.size() - ext.size());
      if (iequals(tail, ext)) return type;
    }
  }
  return "application/octet-stream";
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  std::string_view path = req.path;
  if (path.empty() || path.front() != '/') return std::nullopt;
  // Refuse anything that could climb out of the root or confuse the file system.
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(1);
  std::string_view last_segment;
  while (true) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    if (seg == ".." || seg == ".") return std::nullopt;
    last_segment = seg;
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  std::string rel(path.substr(1));
  // Collapse repeated slashes so "//etc/passwd" stays relative.
  while (!rel.empty() && rel.front() == '/') rel.erase(rel.begin());

  std::vector<std::string> candidates;
  if (rel.empty() || rel.back() == '/') {
    candidates.push_back(rel + "index.html");
  } else {
    candidates.push_back(rel);
    candidates.push_back(rel + ".html");
    candidates.push_back(rel + "/index.html");
  }
  std::optional<FileInfo> file;
  std::string served_name;
  for (const auto& c : candidates) {
    file = inside_root(root_, root_ / c);
    if (file) {
      served_name = c;
      break;
    }
  }
  bool spa = false;
  if (!file) {
    bool accepts_html = req.header("Accept").find("text/html") != std::string_view::npos;
    bool has_extension = last_segment.find('.') != std::string_view::npos;
    if (!accepts_html || has_extension) return std::nullopt;
    file = inside_root(root_, root_ / "index.html");
    if (!file) return std::nullopt;
    served_name = "index.html";
    spa = true;
  }

  // Precompressed variants.
  std::string encoding;
  FileInfo body_file = *file;
  auto accept_encoding = req.header("Accept-Encoding");
  for (auto [coding, suffix] : {std::pair<std::string_view, std::string_view>{"br", ".br"}, {"gzip", ".gz"}}) {
    if (!accepts_encoding(accept_encoding, coding)) continue;
    auto variant = inside_root(root_, fs::path(file->path.string() + std::string(suffix)));
    if (variant) {
      encoding = std::string(coding);
      body_file = *variant;
      break;
    }
  }

  Response r;
  auto type = content_type_for(served_name);
  std::string etag = fmt::format("\"{:x}-{:x}{}{}\"", body_file.size, body_file.mtime_ns, encoding.empty() ? "" : "-",
                                 encoding);
  std::string cache_control = (!spa && req.path.rfind("/_next/static/", 0) == 0)
                                  ? "public, max-age=31536000, immutable"
                                  : "no-cache";
  r.headers.push_back({"Content-Type", std::string(type)});
  r.headers.push_back({"ETag", etag});
  r.headers.push_back({"Cache-Control", cache_control});
  r.headers.push_back({"Vary", "Accept-Encoding"});
  if (!encoding.empty()) r.headers.push_back({"Content-Encoding", encoding});

  auto inm = req.header("If-None-Match");
  if (!inm.empty() && etag_matches(inm, etag)) {
    r.status = 304;
    // 304 carries no Content-Type per RFC 9110 recommendations; keep validators.
    r.headers.erase(r.headers.begin());
    return r;
  }
  auto data = cache_->get(body_file);
  if (!data) return std::nullopt;
  r.status = 200;
  r.body = std::move(*data);
  return r;
}

}  // namespace parley::http
