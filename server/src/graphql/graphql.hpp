// Parley's GraphQL engine: the public API.
//
//   auto schema = Schema::from_sdl(sdl);               // start-up
//   schema->resolve("Query", "me", ...);               // start-up
//   auto prepared = prepare(*schema, query, op_name, limits);   // cacheable by query text
//   Response r = co_await execute(*schema, *op, variables, ctx);
//
// Lifetime: the Schema and the PreparedOperation must outlive the Task
// returned by execute()/subscribe()/execute_event() (the caller guarantees it,
// typically by holding their shared_ptrs in the coroutine that awaits).
// Threading: a Schema (after start-up) and a PreparedOperation are immutable
// and may be shared across threads. One execution may resume on several
// threads (resolvers completing elsewhere); the engine serialises its own
// bookkeeping for one execution with a mutex.
#pragma once

#include <any>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/task.hpp"
#include "graphql/ast.hpp"
#include "graphql/schema.hpp"
#include "graphql/value.hpp"

namespace parley::graphql {

struct Location {
  int line;
  int column;
};

struct Error {
  std::string message;
  std::vector<Location> locations;
  std::vector<Value> path;  // strings and ints
  std::string code;         // extensions.code, e.g. "NOT_FOUND"
  Value extensions_extra;   // other extension members (object) or null
  void write_json(std::string& out) const;
};

struct Response {
  std::optional<Value> data;  // absent when the request failed before execution
  std::vector<Error> errors;
  // {"errors":[...],"data":...}; "errors" omitted when empty, "data" when absent.
  void write_json(std::string& out) const;
  std::string to_json() const;
};

struct Limits {
  int max_depth = 15;     // nested fields, fragments expanded
  int max_aliases = 30;   // aliased fields in the operation, fragments expanded
  int max_tokens = 5000;  // enforced while lexing
  // Estimated cost: each field costs 1; the selections below a field whose
  // type is a list count `first` (or `limit`) times when that argument is a
  // literal, else 10 times. Fragments expand. The subtrees of __schema and
  // __type are free (bounded by the schema, not by data) but count for depth.
  int max_cost = 10000;
  std::size_t max_query_bytes = 100000;
};

// A parsed and validated operation. Immutable and shareable across threads;
// cache it by (query text, operation name). It owns its source text and AST.
class PreparedOperation {
 public:
  enum class Kind { Query, Mutation, Subscription };
  Kind kind() const { return kind_; }
  const std::string& name() const { return name_; }  // may be empty
  std::string_view source() const { return source_; }
  const ast::OperationDefinition& operation() const { return *operation_; }
  const ast::FragmentDefinition* fragment(std::string_view name) const;
  int estimated_cost() const { return cost_; }

 private:
  friend std::variant<std::shared_ptr<const PreparedOperation>, std::vector<Error>> prepare(
      const Schema&, std::string_view, std::string_view, const Limits&);
  Kind kind_ = Kind::Query;
  std::string name_;
  ast::Arena arena_;         // owns the AST and the copy of the source text
  std::string_view source_;  // in arena_
  const ast::Document* document_ = nullptr;
  const ast::OperationDefinition* operation_ = nullptr;
  std::vector<std::pair<std::string_view, const ast::FragmentDefinition*>> fragments_;  // sorted by name
  int cost_ = 0;
};

// Parse + validate. On failure, the errors (GRAPHQL_PARSE_FAILED /
// GRAPHQL_VALIDATION_FAILED / LIMIT_EXCEEDED, with locations).
// `operation_name` selects among several operations (an error with code
// BAD_REQUEST when it is missing or unknown).
std::variant<std::shared_ptr<const PreparedOperation>, std::vector<Error>> prepare(
    const Schema& schema, std::string_view query, std::string_view operation_name, const Limits& limits);

// Executes a query or mutation. Variable coercion errors yield a Response
// without data and code BAD_REQUEST.
base::Task<Response> execute(const Schema& schema, const PreparedOperation& op, const Value& variables,
                             std::any context, Value root_value = Value::object());

// Subscriptions (spec 6.2.3): subscribe() coerces variables and calls the
// root field's Subscriber; execute_event() runs the operation's selection set
// for one event (the root subscription field resolves to `event` itself).
base::Task<base::Result<std::shared_ptr<EventStream>>> subscribe(const Schema& schema, const PreparedOperation& op,
                                                                 const Value& variables, std::any context);
base::Task<Response> execute_event(const Schema& schema, const PreparedOperation& op, const Value& variables,
                                   std::any context, const Value& event);

// The Error a resolver's non-ok Status becomes (message hidden for Internal).
Error error_from_status(const base::Status& status);

// Internal entry points shared by prepare() (validation.cpp).
void validate_document(const Schema& schema, const ast::Document& doc, std::string_view source,
                       std::vector<Error>& errors);
void check_limits(const Schema& schema, const ast::OperationDefinition& op, const PreparedOperation& prepared,
                  std::string_view source, const Limits& limits, std::vector<Error>& errors, int* cost,
                  bool shape_only = false);

}  // namespace parley::graphql
