#include "graphql/value.hpp"
#include "base/utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace parley::graphql {

namespace {
const std::string kEmptyString;
const std::vector<Value> kEmptyItems;
const Value::Members kEmptyMembers;
}  // namespace

Value Value::enum_value(std::string name) {
  Value v(std::move(name));
  v.kind_ = Kind::Enum;
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::List;
  v.v_ = std::make_shared<ListRep>(ListRep{std::move(items)});
  return v;
}

Value Value::object() {
  Value v;
  v.kind_ = Kind::Object;
  v.v_ = std::make_shared<ObjectRep>();
  return v;
}

Value Value::object(Members members) {
  Value v;
  v.kind_ = Kind::Object;
  v.v_ = std::make_shared<ObjectRep>(ObjectRep{std::move(members)});
  return v;
}

bool Value::as_bool() const { return kind_ == Kind::Bool && std::get<bool>(v_); }

std::int64_t Value::as_int() const {
  if (kind_ == Kind::Int) return std::get<std::int64_t>(v_);
  if (kind_ == Kind::Float) {
    double d = std::get<double>(v_);
    if (std::isfinite(d) && d > -9.2e18 && d < 9.2e18) return static_cast<std::int64_t>(d);
  }
  return 0;
}

double Value::as_float() const {
  if (kind_ == Kind::Float) return std::get<double>(v_);
  if (kind_ == Kind::Int) return static_cast<double>(std::get<std::int64_t>(v_));
  return 0.0;
}

const std::string& Value::as_string() const {
  if (kind_ == Kind::String || kind_ == Kind::Enum) return std::get<std::string>(v_);
  return kEmptyString;
}

const std::vector<Value>& Value::items() const {
  if (kind_ == Kind::List) return std::get<std::shared_ptr<ListRep>>(v_)->items;
  return kEmptyItems;
}

const Value::Members& Value::members() const {
  if (kind_ == Kind::Object) return std::get<std::shared_ptr<ObjectRep>>(v_)->members;
  return kEmptyMembers;
}

const Value* Value::find(std::string_view key) const {
  if (kind_ != Kind::Object) return nullptr;
  for (const auto& [k, v] : std::get<std::shared_ptr<ObjectRep>>(v_)->members) {
    if (k.size() == key.size() && k == key) return &v;
  }
  return nullptr;
}

std::size_t Value::size() const {
  if (kind_ == Kind::List) return items().size();
  if (kind_ == Kind::Object) return members().size();
  return 0;
}

Value& Value::set(std::string key, Value v) {
  if (kind_ != Kind::Object) *this = object();
  auto& rep = std::get<std::shared_ptr<ObjectRep>>(v_);
  if (rep.use_count() > 1) rep = std::make_shared<ObjectRep>(*rep);
  for (auto& [k, old] : rep->members) {
    if (k == key) {
      old = std::move(v);
      return *this;
    }
  }
  rep->members.emplace_back(std::move(key), std::move(v));
  return *this;
}

Value& Value::push(Value v) {
  if (kind_ != Kind::List) *this = list();
  auto& rep = std::get<std::shared_ptr<ListRep>>(v_);
  if (rep.use_count() > 1) rep = std::make_shared<ListRep>(*rep);
  rep->items.push_back(std::move(v));
  return *this;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::Null: return true;
    case Value::Kind::Bool: return a.as_bool() == b.as_bool();
    case Value::Kind::Int: return a.as_int() == b.as_int();
    case Value::Kind::Float: return a.as_float() == b.as_float();
    case Value::Kind::String:
    case Value::Kind::Enum: return a.as_string() == b.as_string();
    case Value::Kind::List: return a.items() == b.items();
    case Value::Kind::Object: return a.members() == b.members();
  }
  return false;
}

// ---------------------------------------------------------------- writing

namespace {
// 0: copy as is; 1: needs an escape; 2: non-ASCII (validate UTF-8).
struct EscapeTable {
  unsigned char t[256];
  constexpr EscapeTable() : t() {
    for (int i = 0; i < 256; ++i) t[i] = i < 0x20 ? 1 : (i >= 0x80 ? 2 : 0);
    t[static_cast<unsigned char>('"')] = 1;
    t[static_cast<unsigned char>('\\')] = 1;
  }
};
constexpr EscapeTable kEscape;

using base::utf8_sequence_length;
}  // namespace

