// Schema: the type system, built from SDL, plus the resolvers attached to it.
//
// Lifetime and threading: build with Schema::from_sdl(), attach resolvers
// (resolve*, subscribe, resolve_type) during start-up, then share it as
// `std::shared_ptr<const Schema>`: after start-up it is immutable and may be
// used from any number of threads. TypeDef/FieldDef pointers stay valid for
// the Schema's lifetime.
#pragma once

#include <any>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.hpp"
#include "base/task.hpp"
#include "graphql/ast.hpp"
#include "graphql/value.hpp"

namespace parley::graphql {

struct TypeDef;
struct FieldDef;

// What a resolver sees. Every reference is valid only during the call (for
// an asynchronous resolver: until its Task first suspends — copy what you
// need before the first co_await).
struct FieldContext {
  const Value& parent;        // the parent object value
  const Value& args;          // coerced arguments, an Object (absent optional args are absent keys)
  const std::any& context;    // the request context given to execute() (opaque to the engine)
  std::string_view field_name;
  std::string_view parent_type;
  const ast::Selection* selection = nullptr;  // the field's syntax (look-ahead), may be null
};

// Resolvers return a Value or a Status; a non-ok Status becomes a field error
// with code = base::code_name(status.code()), message = status.message() (for
// Code::Internal the message "Internal error"), and extensions retryAfter and
// field when set.
using Resolver = std::function<base::Task<base::Result<Value>>(const FieldContext&)>;
using SyncResolver = std::function<base::Result<Value>(const FieldContext&)>;  // no coroutine frame

// Source of events for a subscription. next() completes with the next event
// or std::nullopt once the stream ended; cancel() ends it early.
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual base::Task<std::optional<Value>> next() = 0;
  virtual void cancel() = 0;
};
using Subscriber = std::function<base::Task<base::Result<std::shared_ptr<EventStream>>>(const FieldContext&)>;

using TypeKind = ast::TypeKind;

// A type expression: a named type or a List/NonNull wrapper.
struct TypeExpr {
  enum class Kind : std::uint8_t { Named, List, NonNull };
  Kind kind;
  const TypeDef* named;  // Named
  const TypeExpr* of;    // List, NonNull
  const TypeDef* base = nullptr;  // the innermost named type, cached by Schema's interning (else computed)
  // The schema's interned [this] and this! (set at start-up by intern_wrap(); null otherwise).
  mutable const TypeExpr* interned_list = nullptr;
  mutable const TypeExpr* interned_non_null = nullptr;
  bool non_null() const { return kind == Kind::NonNull; }
  const TypeDef* named_type() const;
  std::string to_string() const;  // "[String!]!"
};
bool same_type(const TypeExpr& a, const TypeExpr& b);

struct InputValueDef {
  std::string name;
  std::string description;
  const TypeExpr* type = nullptr;
  std::optional<Value> default_value;  // coerced default, when one was given
  std::string default_literal;         // its GraphQL source, for introspection
  bool deprecated = false;
  std::string deprecation_reason;
  const ast::ValueNode* default_ast = nullptr;  // only while the schema is being built
};

struct FieldDef {
  std::string name;
  std::string description;
  std::vector<InputValueDef> args;
  const TypeExpr* type = nullptr;
  bool deprecated = false;
  std::string deprecation_reason;
  const TypeDef* owner = nullptr;
  Resolver resolver;           // at most one of resolver / sync_resolver is set
  SyncResolver sync_resolver;  // neither: the default resolver reads parent[name]
  Subscriber subscriber;       // Subscription root fields
  const InputValueDef* find_arg(std::string_view n) const;
};

struct EnumValueDef {
  std::string name;
  std::string description;
  bool deprecated = false;
  std::string deprecation_reason;
};

