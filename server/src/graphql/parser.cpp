#include "graphql/parser.hpp"
#include "base/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::graphql {

using namespace ast;

namespace {

enum class Tok : std::uint8_t {
  Eof, Bang, Dollar, Amp, ParenL, ParenR, Spread, Colon, Equals, At, BracketL, BracketR,
  BraceL, Pipe, BraceR, Name, Int, Float, String, BlockString
};

const char* tok_name(Tok t) {
  switch (t) {
    case Tok::Eof: return "<EOF>";
    case Tok::Bang: return "\"!\"";
    case Tok::Dollar: return "\"$\"";
    case Tok::Amp: return "\"&\"";
    case Tok::ParenL: return "\"(\"";
    case Tok::ParenR: return "\")\"";
    case Tok::Spread: return "\"...\"";
    case Tok::Colon: return "\":\"";
    case Tok::Equals: return "\"=\"";
    case Tok::At: return "\"@\"";
    case Tok::BracketL: return "\"[\"";
    case Tok::BracketR: return "\"]\"";
    case Tok::BraceL: return "\"{\"";
    case Tok::Pipe: return "\"|\"";
    case Tok::BraceR: return "\"}\"";
    case Tok::Name: return "Name";
    case Tok::Int: return "Int";
    case Tok::Float: return "Float";
    case Tok::String: return "String";
    case Tok::BlockString: return "BlockString";
  }
  return "?";
}

// Character classes: 1 name start, 2 digit, 4 ignored (space, tab, comma, \n, \r)
struct CharTable {
  unsigned char t[256];
  constexpr CharTable() : t() {
    for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = 1;
    t[static_cast<int>('_')] = 1;
    for (int c = '0'; c <= '9'; ++c) t[c] = 2;
    t[static_cast<int>(' ')] = 4;
    t[static_cast<int>('\t')] = 4;
    t[static_cast<int>(',')] = 4;
    t[static_cast<int>('\n')] = 4;
    t[static_cast<int>('\r')] = 4;
  }
};
constexpr CharTable kChars;
inline bool is_name_start(unsigned char c) { return kChars.t[c] == 1; }
inline bool is_name_continue(unsigned char c) { return (kChars.t[c] & 3) != 0; }
inline bool is_digit(unsigned char c) { return kChars.t[c] == 2; }

// Single-character punctuators; Tok::Eof marks "not a punctuator".
struct PunctTable {
  Tok kind[256];
  constexpr PunctTable() : kind() {
    for (auto& k : kind) k = Tok::Eof;
    kind[static_cast<int>('!')] = Tok::Bang;
    kind[static_cast<int>('$')] = Tok::Dollar;
    kind[static_cast<int>('&')] = Tok::Amp;
    kind[static_cast<int>('(')] = Tok::ParenL;
    kind[static_cast<int>(')')] = Tok::ParenR;
    kind[static_cast<int>(':')] = Tok::Colon;
    kind[static_cast<int>('=')] = Tok::Equals;
    kind[static_cast<int>('@')] = Tok::At;
    kind[static_cast<int>('[')] = Tok::BracketL;
    kind[static_cast<int>(']')] = Tok::BracketR;
    kind[static_cast<int>('{')] = Tok::BraceL;
    kind[static_cast<int>('|')] = Tok::Pipe;
    kind[static_cast<int>('}')] = Tok::BraceR;
  }
};
constexpr PunctTable kPunct;

using base::append_utf8;

using base::utf8_sequence_length;

struct Token {
  Tok kind = Tok::Eof;
  Pos start = 0;
  Pos end = 0;
  std::string_view value;  // Name/number: raw; strings: decoded
};

struct Failure {};  // thrown inside the parser only, caught in parse()

// Growable stacks reused by every parse on a thread (parse() is not
// reentrant), so a parse allocates almost only in its Arena.
struct Stacks {
  std::string scratch;
  std::vector<Definition> defs;
  std::vector<Selection*> sels;
  std::vector<Argument> args;
  std::vector<Directive> dirs;
  std::vector<ValueNode*> vals;
  std::vector<ObjectField> ofields;
  std::vector<VariableDefinition> vars;
  std::vector<InputValueDefinition> ivals;
  std::vector<FieldDefinition> fdefs;
  std::vector<Selection*> spreads;           // every fragment spread, resolved at the end
  std::vector<FragmentDefinition*> fragments;  // in document order
  std::unordered_map<std::string_view, const FragmentDefinition*> fragment_index;  // many fragments only
  void clear() {
    defs.clear(); sels.clear(); args.clear(); dirs.clear(); vals.clear(); ofields.clear(); vars.clear();
    ivals.clear(); fdefs.clear(); spreads.clear(); fragments.clear(); fragment_index.clear();
  }
};

Stacks& thread_stacks() {
  thread_local Stacks stacks;
  stacks.clear();
  return stacks;
}

class Parser {
 public:
  Parser(std::string_view src, Arena& arena, const ParseOptions& opt)
      : src_(src), arena_(arena), opt_(opt), st_(thread_stacks()), scratch_(st_.scratch), defs_(st_.defs),
        sels_(st_.sels), args_(st_.args), dirs_(st_.dirs), vals_(st_.vals), ofields_(st_.ofields),
        vars_(st_.vars), ivals_(st_.ivals), fdefs_(st_.fdefs) {
    arena_.reserve(src.size() * 16 + 1024);
  }