void write_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes copied verbatim
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    unsigned char cls = kEscape.t[c];
    if (cls == 0) {
      ++i;
      continue;
    }
    if (cls == 2) {
      std::size_t n = utf8_sequence_length(s, i);
      if (n != 0) {
        i += n;
        continue;
      }
      out.append(s.data() + run, i - run);
      out.append("\xEF\xBF\xBD");
      run = ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default: {
        static const char* kHex = "0123456789abcdef";
        char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(buf, 6);
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void Value::write_json(std::string& out) const {
  switch (kind_) {
    case Kind::Null: out.append("null"); return;
    case Kind::Bool: out.append(std::get<bool>(v_) ? "true" : "false"); return;
    case Kind::Int: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, std::get<std::int64_t>(v_));
      out.append(buf, r.ptr);
      return;
    }
    case Kind::Float: {
      double d = std::get<double>(v_);
      if (!std::isfinite(d)) {
        out.append("null");
        return;
      }
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, d);
      out.append(buf, r.ptr);
      return;
    }
    case Kind::String:
    case Kind::Enum: write_json_string(out, std::get<std::string>(v_)); return;
    case Kind::List: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : items()) {
        if (!first) out.push_back(',');
        first = false;
        item.write_json(out);
      }
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : members()) {
        if (!first) out.push_back(',');
        first = false;
        write_json_string(out, k);
        out.push_back(':');
        v.write_json(out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string Value::to_json() const {
  std::string out;
  write_json(out);
  return out;
}

// ---------------------------------------------------------------- parsing

namespace {

using base::append_utf8;

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  base::Result<Value> parse() {
    Value v;
    if (!value(v, 0)) return fail();
    ws();
    if (p_ != s_.size()) {
      error_ = "unexpected trailing characters";
      return fail();
    }
    return v;
  }

 private:
  static constexpr int kMaxDepth = 256;

  base::Status fail() {
    return base::Status::bad_request("invalid JSON at offset " + std::to_string(p_) + ": " + error_);
  }
  void ws() {
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        ++p_;
      } else {
        break;
      }
    }
  }
  bool literal(std::string_view word) {
    if (s_.substr(p_, word.size()) != word) {
      error_ = "invalid literal";
      return false;
    }
    p_ += word.size();
    return true;
  }
  bool value(Value& out, int depth) {
    ws();
    if (p_ >= s_.size()) {
      error_ = "unexpected end of input";
      return false;
    }
    if (depth > kMaxDepth) {
      error_ = "nesting too deep";
      return false;
    }
    char c = s_[p_];
    switch (c) {
      case 'n': out = Value(); return literal("null");
      case 't': out = Value(true); return literal("true");
      case 'f': out = Value(false); return literal("false");
      case '"': {
        std::string str;
        if (!string(str)) return false;
        out = Value(std::move(str));
        return true;
      }
      case '[': {
        ++p_;
        std::vector<Value> items;
        ws();
        if (p_ < s_.size() && s_[p_] == ']') {
          ++p_;
          out = Value::list(std::move(items));
          return true;
        }
        for (;;) {
          Value item;
          if (!value(item, depth + 1)) return false;
          items.push_back(std::move(item));
          ws();
          if (p_ < s_.size() && s_[p_] == ',') {
            ++p_;
            continue;
          }
          if (p_ < s_.size() && s_[p_] == ']') {
            ++p_;
            out = Value::list(std::move(items));
            return true;
          }
          error_ = "expected ',' or ']'";
          return false;
        }
      }
      case '{': {
        ++p_;
        Value::Members members;
        ws();
        if (p_ < s_.size() && s_[p_] == '}') {
          ++p_;
          out = Value::object(std::move(members));
          return true;
        }
        for (;;) {
          ws();
          if (p_ >= s_.size() || s_[p_] != '"') {
            error_ = "expected a string key";
            return false;
          }
          std::string key;
          if (!string(key)) return false;
          ws();
          if (p_ >= s_.size() || s_[p_] != ':') {
            error_ = "expected ':'";
            return false;
          }
          ++p_;
          Value item;
          if (!value(item, depth + 1)) return false;
          bool replaced = false;  // duplicate keys: the last one wins
          for (auto& m : members) {
            if (m.first == key) {
              m.second = std::move(item);
              replaced = true;
              break;
            }
          }
          if (!replaced) members.emplace_back(std::move(key), std::move(item));
          ws();
          if (p_ < s_.size() && s_[p_] == ',') {
            ++p_;
            continue;
          }
          if (p_ < s_.size() && s_[p_] == '}') {
            ++p_;
            out = Value::object(std::move(members));
            return true;
          }
          error_ = "expected ',' or '}'";
          return false;
        }
      }
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(out);
        error_ = "unexpected character";
        return false;
    }
  }
  bool number(Value& out) {
    std::size_t start = p_;
    bool integral = true;
    if (s_[p_] == '-') ++p_;
    auto digits = [&]() {
      std::size_t d = p_;
      while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') ++p_;
      return p_ - d;
    };
    if (p_ < s_.size() && s_[p_] == '0') {
      ++p_;
    } else if (digits() == 0) {
      error_ = "invalid number";
      return false;
    }
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      integral = false;
      if (digits() == 0) {
        error_ = "invalid number";
        return false;
      }
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      ++p_;
      integral = false;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      if (digits() == 0) {
        error_ = "invalid number";
        return false;
      }
    }
    const char* b = s_.data() + start;
    const char* e = s_.data() + p_;
    if (integral) {
      std::int64_t i = 0;
      auto r = std::from_chars(b, e, i);
      if (r.ec == std::errc() && r.ptr == e) {
        out = Value(i);
        return true;
      }
    }
    double d = 0;
    auto r = std::from_chars(b, e, d);
    if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) {
      error_ = "invalid number";
      return false;
    }
    if (!std::isfinite(d)) {
      error_ = "number out of range";
      return false;
    }
    out = Value(d);
    return true;
  }
  int hex4(std::size_t at) {
    if (at + 4 > s_.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      char c = s_[i];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return -1;
      v = v * 16 + d;
    }
    return v;
  }
  bool string(std::string& out) {
    ++p_;  // opening quote
    for (;;) {
      std::size_t run = p_;
      while (p_ < s_.size()) {
        unsigned char c = static_cast<unsigned char>(s_[p_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p_;
      }
      out.append(s_.data() + run, p_ - run);
      if (p_ >= s_.size()) {
        error_ = "unterminated string";
        return false;
      }
      unsigned char c = static_cast<unsigned char>(s_[p_]);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) {
        error_ = "control character in string";
        return false;
      }
      if (c >= 0x80) {
        std::size_t n = utf8_sequence_length(s_, p_);
        if (n == 0) {
          error_ = "invalid UTF-8";
          return false;
        }
        out.append(s_.data() + p_, n);
        p_ += n;
        continue;
      }
      // backslash
      if (p_ + 1 >= s_.size()) {
        error_ = "unterminated string";
        return false;
      }
      char e = s_[p_ + 1];
      p_ += 2;
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          int u = hex4(p_);
          if (u < 0) {
            error_ = "invalid \\u escape";
            return false;
          }
          p_ += 4;
          std::uint32_t cp = static_cast<std::uint32_t>(u);
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = (p_ + 1 < s_.size() && s_[p_] == '\\' && s_[p_ + 1] == 'u') ? hex4(p_ + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) {
              error_ = "unpaired surrogate";
              return false;
            }
            p_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(lo) - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            error_ = "unpaired surrogate";
            return false;
          }
          append_utf8(out, cp);
          break;
        }
        default: error_ = "invalid escape"; return false;
      }
    }
  }

  std::string_view s_;
  std::size_t p_ = 0;
  std::string error_;
};

}  // namespace

base::Result<Value> Value::from_json(std::string_view json) { return JsonParser(json).parse(); }

}  // namespace parley::graphql