struct TypeDef {
  TypeKind kind;
  std::string name;
  std::string description;
  std::vector<FieldDef> fields;                 // Object, Interface
  std::vector<const TypeDef*> interfaces;       // Object, Interface
  std::vector<const TypeDef*> possible_types;   // Union members / Interface implementations (objects)
  std::vector<EnumValueDef> enum_values;        // Enum
  std::vector<InputValueDef> input_fields;      // InputObject
  std::string specified_by_url;                 // Scalar
  bool one_of = false;                          // InputObject with @oneOf
  bool builtin = false;                         // built-in scalar or introspection type
  std::function<std::string(const Value&)> type_resolver;  // Interface, Union

  const FieldDef* find_field(std::string_view n) const;
  const InputValueDef* find_input_field(std::string_view n) const;
  const EnumValueDef* find_enum_value(std::string_view n) const;
  bool is_leaf() const { return kind == TypeKind::Scalar || kind == TypeKind::Enum; }
  bool is_composite() const {
    return kind == TypeKind::Object || kind == TypeKind::Interface || kind == TypeKind::Union;
  }
  bool is_abstract() const { return kind == TypeKind::Interface || kind == TypeKind::Union; }
  bool is_input() const { return is_leaf() || kind == TypeKind::InputObject; }
  // True when `object` is this type, one of its members or implementations.
  bool is_possible_type(const TypeDef* object) const;

  std::unordered_map<std::string_view, std::size_t> field_index_;  // large types only
  // One word per field, in `fields` order: its length and first 7 bytes
  // (see name_key()); filled once the schema is complete. A linear scan of
  // these finds a field without touching the FieldDefs.
  std::vector<std::uint64_t> field_keys_;
  // A collision-free hash of (length, first byte, last byte) into
  // field_slots_ (field index + 1, 0 when free), when index_names() found a
  // multiplier that separates all fields; empty otherwise.
  std::vector<std::uint8_t> field_slots_;
  const TypeExpr* interned_ = nullptr;  // set at start-up by Schema::intern_named()
  std::uint32_t field_mul_ = 0;
  std::uint32_t field_shift_ = 0;
  std::uint32_t field_slot(std::string_view n) const {
    std::uint32_t k = static_cast<std::uint32_t>(n.size()) << 16 |
                      static_cast<std::uint32_t>(static_cast<unsigned char>(n[0])) << 8 |
                      static_cast<unsigned char>(n[n.size() - 1]);
    return (k * field_mul_) >> field_shift_;
  }
};

// A name's length (top byte) and its first 7 bytes: equal keys mean equal
// names for names shorter than 8 bytes.
inline std::uint64_t name_key(std::string_view n) {
  std::uint64_t k = 0;
  std::size_t m = n.size() < 7 ? n.size() : 7;
  for (std::size_t i = 0; i < m; ++i) k |= static_cast<std::uint64_t>(static_cast<unsigned char>(n[i])) << (8 * i);
  return k | (static_cast<std::uint64_t>(n.size() < 255 ? n.size() : 255) << 56);
}

enum class DirectiveLocation : std::uint8_t {
  Query, Mutation, Subscription, Field, FragmentDefinition, FragmentSpread, InlineFragment,
  VariableDefinition, Schema, Scalar, Object, FieldDefinition, ArgumentDefinition, Interface, Union,
  Enum, EnumValue, InputObject, InputFieldDefinition
};
std::string_view location_name(DirectiveLocation l);

struct DirectiveDef {
  std::string name;
  std::string description;
  std::vector<InputValueDef> args;
  bool repeatable = false;
  std::vector<DirectiveLocation> locations;
  bool builtin = false;
  bool allows(DirectiveLocation l) const;
  const InputValueDef* find_arg(std::string_view n) const;
};

class Schema {
 public:
  // Parses and validates SDL. Built-in scalars, directives (@skip, @include,
  // @deprecated, @specifiedBy, @oneOf) and introspection types are added.
  // Errors: BAD_REQUEST with "line:column: message" for each problem found.
  static base::Result<std::shared_ptr<Schema>> from_sdl(std::string_view sdl);

  // Attach resolvers. Unknown types/fields abort the process: these are
  // start-up programming errors. The try_* variants return the error instead.
  void resolve(std::string_view type, std::string_view field, Resolver r);
  void resolve_sync(std::string_view type, std::string_view field, SyncResolver r);
  void subscribe(std::string_view field, Subscriber s);
  void resolve_type(std::string_view abstract_type, std::function<std::string(const Value&)> f);
  base::Status try_resolve(std::string_view type, std::string_view field, Resolver r);
  base::Status try_resolve_sync(std::string_view type, std::string_view field, SyncResolver r);