  ParseResult run() {
    ParseResult r;
    try {
      if (src_.size() > 0xFFFFFFF0u) fail(0, "Syntax Error: Document too large.");
      next();
      r.document = document();
    } catch (const Failure&) {
      r.document = nullptr;
      r.error = std::move(error_);
    }
    return r;
  }

 private:
  // ------------------------------------------------------------ lexer
  [[noreturn, gnu::noinline, gnu::cold]] void fail(Pos pos, std::string message, bool limit = false) {
    error_.message = std::move(message);
    error_.pos = pos;
    error_.limit_exceeded = limit;
    throw Failure{};
  }

  std::string describe_char(std::size_t i) {
    unsigned char c = static_cast<unsigned char>(src_[i]);
    if (c >= 0x20 && c < 0x7F) {
      std::string s = "\"";
      s.push_back(static_cast<char>(c));
      return s + "\"";
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", c);
    return buf;
  }

  void next() {
    prev_end_ = tok_.end;
    lex(tok_);
    if (tok_.kind != Tok::Eof) {
      ++tokens_;
      if (opt_.max_tokens > 0 && tokens_ > opt_.max_tokens) [[unlikely]] fail_token_limit();
    }
  }

  [[gnu::noinline, gnu::cold]] void fail_token_limit() {
    fail(tok_.start,
         "Syntax Error: Document contains more than " + std::to_string(opt_.max_tokens) + " tokens.", true);
  }

  // Position of the first byte at or after p that is not ignored (white
  // space, line terminators, commas, comments, byte order marks).
  std::size_t skip_ignored(std::size_t p) const {
    const std::size_t n = src_.size();
    const char* s = src_.data();
    for (;;) {
      // Runs of spaces (indentation) eight bytes at a time.
      while (p + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, s + p, 8);
        std::uint64_t x = w ^ 0x2020202020202020ull;  // zero bytes where there were spaces
        if (x == 0) {
          p += 8;
          continue;
        }
        p += static_cast<std::size_t>(__builtin_ctzll(x)) / 8;  // little-endian: first non-space byte
        break;
      }
      if (p < n && kChars.t[static_cast<unsigned char>(s[p])] == 4) {
        ++p;
        continue;
      }
      if (p >= n) return p;
      unsigned char c = static_cast<unsigned char>(s[p]);
      if (c == '#') [[unlikely]] {
        while (p < n && s[p] != '\n' && s[p] != '\r') ++p;
      } else if (c == 0xEF && p + 2 < n && static_cast<unsigned char>(s[p + 1]) == 0xBB &&
                 static_cast<unsigned char>(s[p + 2]) == 0xBF) [[unlikely]] {
        p += 3;  // byte order mark
      } else {
        return p;
      }
    }
  }

  // End of the name whose first character is at p (which is a NameStart).
  std::size_t scan_name(std::size_t p) const {
    const std::size_t n = src_.size();
    const char* s = src_.data();
    std::size_t q = p + 1;
    while (q < n && is_name_continue(static_cast<unsigned char>(s[q]))) ++q;
    return q;
  }

  // Hot path: punctuators and names; everything else goes out of line.
  void lex(Token& t) {
    const std::size_t n = src_.size();
    std::size_t p = skip_ignored(pos_);
    t.start = static_cast<Pos>(p);
    t.value = {};
    if (p >= n) [[unlikely]] {
      t.kind = Tok::Eof;
      t.end = t.start;
      pos_ = p;
      return;
    }
    unsigned char c = static_cast<unsigned char>(src_[p]);
    if (is_name_start(c)) {
      std::size_t q = scan_name(p);
      t.kind = Tok::Name;
      t.end = static_cast<Pos>(q);
      t.value = std::string_view(src_.data() + p, q - p);
      pos_ = q;
      return;
    }
    Tok k = kPunct.kind[c];
    if (k != Tok::Eof) {
      t.kind = k;
      t.end = static_cast<Pos>(p + 1);
      pos_ = p + 1;
      return;
    }
    lex_other(t, p);
  }

  [[gnu::noinline]] void lex_other(Token& t, std::size_t p) {
    const std::size_t n = src_.size();
    unsigned char c = static_cast<unsigned char>(src_[p]);
    switch (c) {
      case '.':
        if (p + 2 < n && src_[p + 1] == '.' && src_[p + 2] == '.') {
          t.kind = Tok::Spread;
          t.end = static_cast<Pos>(p + 3);
          pos_ = p + 3;
          return;
        }
        fail(static_cast<Pos>(p), "Syntax Error: Unexpected \".\".");
      case '"':
        if (p + 2 < n && src_[p + 1] == '"' && src_[p + 2] == '"') {
          lex_block_string(t, p);
        } else {
          lex_string(t, p);
        }
        return;
      default:
        if (c == '-' || is_digit(c)) {
          lex_number(t, p);
          return;
        }
        fail(static_cast<Pos>(p), "Syntax Error: Unexpected character: " + describe_char(p) + ".");
    }
  }

