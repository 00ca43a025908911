// UTF-8 helpers shared by every parser that decodes escapes (GraphQL,
// JSON) and by input rules that count code points.
#pragma once

#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::base {

// Appends code point `cp` (at most U+10FFFF, not a surrogate: callers check)
// to `out` as UTF-8.
inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length (2-4) of the well-formed UTF-8 sequence starting at the non-ASCII
// byte s[i], or 0 when it is malformed: truncated, overlong, a surrogate or
// beyond U+10FFFF (RFC 3629, section 4). Requires i < s.size().
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = s.size() - i;
  auto cont = [&](std::size_t k) { return k < n && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

// Decodes the code point at s[i] and advances i past it; -1 (i unchanged)
// when the sequence there is malformed. Requires i < s.size().
inline std::int32_t utf8_decode_one(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t n = utf8_sequence_length(s, i);
  if (n == 0) return -1;
  std::int32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

// Number of code points in `s`, or -1 when `s` is not well-formed UTF-8.
inline std::int64_t utf8_code_points(std::string_view s) {
  std::int64_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    if (utf8_decode_one(s, i) < 0) return -1;
  }
  return count;
}

}  // namespace parley::base
