// Value: a GraphQL/JSON value (results, arguments, variables, events).
//
// Contract:
//  - Copying is cheap: lists and objects share their storage through a
//    shared_ptr and are copied on write (set()/push() clone the storage only
//    when it is shared). Strings are held by value (short ones inline).
//  - Objects keep insertion order; set() replaces an existing key in place.
//  - Accessors never assert: asking a value of the wrong kind yields a
//    neutral answer (false, 0, "", empty list/object, nullptr) so that data a
//    peer sent can never crash the process.
//  - A Value is not synchronised: share copies across threads, not one
//    mutable instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.hpp"

namespace parley::graphql {

class Value {
 public:
  enum class Kind : std::uint8_t { Null, Bool, Int, Float, String, Enum, List, Object };
  using Members = std::vector<std::pair<std::string, Value>>;

  Value() = default;
  Value(std::nullptr_t) {}                                                     // NOLINT
  Value(bool b) : kind_(Kind::Bool), v_(b) {}                                  // NOLINT
  Value(int i) : kind_(Kind::Int), v_(static_cast<std::int64_t>(i)) {}        // NOLINT
  Value(std::int64_t i) : kind_(Kind::Int), v_(i) {}                           // NOLINT
  Value(double d) : kind_(Kind::Float), v_(d) {}                               // NOLINT
  Value(std::string s) : kind_(Kind::String), v_(std::move(s)) {}             // NOLINT
  Value(const char* s) : kind_(Kind::String), v_(std::string(s)) {}           // NOLINT
  Value(std::string_view s) : kind_(Kind::String), v_(std::string(s)) {}      // NOLINT

  static Value enum_value(std::string name);
  static Value list(std::vector<Value> items = {});
  static Value object();
  static Value object(Members members);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_list() const { return kind_ == Kind::List; }
  bool is_object() const { return kind_ == Kind::Object; }

  bool as_bool() const;
  std::int64_t as_int() const;  // Int (a Float is truncated)
  double as_float() const;      // Float accepts Int too
  const std::string& as_string() const;  // String or Enum; "" otherwise
  const std::vector<Value>& items() const;  // List; empty otherwise
  const Value* find(std::string_view key) const;  // Object; nullptr if absent
  std::size_t size() const;                       // List or Object; 0 otherwise
  const Members& members() const;                 // Object; empty otherwise

  Value& set(std::string key, Value v);  // turns a null into an object; replaces an existing key
  Value& push(Value v);                  // turns a null into a list

  // Serialises as JSON. Strings are escaped; invalid UTF-8 becomes U+FFFD so
  // the output is always valid UTF-8. Non-finite floats become null.
  void write_json(std::string& out) const;
  std::string to_json() const;
  // Parses JSON (RFC 8259; nesting depth at most 256). Integers that fit in
  // 64 bits become Int, other numbers Float. BAD_REQUEST on invalid input.
  static base::Result<Value> from_json(std::string_view json);

  friend bool operator==(const Value& a, const Value& b);

 private:
  struct ListRep {
    std::vector<Value> items;
  };
  struct ObjectRep {
    Members members;
  };
  Kind kind_ = Kind::Null;
  std::variant<std::monostate, bool, std::int64_t, double, std::string, std::shared_ptr<ListRep>,
               std::shared_ptr<ObjectRep>>
      v_;
};

// Appends `s` to `out` as a JSON string literal (quotes included), replacing
// invalid UTF-8 with U+FFFD.
void write_json_string(std::string& out, std::string_view s);

}  // namespace parley::graphql
