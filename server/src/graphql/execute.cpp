// Execution (spec 6): prepare(), execute(), subscribe(), execute_event().
//
// Design: a field with a synchronous resolver (or the default resolver, which
// reads parent[field]) is resolved and completed inline, without a coroutine
// frame. A field with an asynchronous resolver becomes a Job; all Jobs found
// while completing one selection set start together (base::when_all), and
// each Job completes its own subtree as soon as its value arrives, spawning
// further Jobs. Results go into a tree of RNodes; a null in a non-null
// position marks the nearest nullable ancestor null (spec 6.4.4), and the
// tree becomes a Value at the end.
#include <algorithm>
#include <deque>
#include <mutex>

#include "graphql/graphql.hpp"
#include "graphql/parser.hpp"

namespace parley::graphql {

namespace {

using Sel = ast::Selection;

struct PathSeg {
  const PathSeg* parent;
  std::string_view key;  // empty for list indices
  int index;
};

struct RNode {
  enum class K : std::uint8_t { Pending, Leaf, Object, List, Null };
  K k = K::Pending;
  bool nullable = true;
  RNode* parent = nullptr;
  Value leaf;
  std::vector<std::pair<std::string_view, RNode*>> fields;
  std::vector<RNode*> items;
};

using FieldNodes = std::vector<const Sel*>;
using Grouped = std::vector<std::pair<std::string_view, FieldNodes>>;

struct Job {
  const FieldDef* def;
  const TypeDef* parent_type;
  Value parent;
  Value args;
  FieldNodes fields;
  RNode* node;
  const PathSeg* path;
};

const Value& empty_args() {
  static const Value kEmpty = Value::object();
  return kEmpty;
}

struct ExecState {
  const Schema& schema;
  const PreparedOperation& op;
  Value variables;  // coerced
  std::any context;
  std::mutex mu;  // guards everything below while a Job completes
  std::deque<RNode> nodes;
  std::deque<PathSeg> paths;
  std::vector<Error> errors;
  bool root_nulled = false;

  ExecState(const Schema& s, const PreparedOperation& o, std::any ctx) : schema(s), op(o), context(std::move(ctx)) {}

  RNode* node(RNode* parent, bool nullable) {
    RNode& n = nodes.emplace_back();
    n.parent = parent;
    n.nullable = nullable;
    return &n;
  }
  const PathSeg* path(const PathSeg* parent, std::string_view key, int index) {
    return &paths.emplace_back(PathSeg{parent, key, index});
  }

  std::vector<Value> path_values(const PathSeg* p) {
    std::vector<Value> out;
    for (; p; p = p->parent) out.push_back(p->key.empty() ? Value(p->index) : Value(p->key));
    std::reverse(out.begin(), out.end());
    return out;
  }

  void null_out(RNode* n) {
    n->k = RNode::K::Null;
    while (!n->nullable) {
      n = n->parent;
      if (!n) {
        root_nulled = true;
        return;
      }
      n->k = RNode::K::Null;
    }
  }

  void field_error(Error e, RNode* n, const PathSeg* path, const Sel* field) {
    auto lc = ast::line_column(op.source(), field->pos);
    e.locations.push_back({lc.line, lc.column});
    e.path = path_values(path);
    errors.push_back(std::move(e));
    null_out(n);
  }
  void field_error(std::string message, RNode* n, const PathSeg* path, const Sel* field) {
    Error e;
    e.message = std::move(message);
    e.code = "INTERNAL";
    field_error(std::move(e), n, path, field);
  }