  void lex_number(Token& t, std::size_t start) {
    const std::size_t n = src_.size();
    std::size_t p = start;
    bool is_float = false;
    if (src_[p] == '-') ++p;
    if (p < n && src_[p] == '0') {
      ++p;
      if (p < n && is_digit(static_cast<unsigned char>(src_[p]))) {
        fail(static_cast<Pos>(p), "Syntax Error: Invalid number, unexpected digit after 0: " + describe_char(p) + ".");
      }
    } else {
      if (p >= n || !is_digit(static_cast<unsigned char>(src_[p]))) {
        fail(static_cast<Pos>(p), std::string("Syntax Error: Invalid number, expected digit but got: ") +
                                      (p < n ? describe_char(p) : "<EOF>") + ".");
      }
      while (p < n && is_digit(static_cast<unsigned char>(src_[p]))) ++p;
    }
    auto digits = [&]() {
      if (p >= n || !is_digit(static_cast<unsigned char>(src_[p]))) {
        fail(static_cast<Pos>(p), std::string("Syntax Error: Invalid number, expected digit but got: ") +
                                      (p < n ? describe_char(p) : "<EOF>") + ".");
      }
      while (p < n && is_digit(static_cast<unsigned char>(src_[p]))) ++p;
    };
    if (p < n && src_[p] == '.') {
      is_float = true;
      ++p;
      digits();
    }
    if (p < n && (src_[p] == 'e' || src_[p] == 'E')) {
      is_float = true;
      ++p;
      if (p < n && (src_[p] == '+' || src_[p] == '-')) ++p;
      digits();
    }
    if (p < n && (src_[p] == '.' || is_name_start(static_cast<unsigned char>(src_[p])))) {
      fail(static_cast<Pos>(p), "Syntax Error: Invalid number, expected digit but got: " + describe_char(p) + ".");
    }
    t.kind = is_float ? Tok::Float : Tok::Int;
    t.end = static_cast<Pos>(p);
    t.value = src_.substr(start, p - start);
    pos_ = p;
  }