  const TypeDef* type(std::string_view name) const;
  const TypeDef* query_type() const { return query_; }
  const TypeDef* mutation_type() const { return mutation_; }
  const TypeDef* subscription_type() const { return subscription_; }
  const DirectiveDef* directive(std::string_view name) const;
  const std::vector<const TypeDef*>& types() const { return type_order_; }  // definition order
  const std::vector<const DirectiveDef*>& directives() const { return directive_order_; }
  const std::string& description() const { return description_; }

  // The meta-fields __typename, __schema and __type.
  const FieldDef* typename_field() const { return &typename_field_; }
  const FieldDef* schema_field() const { return &schema_field_; }
  const FieldDef* type_field() const { return &type_field_; }

  const std::string& sdl() const { return sdl_; }  // the SDL it was built from
  std::string print_schema() const;                 // canonical SDL of the user-defined types

  // Introspection values (see introspection.cpp).
  Value type_value(const TypeExpr& t) const;
  Value named_type_value(const TypeDef& t) const;

  // Interns a type expression (used while building and by validation of
  // variable definitions). Not thread-safe: start-up only.
  const TypeExpr* intern_named(const TypeDef* t);
  const TypeExpr* intern_wrap(TypeExpr::Kind k, const TypeExpr* of);
  // The interned expression, or null when the schema never used it. Read
  // only: safe from any thread once the schema is built.
  const TypeExpr* find_interned_named(const TypeDef* t) const;
  const TypeExpr* find_interned_wrap(TypeExpr::Kind k, const TypeExpr* of) const;

 private:
  friend class SchemaBuilder;
  Schema() = default;
  TypeDef* mutable_type(std::string_view name);
  void install_introspection();
  void index_names();  // builds type_slots_ and the types' field_keys_ (end of from_sdl)

  std::string sdl_;
  std::string description_;
  std::unordered_map<std::string_view, std::unique_ptr<TypeDef>> types_;
  std::vector<const TypeDef*> type_order_;
  std::unordered_map<std::string_view, std::unique_ptr<DirectiveDef>> directives_;
  std::vector<const DirectiveDef*> directive_order_;
  std::deque<TypeExpr> exprs_;
  std::unordered_map<const void*, const TypeExpr*> named_exprs_, list_exprs_, non_null_exprs_;
  const TypeDef* query_ = nullptr;
  const TypeDef* mutation_ = nullptr;
  const TypeDef* subscription_ = nullptr;
  FieldDef typename_field_, schema_field_, type_field_;
  // Open addressing over the type names (power-of-two size, at most half
  // full); empty until index_names(), when type() falls back to types_.
  std::vector<std::pair<std::string_view, const TypeDef*>> type_slots_;
  // Collision-free hash of (length, first two and last two bytes) into
  // type_order_ (index + 1), when index_names() found one; else empty.
  std::vector<std::uint16_t> type_perfect_;
  std::uint64_t type_mul_ = 0;
  unsigned type_shift_ = 0;
  std::size_t type_perfect_slot(std::string_view n) const;
};

// ---- input coercion (coerce.cpp), shared by schema, validation and execution

// Coerces a literal to `type`. With `variables` null (validation, defaults),
// variable references are accepted without a value (they yield null) and
// `error` explains the first problem. Returns false on error.
bool coerce_literal(const ast::ValueNode& node, const TypeExpr& type, const Value* variables, Value& out,
                    std::string& error);
// Coerces an external (JSON) value for a variable of `type`.
bool coerce_input_value(const Value& value, const TypeExpr& type, Value& out, std::string& error,
                        std::string_view path);
// Serialises a resolved leaf value; false (with error) when it cannot be represented.
bool serialize_leaf(const TypeDef& type, const Value& value, Value& out, std::string& error);

}  // namespace parley::graphql