  // ---- directives and collection
  bool directive_if(const ast::Directive& d, bool fallback) {
    for (const auto& a : d.arguments) {
      if (a.name != "if") continue;
      if (a.value->kind == ast::ValueNode::Kind::Boolean) return a.value->text == "true";
      if (a.value->kind == ast::ValueNode::Kind::Variable) {
        const Value* v = variables.find(a.value->text);
        return v ? v->as_bool() : fallback;
      }
    }
    return fallback;
  }
  bool included(const ast::Span<ast::Directive>& dirs) {
    for (const auto& d : dirs) {
      if (d.name == "skip" && directive_if(d, false)) return false;
      if (d.name == "include" && !directive_if(d, true)) return false;
    }
    return true;
  }
  bool applies(const TypeDef* object, std::string_view condition) {
    if (condition.empty() || condition == object->name) return true;
    const TypeDef* t = schema.type(condition);
    return t && t->is_abstract() && t->is_possible_type(object);
  }
  void collect(const TypeDef* object, const ast::SelectionSet& set, Grouped& out,
               std::vector<std::string_view>& visited) {
    for (const Sel* s : set) {
      if (!s->directives.empty() && !included(s->directives)) continue;
      switch (s->kind) {
        case Sel::Kind::Field: {
          std::string_view key = s->response_key();
          bool found = false;
          for (auto& g : out) {
            if (g.first == key) {
              g.second.push_back(s);
              found = true;
              break;
            }
          }
          if (!found) out.push_back({key, FieldNodes{s}});
          break;
        }
        case Sel::Kind::InlineFragment:
          if (applies(object, s->type_condition)) collect(object, s->selections, out, visited);
          break;
        case Sel::Kind::FragmentSpread: {
          if (std::find(visited.begin(), visited.end(), s->name) != visited.end()) break;
          visited.push_back(s->name);
          const ast::FragmentDefinition* f = s->fragment ? s->fragment : op.fragment(s->name);
          if (f && applies(object, f->type_condition)) collect(object, f->selections, out, visited);
          break;
        }
      }
    }
  }

  // ---- arguments (6.4.1 CoerceArgumentValues)
  bool coerce_args(const FieldDef& def, const Sel& field, Value& out, std::string& error) {
    if (def.args.empty()) {
      out = empty_args();
      return true;
    }
    out = Value::object();
    for (const auto& ad : def.args) {
      const ast::Argument* given = nullptr;
      for (const auto& a : field.arguments) {
        if (a.name == ad.name) given = &a;
      }
      bool absent = !given || (given->value->kind == ast::ValueNode::Kind::Variable &&
                               !variables.find(given->value->text));
      if (absent) {
        if (ad.default_value) {
          out.set(ad.name, *ad.default_value);
        } else if (ad.type->non_null()) {
          error = "Argument \"" + ad.name + "\" of required type \"" + ad.type->to_string() + "\" was not provided.";
          return false;
        }
        continue;
      }
      Value v;
      if (!coerce_literal(*given->value, *ad.type, &variables, v, error)) {
        error = "Argument \"" + ad.name + "\" has invalid value: " + error;
        return false;
      }
      out.set(ad.name, std::move(v));
    }
    return true;
  }

  const FieldDef* lookup(const TypeDef* object, std::string_view name) {
    if (object == schema.query_type() && name.size() > 2 && name[0] == '_' && name[1] == '_') {
      if (name == "__schema") return schema.schema_field();
      if (name == "__type") return schema.type_field();
    }
    return object->find_field(name);
  }

  // ---- execution
  void execute_fields(const TypeDef* object, const Value& value, const Grouped& grouped, RNode* node,
                      const PathSeg* path, std::vector<Job>& jobs) {
    node->k = RNode::K::Object;
    node->fields.reserve(grouped.size());
    for (const auto& [key, fields] : grouped) execute_field(object, value, key, fields, node, path, jobs, nullptr);
  }