  int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads \uXXXX or \u{...} starting at the 'u'; returns the code point or -1.
  long read_unicode(std::size_t& p) {
    const std::size_t n = src_.size();
    if (p + 1 < n && src_[p + 1] == '{') {
      std::size_t q = p + 2;
      long v = 0;
      int digits = 0;
      while (q < n && src_[q] != '}') {
        int h = hex(src_[q]);
        if (h < 0) return -1;
        v = v * 16 + h;
        if (v > 0x10FFFF) return -1;
        ++digits;
        ++q;
      }
      if (q >= n || digits == 0) return -1;
      p = q + 1;
      return v;
    }
    if (p + 4 >= n) return -1;
    long v = 0;
    for (std::size_t i = 1; i <= 4; ++i) {
      int h = hex(src_[p + i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    p += 5;
    return v;
  }

  void lex_string(Token& t, std::size_t start) {
    const std::size_t n = src_.size();
    std::size_t p = start + 1;
    // Fast path: plain ASCII without escapes.
    std::size_t q = p;
    while (q < n) {
      unsigned char c = static_cast<unsigned char>(src_[q]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++q;
    }
    if (q < n && src_[q] == '"') {
      t.kind = Tok::String;
      t.value = src_.substr(p, q - p);
      t.end = static_cast<Pos>(q + 1);
      pos_ = q + 1;
      return;
    }
    std::string& out = scratch_;
    out.assign(src_.data() + p, q - p);
    p = q;
    for (;;) {
      if (p >= n) fail(static_cast<Pos>(p), "Syntax Error: Unterminated string.");
      unsigned char c = static_cast<unsigned char>(src_[p]);
      if (c == '"') break;
      if (c == '\n' || c == '\r') fail(static_cast<Pos>(p), "Syntax Error: Unterminated string.");
      if (c < 0x20 && c != '\t') {
        fail(static_cast<Pos>(p), "Syntax Error: Invalid character within String: " + describe_char(p) + ".");
      }
      if (c >= 0x80) {
        std::size_t len = utf8_sequence_length(src_, p);
        if (len == 0) fail(static_cast<Pos>(p), "Syntax Error: Invalid UTF-8 within String.");
        out.append(src_.data() + p, len);
        p += len;
        continue;
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++p;
        continue;
      }
      if (p + 1 >= n) fail(static_cast<Pos>(p), "Syntax Error: Unterminated string.");
      char e = src_[p + 1];
      std::size_t esc = p;
      switch (e) {
        case '"': out.push_back('"'); p += 2; break;
        case '\\': out.push_back('\\'); p += 2; break;
        case '/': out.push_back('/'); p += 2; break;
        case 'b': out.push_back('\b'); p += 2; break;
        case 'f': out.push_back('\f'); p += 2; break;
        case 'n': out.push_back('\n'); p += 2; break;
        case 'r': out.push_back('\r'); p += 2; break;
        case 't': out.push_back('\t'); p += 2; break;
        case 'u': {
          ++p;
          bool braced = p + 1 < n && src_[p + 1] == '{';
          long cp = read_unicode(p);
          if (cp < 0) fail(static_cast<Pos>(esc), "Syntax Error: Invalid Unicode escape sequence.");
          if (!braced && cp >= 0xD800 && cp <= 0xDBFF) {
            // A leading surrogate must be followed by a trailing one.
            long lo = -1;
            if (p + 1 < n && src_[p] == '\\' && src_[p + 1] == 'u') {
              std::size_t q2 = p + 1;
              if (!(q2 + 1 < n && src_[q2 + 1] == '{')) {
                lo = read_unicode(q2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                  p = q2;
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                  lo = -1;
                }
              }
            }
            if (lo < 0) fail(static_cast<Pos>(esc), "Syntax Error: Invalid Unicode escape sequence.");
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            fail(static_cast<Pos>(esc), "Syntax Error: Invalid Unicode escape sequence.");
          }
          append_utf8(out, static_cast<std::uint32_t>(cp));
          break;
        }
        default:
          fail(static_cast<Pos>(p), "Syntax Error: Invalid character escape sequence: \\" +
                                        std::string(1, e) + ".");
      }
    }
    t.kind = Tok::String;
    t.value = arena_.copy(out);
    t.end = static_cast<Pos>(p + 1);
    pos_ = p + 1;
  }

  void lex_block_string(Token& t, std::size_t start) {
    const std::size_t n = src_.size();
    std::size_t p = start + 3;
    std::string& raw = scratch_;
    raw.clear();
    std::size_t run = p;
    for (;;) {
      if (p >= n) fail(static_cast<Pos>(p), "Syntax Error: Unterminated string.");
      unsigned char c = static_cast<unsigned char>(src_[p]);
      if (c == '"' && p + 2 < n && src_[p + 1] == '"' && src_[p + 2] == '"') {
        raw.append(src_.data() + run, p - run);
        break;
      }
      if (c == '\\' && p + 3 < n && src_[p + 1] == '"' && src_[p + 2] == '"' && src_[p + 3] == '"') {
        raw.append(src_.data() + run, p - run);
        raw.append("\"\"\"");
        p += 4;
        run = p;
        continue;
      }
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        fail(static_cast<Pos>(p), "Syntax Error: Invalid character within String: " + describe_char(p) + ".");
      }
      if (c >= 0x80) {
        std::size_t len = utf8_sequence_length(src_, p);
        if (len == 0) fail(static_cast<Pos>(p), "Syntax Error: Invalid UTF-8 within String.");
        p += len;
        continue;
      }
      ++p;
    }
    t.kind = Tok::BlockString;
    t.value = arena_.copy(block_string_value(raw));
    t.end = static_cast<Pos>(p + 3);
    pos_ = p + 3;
  }

  // ------------------------------------------------------------ parser helpers
  bool peek(Tok k) const { return tok_.kind == k; }
  bool peek_name(std::string_view kw) const { return tok_.kind == Tok::Name && tok_.value == kw; }

  std::string found() const {
    if (tok_.kind == Tok::Name) return "Name \"" + std::string(tok_.value) + "\"";
    if (tok_.kind == Tok::Int || tok_.kind == Tok::Float) {
      return std::string(tok_name(tok_.kind)) + " \"" + std::string(tok_.value) + "\"";
    }
    if (tok_.kind == Tok::String || tok_.kind == Tok::BlockString) return tok_name(tok_.kind);
    return tok_name(tok_.kind);
  }
  [[noreturn, gnu::noinline, gnu::cold]] void unexpected() { fail(tok_.start, "Syntax Error: Unexpected " + found() + "."); }
  [[noreturn, gnu::noinline, gnu::cold]] void fail_expected(const char* what) {
    fail(tok_.start, std::string("Syntax Error: Expected ") + what + ", found " + found() + ".");
  }
  void expect(Tok k) {
    if (tok_.kind != k) [[unlikely]] fail_expected(tok_name(k));
    next();
  }
  bool skip(Tok k) {
    if (tok_.kind == k) {
      next();
      return true;
    }
    return false;
  }
  [[noreturn, gnu::noinline, gnu::cold]] void fail_keyword(std::string_view kw) {
    fail(tok_.start, "Syntax Error: Expected \"" + std::string(kw) + "\", found " + found() + ".");
  }
  void expect_keyword(std::string_view kw) {
    if (!peek_name(kw)) [[unlikely]] fail_keyword(kw);
    next();
  }
  std::string_view name() {
    if (tok_.kind != Tok::Name) [[unlikely]] fail_expected("Name");
    std::string_view v = tok_.value;
    next();
    return v;
  }
  void enter() {
    if (++depth_ > opt_.max_nesting) [[unlikely]] fail_nesting();
  }
  [[noreturn, gnu::noinline, gnu::cold]] void fail_nesting() {
    fail(tok_.start, "Syntax Error: Document nesting depth exceeds " + std::to_string(opt_.max_nesting) + " levels.",
         true);
  }
  void leave() { --depth_; }

  template <typename T>
  Span<T> finish(std::vector<T>& stack, std::size_t start) {
    Span<T> s = copy_span(arena_, stack.data() + start, stack.size() - start);
    stack.resize(start);
    return s;
  }

  // ------------------------------------------------------------ grammar
  Document* document() {
    std::size_t start = defs_.size();
    if (peek(Tok::Eof)) fail(tok_.start, "Syntax Error: Unexpected <EOF>.");
    while (!peek(Tok::Eof)) defs_.push_back(definition());
    auto* doc = arena_.make<Document>();
    doc->definitions = finish(defs_, start);
    doc->token_count = static_cast<std::uint32_t>(tokens_);
    resolve_spreads();
    return doc;
  }

  // Points each fragment spread at the first definition of its fragment.
  void resolve_spreads() {
    auto& frags = st_.fragments;
    if (frags.size() <= 16) {
      for (Selection* s : st_.spreads) {
        for (const FragmentDefinition* f : frags) {
          if (name_eq(f->name, s->name)) {
            s->fragment = f;
            break;
          }
        }
      }
      return;
    }
    auto& index = st_.fragment_index;
    for (const FragmentDefinition* f : frags) index.emplace(f->name, f);  // the first one stays
    for (Selection* s : st_.spreads) {
      auto it = index.find(s->name);
      if (it != index.end()) s->fragment = it->second;
    }
  }

  Definition definition() {
    Definition d{};
    if (peek(Tok::BraceL)) {
      d.kind = Definition::Kind::Operation;
      d.operation = operation();
      return d;
    }
    bool has_description = peek(Tok::String) || peek(Tok::BlockString);
    Token kw = tok_;
    if (has_description) {
      // Look past the description for the keyword.
      std::size_t save_pos = pos_;
      Token save = tok_;
      int save_tokens = tokens_;
      next();
      kw = tok_;
      pos_ = save_pos;
      tok_ = save;
      tokens_ = save_tokens;
    }
    if (kw.kind == Tok::Name) {
      std::string_view k = kw.value;
      if (!has_description) {
        if (k == "query" || k == "mutation" || k == "subscription") {
          d.kind = Definition::Kind::Operation;
          d.operation = operation();
          return d;
        }
        if (k == "fragment") {
          d.kind = Definition::Kind::Fragment;
          d.fragment = fragment();
          return d;
        }
        if (k == "extend") return extension();
      }
      if (k == "schema") {
        d.kind = Definition::Kind::Schema;
        d.schema = schema_definition(false);
        return d;
      }
      if (k == "scalar" || k == "type" || k == "interface" || k == "union" || k == "enum" || k == "input") {
        d.kind = Definition::Kind::Type;
        d.type = type_definition(false);
        return d;
      }
      if (k == "directive") {
        d.kind = Definition::Kind::Directive;
        d.directive = directive_definition();
        return d;
      }
    }
    if (has_description) {
      next();
      unexpected();
    }
    unexpected();
  }

  OperationDefinition* operation() {
    auto* op = arena_.make<OperationDefinition>();
    op->pos = tok_.start;
    if (peek(Tok::BraceL)) {
      op->kind = OperationKind::Query;
      op->selections = selection_set();
      return op;
    }
    std::string_view k = tok_.value;
    op->kind = k == "query" ? OperationKind::Query
               : k == "mutation" ? OperationKind::Mutation
                                 : OperationKind::Subscription;
    next();
    if (peek(Tok::Name)) op->name = name();
    op->variables = variable_definitions();
    op->directives = directives(false);
    op->selections = selection_set();
    return op;
  }

  Span<VariableDefinition> variable_definitions() {
    if (!peek(Tok::ParenL)) return {};
    next();
    std::size_t start = vars_.size();
    do {
      VariableDefinition v{};
      v.pos = tok_.start;
      expect(Tok::Dollar);
      v.name = name();
      expect(Tok::Colon);
      v.type = type_ref();
      if (skip(Tok::Equals)) v.default_value = value(true);
      v.directives = directives(true);
      vars_.push_back(v);
    } while (!skip(Tok::ParenR));
    return finish(vars_, start);
  }

  TypeRef* type_ref() {
    auto* t = arena_.make<TypeRef>();
    t->pos = tok_.start;
    if (skip(Tok::BracketL)) {
      enter();
      t->kind = TypeRef::Kind::List;
      t->of = type_ref();
      expect(Tok::BracketR);
      leave();
    } else {
      t->kind = TypeRef::Kind::Named;
      t->name = name();
    }
    if (peek(Tok::Bang)) {
      auto* nn = arena_.make<TypeRef>();
      nn->kind = TypeRef::Kind::NonNull;
      nn->pos = t->pos;
      nn->of = t;
      next();
      return nn;
    }
    return t;
  }

  SelectionSet selection_set() {
    if (!peek(Tok::BraceL)) [[unlikely]] fail_expected("\"{\"");
    next();
    enter();
    std::size_t start = sels_.size();
    do {
      sels_.push_back(selection());
    } while (!skip(Tok::BraceR));
    leave();
    return finish(sels_, start);
  }

  Selection* selection() {
    auto* s = arena_.make<Selection>();
    s->pos = tok_.start;
    if (skip(Tok::Spread)) {
      if (peek(Tok::Name) && tok_.value != "on") {
        s->kind = Selection::Kind::FragmentSpread;
        s->name = name();
        st_.spreads.push_back(s);
        s->directives = directives(false);
        return s;
      }
      s->kind = Selection::Kind::InlineFragment;
      if (peek_name("on")) {
        next();
        s->type_condition = name();
      }
      s->directives = directives(false);
      s->selections = selection_set();
      s->has_selection_set = true;
      return s;
    }
    s->kind = Selection::Kind::Field;
    std::string_view n = name();
    if (skip(Tok::Colon)) {
      s->alias = n;
      n = name();
    }
    s->name = n;
    s->arguments = arguments(false);
    s->directives = directives(false);
    if (peek(Tok::BraceL)) {
      s->selections = selection_set();
      s->has_selection_set = true;
    }
    return s;
  }

  Span<Argument> arguments(bool is_const) {
    if (!peek(Tok::ParenL)) return {};
    next();
    std::size_t start = args_.size();
    do {
      Argument a{};
      a.pos = tok_.start;
      a.name = name();
      expect(Tok::Colon);
      a.value = value(is_const);
      args_.push_back(a);
    } while (!skip(Tok::ParenR));
    return finish(args_, start);
  }

  Span<Directive> directives(bool is_const) {
    if (!peek(Tok::At)) return {};
    std::size_t start = dirs_.size();
    while (peek(Tok::At)) {
      Directive d{};
      d.pos = tok_.start;
      next();
      d.name = name();
      d.arguments = arguments(is_const);
      dirs_.push_back(d);
    }
    return finish(dirs_, start);
  }

  ValueNode* value(bool is_const) {
    auto* v = arena_.make<ValueNode>();
    v->pos = tok_.start;
    switch (tok_.kind) {
      case Tok::BracketL: {
        next();
        enter();
        v->kind = ValueNode::Kind::List;
        std::size_t start = vals_.size();
        while (!skip(Tok::BracketR)) vals_.push_back(value(is_const));
        v->list = finish(vals_, start);
        leave();
        return v;
      }
      case Tok::BraceL: {
        next();
        enter();
        v->kind = ValueNode::Kind::Object;
        std::size_t start = ofields_.size();
        while (!skip(Tok::BraceR)) {
          ObjectField f{};
          f.pos = tok_.start;
          f.name = name();
          expect(Tok::Colon);
          f.value = value(is_const);
          ofields_.push_back(f);
        }
        v->fields = finish(ofields_, start);
        leave();
        return v;
      }
      case Tok::Int: v->kind = ValueNode::Kind::Int; break;
      case Tok::Float: v->kind = ValueNode::Kind::Float; break;
      case Tok::String:
      case Tok::BlockString: v->kind = ValueNode::Kind::String; break;
      case Tok::Name:
        if (tok_.value == "true" || tok_.value == "false") {
          v->kind = ValueNode::Kind::Boolean;
        } else if (tok_.value == "null") {
          v->kind = ValueNode::Kind::Null;
        } else {
          v->kind = ValueNode::Kind::Enum;
        }
        break;
      case Tok::Dollar:
        if (is_const) {
          next();
          if (peek(Tok::Name)) {
            fail(v->pos, "Syntax Error: Unexpected variable \"$" + std::string(tok_.value) + "\" in constant value.");
          }
          unexpected();
        }
        next();
        v->kind = ValueNode::Kind::Variable;
        v->text = name();
        return v;
      default: unexpected();
    }
    v->text = tok_.value;
    next();
    return v;
  }

  FragmentDefinition* fragment() {
    auto* f = arena_.make<FragmentDefinition>();
    f->pos = tok_.start;
    expect_keyword("fragment");
    if (peek_name("on")) unexpected();
    f->name = name();
    f->type_pos = tok_.start;
    expect_keyword("on");
    f->type_pos = tok_.start;
    f->type_condition = name();
    f->directives = directives(false);
    f->selections = selection_set();
    f->index = static_cast<std::uint32_t>(st_.fragments.size());
    st_.fragments.push_back(f);
    return f;
  }

  // ------------------------------------------------------------ type system
  std::string_view description() {
    if (peek(Tok::String) || peek(Tok::BlockString)) {
      std::string_view d = tok_.value;
      next();
      return d;
    }
    return {};
  }

  Definition extension() {
    Pos pos = tok_.start;
    expect_keyword("extend");
    Definition d{};
    if (peek_name("schema")) {
      d.kind = Definition::Kind::Schema;
      d.schema = schema_definition(true);
      d.schema->pos = pos;
      return d;
    }
    if (tok_.kind == Tok::Name) {
      std::string_view k = tok_.value;
      if (k == "scalar" || k == "type" || k == "interface" || k == "union" || k == "enum" || k == "input") {
        d.kind = Definition::Kind::Type;
        d.type = type_definition(true);
        d.type->pos = pos;
        return d;
      }
    }
    unexpected();
  }

  SchemaDefinition* schema_definition(bool is_extension) {
    auto* s = arena_.make<SchemaDefinition>();
    s->is_extension = is_extension;
    s->pos = tok_.start;
    if (!is_extension) s->description = description();
    expect_keyword("schema");
    s->directives = directives(true);
    if (is_extension && !peek(Tok::BraceL)) {
      if (s->directives.empty()) unexpected();
      return s;
    }
    expect(Tok::BraceL);
    std::vector<RootOperationType> ops;
    do {
      RootOperationType r{};
      if (peek_name("query")) r.kind = OperationKind::Query;
      else if (peek_name("mutation")) r.kind = OperationKind::Mutation;
      else if (peek_name("subscription")) r.kind = OperationKind::Subscription;
      else unexpected();
      next();
      expect(Tok::Colon);
      r.type.pos = tok_.start;
      r.type.name = name();
      ops.push_back(r);
    } while (!skip(Tok::BraceR));
    s->operations = copy_span(arena_, ops.data(), ops.size());
    return s;
  }

  Span<InputValueDefinition> input_values(Tok open, Tok close) {
    if (!peek(open)) return {};
    next();
    std::size_t start = ivals_.size();
    do {
      InputValueDefinition iv{};
      iv.pos = tok_.start;
      iv.description = description();
      iv.pos = tok_.start;
      iv.name = name();
      expect(Tok::Colon);
      iv.type = type_ref();
      if (skip(Tok::Equals)) iv.default_value = value(true);
      iv.directives = directives(true);
      ivals_.push_back(iv);
    } while (!skip(close));
    return finish(ivals_, start);
  }

  TypeDefinition* type_definition(bool is_extension) {
    auto* t = arena_.make<TypeDefinition>();
    t->is_extension = is_extension;
    t->pos = tok_.start;
    if (!is_extension) t->description = description();
    std::string_view k = tok_.value;
    next();
    t->name = name();
    bool has_body = false;
    if (k == "scalar") {
      t->kind = TypeKind::Scalar;
      t->directives = directives(true);
      has_body = !t->directives.empty();
    } else if (k == "type" || k == "interface") {
      t->kind = k == "type" ? TypeKind::Object : TypeKind::Interface;
      if (peek_name("implements")) {
        next();
        skip(Tok::Amp);
        std::vector<NamedRef> ifaces;
        do {
          NamedRef r{};
          r.pos = tok_.start;
          r.name = name();
          ifaces.push_back(r);
        } while (skip(Tok::Amp));
        t->interfaces = copy_span(arena_, ifaces.data(), ifaces.size());
        has_body = true;
      }
      t->directives = directives(true);
      if (!t->directives.empty()) has_body = true;
      if (peek(Tok::BraceL)) {
        next();
        std::size_t start = fdefs_.size();
        do {
          FieldDefinition f{};
          f.description = description();
          f.pos = tok_.start;
          f.name = name();
          f.arguments = input_values(Tok::ParenL, Tok::ParenR);
          expect(Tok::Colon);
          f.type = type_ref();
          f.directives = directives(true);
          fdefs_.push_back(f);
        } while (!skip(Tok::BraceR));
        t->fields = finish(fdefs_, start);
        has_body = true;
      }
    } else if (k == "union") {
      t->kind = TypeKind::Union;
      t->directives = directives(true);
      if (!t->directives.empty()) has_body = true;
      if (skip(Tok::Equals)) {
        skip(Tok::Pipe);
        std::vector<NamedRef> members;
        do {
          NamedRef r{};
          r.pos = tok_.start;
          r.name = name();
          members.push_back(r);
        } while (skip(Tok::Pipe));
        t->members = copy_span(arena_, members.data(), members.size());
        has_body = true;
      }
    } else if (k == "enum") {
      t->kind = TypeKind::Enum;
      t->directives = directives(true);
      if (!t->directives.empty()) has_body = true;
      if (peek(Tok::BraceL)) {
        next();
        std::vector<EnumValueDefinition> values;
        do {
          EnumValueDefinition e{};
          e.description = description();
          e.pos = tok_.start;
          if (peek_name("true") || peek_name("false") || peek_name("null")) {
            fail(tok_.start, "Syntax Error: Name \"" + std::string(tok_.value) + "\" is reserved and cannot be used for an enum value.");
          }
          e.name = name();
          e.directives = directives(true);
          values.push_back(e);
        } while (!skip(Tok::BraceR));
        t->values = copy_span(arena_, values.data(), values.size());
        has_body = true;
      }
    } else {
      t->kind = TypeKind::InputObject;
      t->directives = directives(true);
      if (!t->directives.empty()) has_body = true;
      if (peek(Tok::BraceL)) {
        t->input_fields = input_values(Tok::BraceL, Tok::BraceR);
        has_body = true;
      }
    }
    if (is_extension && !has_body) unexpected();
    return t;
  }

  DirectiveDefinition* directive_definition() {
    auto* d = arena_.make<DirectiveDefinition>();
    d->pos = tok_.start;
    d->description = description();
    expect_keyword("directive");
    expect(Tok::At);
    d->name = name();
    d->arguments = input_values(Tok::ParenL, Tok::ParenR);
    if (peek_name("repeatable")) {
      d->repeatable = true;
      next();
    }
    expect_keyword("on");
    skip(Tok::Pipe);
    std::vector<NamedRef> locs;
    static const std::string_view kLocations[] = {
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
        "INPUT_FIELD_DEFINITION"};
    do {
      NamedRef r{};
      r.pos = tok_.start;
      bool known = false;
      if (peek(Tok::Name)) {
        for (auto l : kLocations) known = known || l == tok_.value;
      }
      if (!known) unexpected();
      r.name = name();
      locs.push_back(r);
    } while (skip(Tok::Pipe));
    d->locations = copy_span(arena_, locs.data(), locs.size());
    return d;
  }

  std::string_view src_;
  Arena& arena_;
  const ParseOptions& opt_;
  std::size_t pos_ = 0;
  Pos prev_end_ = 0;
  Token tok_;
  int tokens_ = 0;
  int depth_ = 0;
  SyntaxError error_;
  Stacks& st_;
  std::string& scratch_;
  std::vector<Definition>& defs_;
  std::vector<Selection*>& sels_;
  std::vector<Argument>& args_;
  std::vector<Directive>& dirs_;
  std::vector<ValueNode*>& vals_;
  std::vector<ObjectField>& ofields_;
  std::vector<VariableDefinition>& vars_;
  std::vector<InputValueDefinition>& ivals_;
  std::vector<FieldDefinition>& fdefs_;
};

}  // namespace

ParseResult parse(std::string_view source, Arena& arena, const ParseOptions& options) {
  return Parser(source, arena, options).run();
}

std::string block_string_value(std::string_view raw) {
  // Split into lines on \r\n, \n, \r.
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' || raw[i] == '\r') {
      lines.push_back(raw.substr(start, i - start));
      if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  lines.push_back(raw.substr(start));
  auto indent_of = [](std::string_view l) {
    std::size_t i = 0;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    return i;
  };
  std::size_t common = std::string_view::npos;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::size_t ind = indent_of(lines[i]);
    if (ind < lines[i].size() && ind < common) common = ind;
  }
  if (common != std::string_view::npos) {
    for (std::size_t i = 1; i < lines.size(); ++i) {
      lines[i] = lines[i].size() >= common ? lines[i].substr(common) : std::string_view{};
    }
  }
  std::size_t first = 0, last = lines.size();
  while (first < last && indent_of(lines[first]) == lines[first].size()) ++first;
  while (last > first && indent_of(lines[last - 1]) == lines[last - 1].size()) --last;
  std::string out;
  for (std::size_t i = first; i < last; ++i) {
    if (i != first) out.push_back('\n');
    out.append(lines[i]);
  }
  return out;
}

namespace ast {

LineColumn line_column(std::string_view source, Pos pos) {
  int line = 1, column = 1;
  std::size_t end = pos < source.size() ? pos : source.size();
  for (std::size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if (c == '\r') {
      if (i + 1 < end && source[i + 1] == '\n') ++i;
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

namespace {
void print_string_literal(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out.append(buf);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void print_value_to(std::string& out, const ValueNode& v) {
  switch (v.kind) {
    case ValueNode::Kind::Variable: out.push_back('$'); out.append(v.text); break;
    case ValueNode::Kind::Int:
    case ValueNode::Kind::Float:
    case ValueNode::Kind::Boolean:
    case ValueNode::Kind::Enum: out.append(v.text); break;
    case ValueNode::Kind::Null: out.append("null"); break;
    case ValueNode::Kind::String: print_string_literal(out, v.text); break;
    case ValueNode::Kind::List: {
      out.push_back('[');
      bool first = true;
      for (auto* item : v.list) {
        if (!first) out.append(", ");
        first = false;
        print_value_to(out, *item);
      }
      out.push_back(']');
      break;
    }
    case ValueNode::Kind::Object: {
      out.push_back('{');
      bool first = true;
      for (auto& f : v.fields) {
        if (!first) out.append(", ");
        first = false;
        out.append(f.name);
        out.append(": ");
        print_value_to(out, *f.value);
      }
      out.push_back('}');
      break;
    }
  }
}
}  // namespace

std::string print_value(const ValueNode& v) {
  std::string out;
  print_value_to(out, v);
  return out;
}

std::string print_type(const TypeRef& t) {
  switch (t.kind) {
    case TypeRef::Kind::Named: return std::string(t.name);
    case TypeRef::Kind::List: return "[" + print_type(*t.of) + "]";
    case TypeRef::Kind::NonNull: return print_type(*t.of) + "!";
  }
  return {};
}

}  // namespace ast
}  // namespace parley::graphql
