// The GraphQL syntax tree, shared by executable documents and SDL.
//
// Ownership: every node lives in an Arena and points into the source text it
// was parsed from (names, raw numbers) or into the arena (decoded strings).
// Nodes are trivially destructible; the Arena frees them in one go. A
// Document is therefore valid only while both its Arena and its source text
// are alive (PreparedOperation and Schema keep both).
//
// Positions are byte offsets into the source; line_column() converts one when
// an error is reported (cheaper than tracking lines while lexing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parley::graphql::ast {

// A bump allocator. Not thread-safe; freed as a whole.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(std::size_t n, std::size_t align = alignof(std::max_align_t)) {
    std::size_t p = (used_ + align - 1) & ~(align - 1);
    if (p + n > cap_) {
      grow(n + align);
      p = (used_ + align - 1) & ~(align - 1);
    }
    used_ = p + n;
    return cur_ + p;
  }
  template <typename T, typename... Args>
  T* make(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>);
    if constexpr (sizeof...(Args) == 0 && std::is_aggregate_v<T> && std::is_trivially_copyable_v<T>) {
      // All nodes are zero-initialised aggregates of pointers, sizes and
      // string_views: all-zero bytes are their T{}. Aggregates are
      // implicit-lifetime types, so the zeroed block is a T (C++20). Done
      // with explicit 16-byte stores: g++ clears a value-initialised
      // ~128-byte node with `rep stos`, which is slow at that size.
      void* p = allocate(sizeof(T), alignof(T));
      zero(p, sizeof(T));
      return std::launder(static_cast<T*>(p));
    } else {
      return new (allocate(sizeof(T), alignof(T))) T{std::forward<Args>(args)...};
    }
  }
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  std::size_t bytes_allocated() const { return total_; }
  // Makes the first block at least `n` bytes (call before allocating).
  void reserve(std::size_t n) {
    if (!first_ && n > 0) grow(n);
  }

 private:
  void grow(std::size_t at_least) {
    std::size_t size = !first_ ? 4096 : cap_ * 2;
    if (size > (1u << 20)) size = 1u << 20;
    if (size < at_least) size = at_least;
    if (!first_) {
      first_.reset(new char[size]);  // most documents need one block: no vector
      cur_ = first_.get();
    } else {
      blocks_.emplace_back(new char[size]);
      cur_ = blocks_.back().get();
    }
    cap_ = size;
    used_ = 0;
    total_ += size;
  }
  // Volatile stores: otherwise the compiler merges them back into `rep stos`.
  static void zero(void* p, std::size_t n) {
    char* c = static_cast<char*>(p);
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) *reinterpret_cast<volatile __m128i_u*>(c + i) = _mm_setzero_si128();  // unaligned
#endif
    for (; i + 8 <= n; i += 8) *reinterpret_cast<volatile std::uint64_t*>(c + i) = 0;
    for (; i < n; ++i) *reinterpret_cast<volatile char*>(c + i) = 0;
  }
  std::unique_ptr<char[]> first_;
  std::vector<std::unique_ptr<char[]>> blocks_;  // after the first
  char* cur_ = nullptr;
  std::size_t cap_ = 0, used_ = 0, total_ = 0;
};

// An immutable array in the arena.
template <typename T>
struct Span {
  T* data = nullptr;
  std::uint32_t count = 0;
  T* begin() const { return data; }
  T* end() const { return data + count; }
  std::uint32_t size() const { return count; }
  bool empty() const { return count == 0; }
  T& operator[](std::size_t i) const { return data[i]; }
};