  void execute_field(const TypeDef* object, const Value& value, std::string_view key, const FieldNodes& fields,
                     RNode* node, const PathSeg* path, std::vector<Job>& jobs, const Value* forced) {
    const Sel* first = fields.front();
    if (first->name == "__typename") {
      RNode* child = this->node(node, false);
      child->k = RNode::K::Leaf;
      child->leaf = Value(object->name);
      node->fields.emplace_back(key, child);
      return;
    }
    const FieldDef* def = lookup(object, first->name);
    if (!def) return;  // not on this runtime type (validated against the abstract type)
    RNode* child = this->node(node, !def->type->non_null());
    node->fields.emplace_back(key, child);
    const PathSeg* fpath = this->path(path, key, 0);
    if (forced) {
      complete(def->type, fields, *forced, child, fpath, jobs, def, object);
      return;
    }
    Value args;
    std::string err;
    if (!coerce_args(*def, *first, args, err)) {
      Error e;
      e.message = std::move(err);
      e.code = "BAD_REQUEST";
      field_error(std::move(e), child, fpath, first);
      return;
    }
    if (def->resolver) {
      jobs.push_back(Job{def, object, value, std::move(args), fields, child, fpath});
      return;
    }
    if (def->sync_resolver) {
      FieldContext ctx{value, args, context, def->name, object->name, first};
      base::Result<Value> r = call_sync(*def, ctx);
      if (!r.ok()) {
        field_error(error_from_status(r.error()), child, fpath, first);
        return;
      }
      complete(def->type, fields, *r, child, fpath, jobs, def, object);
      return;
    }
    const Value* v = value.find(def->name);
    static const Value kNull;
    complete(def->type, fields, v ? *v : kNull, child, fpath, jobs, def, object);
  }

  static base::Result<Value> call_sync(const FieldDef& def, const FieldContext& ctx) {
    try {
      return def.sync_resolver(ctx);
    } catch (...) {
      return base::Status::internal("resolver threw");
    }
  }

  void complete(const TypeExpr* type, const FieldNodes& fields, const Value& result, RNode* node,
                const PathSeg* path, std::vector<Job>& jobs, const FieldDef* def, const TypeDef* parent_type) {
    if (type->non_null()) type = type->of;
    if (result.is_null()) {
      if (!node->nullable) {
        field_error("Cannot return null for non-nullable field " + parent_type->name + "." + def->name + ".", node,
                    path, fields.front());
      } else {
        node->k = RNode::K::Null;
      }
      return;
    }
    if (type->kind == TypeExpr::Kind::List) {
      if (result.kind() != Value::Kind::List) {
        field_error("Expected Iterable, but did not find one for field \"" + parent_type->name + "." + def->name +
                        "\".",
                    node, path, fields.front());
        return;
      }
      node->k = RNode::K::List;
      const auto& items = result.items();
      node->items.reserve(items.size());
      bool item_nullable = !type->of->non_null();
      for (std::size_t i = 0; i < items.size(); ++i) {
        RNode* child = this->node(node, item_nullable);
        node->items.push_back(child);
        complete(type->of, fields, items[i], child, this->path(path, {}, static_cast<int>(i)), jobs, def,
                 parent_type);
        if (node->k == RNode::K::Null) return;  // an item nulled the list
      }
      return;
    }
    const TypeDef* t = type->named;
    if (t->is_leaf()) {
      std::string err;
      if (!serialize_leaf(*t, result, node->leaf, err)) {
        field_error(err, node, path, fields.front());
        return;
      }
      node->k = RNode::K::Leaf;
      return;
    }
    const TypeDef* object = t;
    if (t->is_abstract()) {
      std::string name;
      if (t->type_resolver) {
        name = t->type_resolver(result);
      } else if (const Value* tn = result.find("__typename")) {
        name = tn->as_string();
      }
      object = schema.type(name);
      if (!object || object->kind != TypeKind::Object || !t->is_possible_type(object)) {
        field_error("Abstract type \"" + t->name + "\" must resolve to an Object type at runtime for field \"" +
                        parent_type->name + "." + def->name + "\". Got: \"" + name + "\".",
                    node, path, fields.front());
        return;
      }
    }
    Grouped grouped;
    std::vector<std::string_view> visited;
    for (const Sel* f : fields) collect(object, f->selections, grouped, visited);
    execute_fields(object, result, grouped, node, path, jobs);
  }

