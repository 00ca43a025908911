#include "auth/validation.hpp"

#include <fstream>
#include <sstream>

#include "base/utf8.hpp"

namespace parley::auth {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_local_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  int labels = 0;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = d.find('.', start);
    std::string_view label = d.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;
}

}  // namespace

std::optional<std::size_t> utf8_code_points(std::string_view s) {
  std::int64_t n = base::utf8_code_points(s);
  if (n < 0) return std::nullopt;
  return static_cast<std::size_t>(n);
}

base::Result<std::string> normalize_email(std::string_view email) {
  auto bad = [](std::string m) { return base::Status::bad_request(std::move(m)).with_field("email"); };
  std::string e = ascii_lower(trim(email));
  if (e.empty()) return bad("email is required");
  if (e.size() > 254) return bad("email is too long");
  std::size_t at = e.find('@');
  if (at == std::string::npos || e.find('@', at + 1) != std::string::npos) return bad("email is not a valid address");
  std::string_view local = std::string_view(e).substr(0, at);
  std::string_view domain = std::string_view(e).substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return bad("email is not a valid address");
  }
  for (char c : local) {
    if (!is_local_char(c)) return bad("email is not a valid address");
  }
  if (!valid_domain(domain)) return bad("email is not a valid address");
  return e;
}

base::Result<std::string> normalize_display_name(std::string_view name) {
  auto bad = [](std::string m) { return base::Status::bad_request(std::move(m)).with_field("displayName"); };
  std::string_view n = trim(name);
  std::size_t count = 0;
  for (std::size_t i = 0; i < n.size();) {
    std::int32_t cp = base::utf8_decode_one(n, i);
    if (cp < 0) return bad("display name is not valid UTF-8");
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069)) {
      return bad("display name contains control characters");
    }
    ++count;
  }
  if (count == 0) return bad("display name is required");
  if (count > 64) return bad("display name is longer than 64 characters");
  return std::string(n);
}

CommonPasswords CommonPasswords::from_text(std::string_view text) {
  CommonPasswords out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.set_.insert(ascii_lower(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

base::Result<CommonPasswords> CommonPasswords::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Status::internal("cannot read common-password list " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return from_text(text.str());
}

bool CommonPasswords::contains(std::string_view password) const { return set_.count(ascii_lower(password)) != 0; }

base::Status validate_password(std::string_view password, const CommonPasswords* common) {
  auto bad = [](std::string m) { return base::Status::bad_request(std::move(m)).with_field("password"); };
  auto n = utf8_code_points(password);
  if (!n) return bad("password is not valid UTF-8");
  if (*n < kMinPasswordCodePoints) return bad("password must be at least 10 characters");
  if (*n > kMaxPasswordCodePoints) return bad("password must be at most 256 characters");
  if (common != nullptr && common->contains(password)) return bad("password is too common");
  return base::Status::ok();
}

}  // namespace parley::auth