// Equality for short names without an out-of-line memcmp call.
inline bool name_eq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  std::size_t n = a.size();
  while (n >= 8) {
    std::uint64_t u, v;
    std::memcpy(&u, x, 8);
    std::memcpy(&v, y, 8);
    if (u != v) return false;
    x += 8;
    y += 8;
    n -= 8;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

template <typename T>
Span<T> copy_span(Arena& arena, const T* items, std::size_t n) {
  Span<T> s;
  if (n == 0) return s;
  s.data = static_cast<T*>(arena.allocate(sizeof(T) * n, alignof(T)));
  std::memcpy(static_cast<void*>(s.data), items, sizeof(T) * n);
  s.count = static_cast<std::uint32_t>(n);
  return s;
}

using Pos = std::uint32_t;  // byte offset into the source

struct ValueNode;
struct ObjectField {
  std::string_view name;
  Pos pos;
  ValueNode* value;
};

struct ValueNode {
  enum class Kind : std::uint8_t { Variable, Int, Float, String, Boolean, Null, Enum, List, Object };
  Kind kind;
  Pos pos;
  std::string_view text;  // name of a variable/enum, raw number, decoded string, "true"/"false"
  Span<ValueNode*> list;
  Span<ObjectField> fields;
};

struct TypeRef {
  enum class Kind : std::uint8_t { Named, List, NonNull };
  Kind kind;
  Pos pos;
  std::string_view name;  // Named
  TypeRef* of;            // List, NonNull
};

struct Argument {
  std::string_view name;
  Pos pos;
  ValueNode* value;
};

struct Directive {
  std::string_view name;
  Pos pos;
  Span<Argument> arguments;
};

struct Selection;
struct FragmentDefinition;
using SelectionSet = Span<Selection*>;

struct Selection {
  enum class Kind : std::uint8_t { Field, FragmentSpread, InlineFragment };
  Kind kind;
  Pos pos;
  std::string_view alias;  // Field; empty when none
  std::string_view name;   // Field name or spread fragment name
  std::string_view type_condition;  // InlineFragment; empty when none
  Span<Argument> arguments;
  Span<Directive> directives;
  SelectionSet selections;
  bool has_selection_set;  // Field: `{ }` was written (it may not be empty when written)
  // Filled by validation. Field: its definition and parent type (null when
  // unknown). InlineFragment: parent_type is the condition's type (or the
  // enclosing type without a condition). Opaque schema pointers.
  const void* field_def;
  const void* parent_type;
  // FragmentSpread: the document's first fragment definition of that name,
  // null when there is none. Set by parse(), so nothing looks names up again.
  const FragmentDefinition* fragment;

  std::string_view response_key() const { return alias.empty() ? name : alias; }
};

struct VariableDefinition {
  std::string_view name;
  Pos pos;
  TypeRef* type;
  ValueNode* default_value;  // may be null
  Span<Directive> directives;
};

enum class OperationKind : std::uint8_t { Query, Mutation, Subscription };

struct OperationDefinition {
  OperationKind kind;
  Pos pos;
  std::string_view name;  // empty when anonymous
  Span<VariableDefinition> variables;
  Span<Directive> directives;
  SelectionSet selections;
};

struct FragmentDefinition {
  std::string_view name;
  Pos pos;
  std::string_view type_condition;
  Pos type_pos;
  Span<VariableDefinition> variables;  // experimental; always empty here
  Span<Directive> directives;
  SelectionSet selections;
  const void* type;  // filled by validation: the condition's TypeDef (or null)
  std::uint32_t index;  // position among the document's fragment definitions (set by parse())
};

// ---- type system

struct InputValueDefinition {
  std::string_view description;
  std::string_view name;
  Pos pos;
  TypeRef* type;
  ValueNode* default_value;
  Span<Directive> directives;
};

struct FieldDefinition {
  std::string_view description;
  std::string_view name;
  Pos pos;
  Span<InputValueDefinition> arguments;
  TypeRef* type;
  Span<Directive> directives;
};

struct EnumValueDefinition {
  std::string_view description;
  std::string_view name;
  Pos pos;
  Span<Directive> directives;
};

struct NamedRef {
  std::string_view name;
  Pos pos;
};

enum class TypeKind : std::uint8_t { Scalar, Object, Interface, Union, Enum, InputObject };

struct TypeDefinition {
  TypeKind kind;
  bool is_extension;
  Pos pos;
  std::string_view description;
  std::string_view name;
  Span<NamedRef> interfaces;  // Object, Interface
  Span<Directive> directives;
  Span<FieldDefinition> fields;             // Object, Interface
  Span<NamedRef> members;                   // Union
  Span<EnumValueDefinition> values;         // Enum
  Span<InputValueDefinition> input_fields;  // InputObject
};

struct RootOperationType {
  OperationKind kind;
  NamedRef type;
};

struct SchemaDefinition {
  bool is_extension;
  Pos pos;
  std::string_view description;
  Span<Directive> directives;
  Span<RootOperationType> operations;
};

struct DirectiveDefinition {
  std::string_view description;
  std::string_view name;
  Pos pos;
  Span<InputValueDefinition> arguments;
  bool repeatable;
  Span<NamedRef> locations;
};

struct Definition {
  enum class Kind : std::uint8_t { Operation, Fragment, Type, Schema, Directive };
  Kind kind;
  union {
    OperationDefinition* operation;
    FragmentDefinition* fragment;
    TypeDefinition* type;
    SchemaDefinition* schema;
    DirectiveDefinition* directive;
  };
  Pos pos() const {
    switch (kind) {
      case Kind::Operation: return operation->pos;
      case Kind::Fragment: return fragment->pos;
      case Kind::Type: return type->pos;
      case Kind::Schema: return schema->pos;
      case Kind::Directive: return directive->pos;
    }
    return 0;
  }
};

struct Document {
  Span<Definition> definitions;
  std::uint32_t token_count;
};

// 1-based line and column (in Unicode code points) of byte offset `pos`.
struct LineColumn {
  int line;
  int column;
};
LineColumn line_column(std::string_view source, Pos pos);

// GraphQL source text of a literal (for introspection's defaultValue).
std::string print_value(const ValueNode& v);
std::string print_type(const TypeRef& t);

}  // namespace parley::graphql::ast