  Value to_value(const RNode* n) {
    switch (n->k) {
      case RNode::K::Leaf: return n->leaf;
      case RNode::K::Object: {
        Value::Members m;
        m.reserve(n->fields.size());
        for (const auto& [k, c] : n->fields) m.emplace_back(std::string(k), to_value(c));
        return Value::object(std::move(m));
      }
      case RNode::K::List: {
        std::vector<Value> items;
        items.reserve(n->items.size());
        for (const RNode* c : n->items) items.push_back(to_value(c));
        return Value::list(std::move(items));
      }
      default: return Value();
    }
  }
};

base::Task<int> run_jobs(ExecState& st, std::vector<Job> jobs);

base::Task<int> run_job(ExecState& st, Job job) {
  const Sel* first = job.fields.front();
  FieldContext ctx{job.parent, job.args, st.context, job.def->name, job.parent_type->name, first};
  std::optional<base::Result<Value>> r;
  try {
    r.emplace(co_await job.def->resolver(ctx));
  } catch (...) {
    r.emplace(base::Status::internal("resolver threw"));
  }
  std::vector<Job> more;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    if (!r->ok()) {
      st.field_error(error_from_status(r->error()), job.node, job.path, first);
    } else {
      st.complete(job.def->type, job.fields, **r, job.node, job.path, more, job.def, job.parent_type);
    }
  }
  if (!more.empty()) co_await run_jobs(st, std::move(more));
  co_return 0;
}

base::Task<int> run_jobs(ExecState& st, std::vector<Job> jobs) {
  if (jobs.size() == 1) {
    co_await run_job(st, std::move(jobs.front()));
    co_return 0;
  }
  std::vector<base::Task<int>> tasks;
  tasks.reserve(jobs.size());
  for (auto& j : jobs) tasks.push_back(run_job(st, std::move(j)));
  co_await base::when_all(std::move(tasks));
  co_return 0;
}

// 6.1.2 CoerceVariableValues. Returns false (errors filled) on failure.
bool coerce_variables(const Schema& schema, const PreparedOperation& op, const Value& given, Value& out,
                      std::vector<Error>& errors) {
  out = Value::object();
  std::deque<TypeExpr> exprs;
  std::function<const TypeExpr*(const ast::TypeRef&)> type_of = [&](const ast::TypeRef& r) -> const TypeExpr* {
    if (r.kind == ast::TypeRef::Kind::Named) {
      const TypeDef* t = schema.type(r.name);
      return t ? &exprs.emplace_back(TypeExpr{TypeExpr::Kind::Named, t, nullptr}) : nullptr;
    }
    const TypeExpr* of = type_of(*r.of);
    if (!of) return nullptr;
    return &exprs.emplace_back(TypeExpr{r.kind == ast::TypeRef::Kind::List ? TypeExpr::Kind::List
                                                                            : TypeExpr::Kind::NonNull,
                                        nullptr, of});
  };
  auto fail = [&](const ast::VariableDefinition& v, std::string m) {
    Error e;
    e.message = std::move(m);
    auto lc = ast::line_column(op.source(), v.pos);
    e.locations.push_back({lc.line, lc.column});
    e.code = "BAD_REQUEST";
    errors.push_back(std::move(e));
  };
  if (!given.is_null() && !given.is_object()) {
    Error e;
    e.message = "Variables must be provided as an object.";
    e.code = "BAD_REQUEST";
    errors.push_back(std::move(e));
    return false;
  }
  for (const auto& v : op.operation().variables) {
    const TypeExpr* type = type_of(*v.type);
    if (!type) continue;  // validated
    std::string name(v.name);
    const Value* value = given.find(v.name);
    if (!value) {
      if (v.default_value) {
        Value d;
        std::string err;
        if (coerce_literal(*v.default_value, *type, nullptr, d, err)) out.set(name, std::move(d));
      } else if (type->non_null()) {
        fail(v, "Variable \"$" + name + "\" of required type \"" + type->to_string() + "\" was not provided.");
      }
      continue;
    }
    if (value->is_null() && type->non_null()) {
      fail(v, "Variable \"$" + name + "\" of non-null type \"" + type->to_string() + "\" must not be null.");
      continue;
    }
    Value c;
    std::string err;
    if (!coerce_input_value(*value, *type, c, err, "")) {
      fail(v, "Variable \"$" + name + "\" got invalid value " + value->to_json() + "; " + err);
      continue;
    }
    out.set(name, std::move(c));
  }
  return errors.empty();
}

const TypeDef* root_type(const Schema& schema, const PreparedOperation& op) {
  switch (op.kind()) {
    case PreparedOperation::Kind::Query: return schema.query_type();
    case PreparedOperation::Kind::Mutation: return schema.mutation_type();
    case PreparedOperation::Kind::Subscription: return schema.subscription_type();
  }
  return nullptr;
}

Response finish(ExecState& st, RNode* root) {
  Response r;
  r.data = st.root_nulled ? Value() : st.to_value(root);
  r.errors = std::move(st.errors);
  return r;
}

void write_error_list(std::string& out, const std::vector<Error>& errors) {
  out += "\"errors\":[";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i) out.push_back(',');
    errors[i].write_json(out);
  }
  out.push_back(']');
}

}  // namespace

