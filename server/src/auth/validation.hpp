// Pure input rules for accounts: e-mail normalisation, password and display
// name rules, the common-password list. No I/O except CommonPasswords::load.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/status.hpp"

namespace parley::auth {

// Number of Unicode code points in `s`, or nullopt when `s` is not valid
// UTF-8 (overlong forms, surrogates, code points above U+10FFFF, truncation).
std::optional<std::size_t> utf8_code_points(std::string_view s);

// E-mail: surrounding whitespace trimmed, then the WHOLE address (local part
// and domain) lower-cased. Lower-casing the local part is technically lossy
// (RFC 5321 lets servers treat it case-sensitively) but no real provider does,
// and it stops "Alice@x" and "alice@x" from being two accounts. Accepted
// syntax (ASCII only; internationalised addresses are a follow-up):
//   local  = 1-64 of [a-z0-9!#$%&'*+/=?^_`{|}~.-], no leading/trailing/double dot
//   domain = labels of [a-z0-9-] (1-63, no leading/trailing hyphen), at least two
//            labels, at most 253 characters in all
//   whole  = at most 254 characters
// Errors: BAD_REQUEST with field "email".
base::Result<std::string> normalize_email(std::string_view email);

// Display name: ASCII whitespace trimmed, then 1-64 code points of valid
// UTF-8 with no control characters (C0, DEL, C1) and no bidirectional
// override/isolate controls (U+202A-U+202E, U+2066-U+2069), which can be used
// to disguise names. Errors: BAD_REQUEST with field "displayName".
base::Result<std::string> normalize_display_name(std::string_view name);

// A case-insensitive set of passwords refused at sign-up.
class CommonPasswords {
 public:
  // One password per line; blank lines ignored; compared lower-cased (ASCII).
  static base::Result<CommonPasswords> load(const std::filesystem::path& path);
  static CommonPasswords from_text(std::string_view text);
  bool contains(std::string_view password) const;
  std::size_t size() const { return set_.size(); }

 private:
  std::unordered_set<std::string> set_;
};

inline constexpr std::size_t kMinPasswordCodePoints = 10;
inline constexpr std::size_t kMaxPasswordCodePoints = 256;

// Password: valid UTF-8, 10-256 code points, not in `common` (may be null).
// Errors: BAD_REQUEST with field "password".
base::Status validate_password(std::string_view password, const CommonPasswords* common);

}  // namespace parley::auth