// ---------------------------------------------------------------- errors / responses

Error error_from_status(const base::Status& status) {
  Error e;
  e.code = std::string(base::code_name(status.code()));
  e.message = status.code() == base::Code::Internal ? "Internal error" : status.message();
  if (status.retry_after_s()) e.extensions_extra.set("retryAfter", Value(*status.retry_after_s()));
  if (!status.field().empty()) e.extensions_extra.set("field", Value(status.field()));
  return e;
}

void Error::write_json(std::string& out) const {
  out += "{\"message\":";
  write_json_string(out, message);
  if (!locations.empty()) {
    out += ",\"locations\":[";
    for (std::size_t i = 0; i < locations.size(); ++i) {
      if (i) out.push_back(',');
      out += "{\"line\":" + std::to_string(locations[i].line) + ",\"column\":" + std::to_string(locations[i].column) + "}";
    }
    out.push_back(']');
  }
  if (!path.empty()) {
    out += ",\"path\":";
    Value::list(path).write_json(out);
  }
  out += ",\"extensions\":{\"code\":";
  write_json_string(out, code.empty() ? "INTERNAL" : code);
  for (const auto& [k, v] : extensions_extra.members()) {
    if (k == "code") continue;
    out.push_back(',');
    write_json_string(out, k);
    out.push_back(':');
    v.write_json(out);
  }
  out += "}}";
}

void Response::write_json(std::string& out) const {
  out.push_back('{');
  bool comma = false;
  if (!errors.empty()) {
    write_error_list(out, errors);
    comma = true;
  }
  if (data) {
    if (comma) out.push_back(',');
    out += "\"data\":";
    data->write_json(out);
  }
  out.push_back('}');
}

std::string Response::to_json() const {
  std::string out;
  write_json(out);
  return out;
}

// ---------------------------------------------------------------- prepare

const ast::FragmentDefinition* PreparedOperation::fragment(std::string_view name) const {
  auto it = std::lower_bound(fragments_.begin(), fragments_.end(), name,
                             [](const auto& item, std::string_view n) { return item.first < n; });
  return it != fragments_.end() && it->first == name ? it->second : nullptr;
}

std::variant<std::shared_ptr<const PreparedOperation>, std::vector<Error>> prepare(
    const Schema& schema, std::string_view query, std::string_view operation_name, const Limits& limits) {
  std::vector<Error> errors;
  auto simple = [&](std::string message, std::string code) {
    Error e;
    e.message = std::move(message);
    e.code = std::move(code);
    errors.push_back(std::move(e));
    return errors;
  };
  if (query.size() > limits.max_query_bytes) {
    return simple("Query is " + std::to_string(query.size()) + " bytes, more than the maximum of " +
                      std::to_string(limits.max_query_bytes) + ".",
                  "LIMIT_EXCEEDED");
  }
  auto op = std::make_shared<PreparedOperation>();
  // One block for the source copy and the AST (parse() reserves 16 bytes
  // of nodes per byte of query).
  op->arena_.reserve(query.size() * 17 + 1024);
  op->source_ = op->arena_.copy(query);
  ParseOptions po;
  po.max_tokens = limits.max_tokens;
  ParseResult parsed = parse(op->source_, op->arena_, po);
  if (!parsed.ok()) {
    Error e;
    e.message = parsed.error.message;
    auto lc = ast::line_column(op->source_, parsed.error.pos);
    e.locations.push_back({lc.line, lc.column});
    e.code = parsed.error.limit_exceeded ? "LIMIT_EXCEEDED" : "GRAPHQL_PARSE_FAILED";
    errors.push_back(std::move(e));
    return errors;
  }
  op->document_ = parsed.document;
  std::size_t operations = 0, fragments = 0;
  for (const auto& d : parsed.document->definitions) fragments += d.kind == ast::Definition::Kind::Fragment;
  op->fragments_.reserve(fragments);
  for (const auto& d : parsed.document->definitions) {
    if (d.kind == ast::Definition::Kind::Fragment) op->fragments_.emplace_back(d.fragment->name, d.fragment);
    if (d.kind != ast::Definition::Kind::Operation) continue;
    ++operations;
    if (operation_name.empty() || d.operation->name == operation_name) {
      if (!op->operation_ || !operation_name.empty()) op->operation_ = d.operation;
    }
  }
  if (operation_name.empty() && operations > 1) op->operation_ = nullptr;
  // Sorted for lookups; among duplicates (a validation error) the first stays first.
  std::sort(op->fragments_.begin(), op->fragments_.end(), [](const auto& a, const auto& b) {
    return a.first < b.first || (a.first == b.first && a.second->pos < b.second->pos);
  });
  // Depth and aliases first (they need no schema), then validation (linear
  // in the token-limited document; it annotates the AST), then the cost,
  // which needs the field definitions validation found.
  if (op->operation_) {
    check_limits(schema, *op->operation_, *op, op->source_, limits, errors, nullptr, /*shape_only=*/true);
    if (!errors.empty()) return errors;
  }
  validate_document(schema, *parsed.document, op->source_, errors);
  if (!errors.empty()) return errors;
  if (op->operation_) {
    check_limits(schema, *op->operation_, *op, op->source_, limits, errors, &op->cost_);
    if (!errors.empty()) return errors;
  }
  if (!op->operation_) {
    if (operations == 0) return simple("Document contains no operation.", "BAD_REQUEST");
    if (operation_name.empty()) {
      return simple("Must provide operation name if query contains multiple operations.", "BAD_REQUEST");
    }
    return simple("Unknown operation named \"" + std::string(operation_name) + "\".", "BAD_REQUEST");
  }
  const auto& o = *op->operation_;
  op->kind_ = o.kind == ast::OperationKind::Query      ? PreparedOperation::Kind::Query
              : o.kind == ast::OperationKind::Mutation ? PreparedOperation::Kind::Mutation
                                                       : PreparedOperation::Kind::Subscription;
  op->name_ = std::string(o.name);
  return std::shared_ptr<const PreparedOperation>(std::move(op));
}

// ---------------------------------------------------------------- execute

base::Task<Response> execute(const Schema& schema, const PreparedOperation& op, const Value& variables,
                             std::any context, Value root_value) {
  ExecState st(schema, op, std::move(context));
  Response failed;
  if (!coerce_variables(schema, op, variables, st.variables, failed.errors)) co_return failed;
  const TypeDef* root = root_type(schema, op);
  if (!root) {
    failed.errors.push_back(Error{"Schema has no root type for this operation.", {}, {}, "BAD_REQUEST", {}});
    co_return failed;
  }
  RNode* root_node = st.node(nullptr, false);
  root_node->k = RNode::K::Object;
  Grouped grouped;
  std::vector<std::string_view> visited;
  st.collect(root, op.operation().selections, grouped, visited);
  if (op.kind() == PreparedOperation::Kind::Mutation) {
    for (const auto& [key, fields] : grouped) {  // serially (6.2.2)
      std::vector<Job> jobs;
      {
        std::lock_guard<std::mutex> lock(st.mu);
        st.execute_field(root, root_value, key, fields, root_node, nullptr, jobs, nullptr);
      }
      if (!jobs.empty()) co_await run_jobs(st, std::move(jobs));
    }
  } else {
    std::vector<Job> jobs;
    {
      std::lock_guard<std::mutex> lock(st.mu);
      st.execute_fields(root, root_value, grouped, root_node, nullptr, jobs);
    }
    if (!jobs.empty()) co_await run_jobs(st, std::move(jobs));
  }
  std::lock_guard<std::mutex> lock(st.mu);
  co_return finish(st, root_node);
}

base::Task<base::Result<std::shared_ptr<EventStream>>> subscribe(const Schema& schema, const PreparedOperation& op,
                                                                 const Value& variables, std::any context) {
  ExecState st(schema, op, std::move(context));
  std::vector<Error> errors;
  if (!coerce_variables(schema, op, variables, st.variables, errors)) {
    co_return base::Status::bad_request(errors.front().message);
  }
  const TypeDef* root = schema.subscription_type();
  if (op.kind() != PreparedOperation::Kind::Subscription || !root) {
    co_return base::Status::bad_request("Not a subscription operation.");
  }
  Grouped grouped;
  std::vector<std::string_view> visited;
  st.collect(root, op.operation().selections, grouped, visited);
  if (grouped.empty()) co_return base::Status::bad_request("Subscription selects no field.");
  const Sel* first = grouped.front().second.front();
  const FieldDef* def = root->find_field(first->name);
  if (!def || !def->subscriber) {
    co_return base::Status::internal("No subscriber for Subscription." + std::string(first->name));
  }
  Value args;
  std::string err;
  if (!st.coerce_args(*def, *first, args, err)) co_return base::Status::bad_request(err);
  Value parent = Value::object();
  FieldContext ctx{parent, args, st.context, def->name, root->name, first};
  co_return co_await def->subscriber(ctx);
}

base::Task<Response> execute_event(const Schema& schema, const PreparedOperation& op, const Value& variables,
                                   std::any context, const Value& event) {
  ExecState st(schema, op, std::move(context));
  Response failed;
  if (!coerce_variables(schema, op, variables, st.variables, failed.errors)) co_return failed;
  const TypeDef* root = schema.subscription_type();
  if (!root) co_return failed;
  RNode* root_node = st.node(nullptr, false);
  root_node->k = RNode::K::Object;
  Grouped grouped;
  std::vector<std::string_view> visited;
  st.collect(root, op.operation().selections, grouped, visited);
  std::vector<Job> jobs;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    Value parent = Value::object();
    for (const auto& [key, fields] : grouped) {
      st.execute_field(root, parent, key, fields, root_node, nullptr, jobs, &event);
    }
  }
  if (!jobs.empty()) co_await run_jobs(st, std::move(jobs));
  std::lock_guard<std::mutex> lock(st.mu);
  co_return finish(st, root_node);
}

}  // namespace parley::graphql
