// Validation of executable documents (spec section 5) and request limits.
#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <tuple>
#include <charconv>
#include <set>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <unordered_set>

#include "graphql/graphql.hpp"

namespace parley::graphql {

namespace {

using namespace ast;
using Sel = Selection;

// A vector of trivially copyable items whose first N live inline: typical
// documents validate without touching the heap. The inline storage is left
// uninitialised until used.
template <typename T, std::size_t N>
class SmallVec {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  SmallVec() noexcept {}
  SmallVec(const SmallVec& o) { append(o.begin(), o.end()); }
  SmallVec& operator=(const SmallVec& o) {
    if (this != &o) {
      clear();
      append(o.begin(), o.end());
    }
    return *this;
  }
  ~SmallVec() {
    if (data_ != inline_data()) std::free(data_);
  }
  void push_back(const T& v) {
    if (size_ == cap_) grow(size_ + 1);
    data_[size_++] = v;
  }
  void append(const T* b, const T* e) {
    std::size_t n = static_cast<std::size_t>(e - b);
    if (size_ + n > cap_) grow(size_ + n);
    if (n) std::memcpy(static_cast<void*>(data_ + size_), b, n * sizeof(T));
    size_ += n;
  }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }
  T& back() { return data_[size_ - 1]; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  T* inline_data() { return reinterpret_cast<T*>(inline_); }
  void grow(std::size_t at_least) {
    std::size_t cap = cap_ * 2 > at_least ? cap_ * 2 : at_least;
    T* p = static_cast<T*>(std::malloc(cap * sizeof(T)));
    if (!p) throw std::bad_alloc();
    if (size_) std::memcpy(static_cast<void*>(p), data_, size_ * sizeof(T));
    if (data_ != inline_data()) std::free(data_);
    data_ = p;
    cap_ = cap;
  }
  T* data_ = inline_data();
  std::size_t size_ = 0;
  std::size_t cap_ = N;
  alignas(T) unsigned char inline_[N * sizeof(T)];
};

struct VarUsage {
  std::string_view name;
  Pos pos;
  const TypeExpr* type;  // location type
  bool has_location_default;
};

struct DefInfo {  // per operation or fragment
  SmallVec<VarUsage, 8> usages;
  SmallVec<const FragmentDefinition*, 8> spreads;  // null: unknown fragment
};

// A small map keyed by names that point into the document: a vector with
// linear search, plus a hash index once it grows (hostile documents).
// The first 8 items live inline (no allocation for typical documents).
template <typename V>
class FlatMap {
 public:
  using Item = std::pair<std::string_view, V>;
  static constexpr std::size_t kInline = 8;
  Item* find(std::string_view k) {
    if (!index_.empty()) {
      auto it = index_.find(k);
      return it == index_.end() ? end() : data() + it->second;
    }
    for (Item* i = begin(); i != end(); ++i) {
      if (name_eq(i->first, k)) return i;
    }
    return end();
  }
  std::size_t count(std::string_view k) { return find(k) == end() ? 0 : 1; }
  FlatMap() noexcept {}
  FlatMap(const FlatMap&) = delete;
  FlatMap& operator=(const FlatMap&) = delete;
  ~FlatMap() {
    if (heap_.empty()) {
      for (std::size_t n = 0; n < size_; ++n) inline_[n].~Item();
    } else {
      for (std::size_t n = 0; n < kInline; ++n) inline_[n].~Item();  // moved from, still alive
    }
  }
  V& operator[](std::string_view k) {
    Item* i = find(k);
    if (i != end()) return i->second;
    if (heap_.empty() && size_ < kInline) {
      ::new (static_cast<void*>(&inline_[size_])) Item{k, V{}};
      return inline_[size_++].second;
    }
    if (heap_.empty()) {
      heap_.reserve(4 * kInline);
      for (std::size_t n = 0; n < size_; ++n) heap_.push_back(std::move(inline_[n]));
    }
    heap_.push_back({k, V{}});
    ++size_;
    if (!index_.empty() || size_ > 32) {
      if (index_.empty()) {
        for (std::size_t n = 0; n < size_; ++n) index_.emplace(heap_[n].first, n);
      } else {
        index_.emplace(k, size_ - 1);
      }
    }
    return heap_.back().second;
  }
  bool insert(std::string_view k) {  // for sets: true when newly added
    if (find(k) != end()) return false;
    (*this)[k];
    return true;
  }
  Item* begin() { return data(); }
  Item* end() { return data() + size_; }

 private:
  Item* data() { return heap_.empty() ? inline_ : heap_.data(); }
  union {  // the first kInline items; constructed as they are added
    Item inline_[kInline];
  };
  std::size_t size_ = 0;
  std::vector<Item> heap_;
  std::unordered_map<std::string_view, std::size_t> index_;
};
using FlatSet = FlatMap<bool>;

class Validator {
 public:
  Validator(const Schema& s, const Document& d, std::string_view src, std::vector<Error>& e)
      : schema_(s), doc_(d), src_(src), errors_(e) {}

  void run() {
    // 5.1.1 executable definitions; 5.2.1.1 / 5.5.1.1 name uniqueness.
    std::size_t anonymous = 0, operations = 0;
    FlatSet op_names;
    FlatMap<std::uint32_t> first_of;  // fragment name -> index of its first definition
    std::uint32_t fragment_count = 0;
    for (const auto& d : doc_.definitions) fragment_count += d.kind == Definition::Kind::Fragment;
    frags_.resize(fragment_count);
    for (const auto& d : doc_.definitions) {
      switch (d.kind) {
        case Definition::Kind::Operation:
          ++operations;
          if (d.operation->name.empty()) {
            ++anonymous;
          } else if (!op_names.insert(d.operation->name)) {
            error(d.pos(), "There can be only one operation named \"" + std::string(d.operation->name) + "\".");
          }
          break;
        case Definition::Kind::Fragment:
          if (auto* first = first_of.find(d.fragment->name); first != first_of.end()) {
            error(d.pos(), "There can be only one fragment named \"" + std::string(d.fragment->name) + "\".");
            frags_[d.fragment->index].first = first->second;
          } else {
            first_of[d.fragment->name] = d.fragment->index;
            frags_[d.fragment->index].first = d.fragment->index;
            roots_.push_back(d.fragment);
          }
          {
            const TypeDef* ft = schema_.type(d.fragment->type_condition);
            const_cast<FragmentDefinition*>(d.fragment)->type = ft && ft->is_composite() ? ft : nullptr;
          }
          break;
        default:
          error(d.pos(), d.kind == Definition::Kind::Schema ? "The schema definition is not executable."
                         : d.kind == Definition::Kind::Directive
                             ? "The \"@" + std::string(d.directive->name) + "\" definition is not executable."
                             : "The \"" + std::string(d.type->name) + "\" definition is not executable.");
      }
    }
    if (anonymous > 0 && operations > 1) {
      for (const auto& d : doc_.definitions) {
        if (d.kind == Definition::Kind::Operation && d.operation->name.empty()) {
          error(d.pos(), "This anonymous operation must be the only defined operation.");
        }
      }
    }
    // Fragments: type conditions and bodies.
    for (const auto& d : doc_.definitions) {
      if (d.kind != Definition::Kind::Fragment) continue;
      const FragmentDefinition& f = *d.fragment;
      current_ = &frags_[frags_[f.index].first].info;  // duplicates share the first one's
      directives(f.directives, DirectiveLocation::FragmentDefinition);
      const TypeDef* t = f.type ? static_cast<const TypeDef*>(f.type) : schema_.type(f.type_condition);
      if (!t) {
        error(f.type_pos, "Unknown type \"" + std::string(f.type_condition) + "\".");
      } else if (!t->is_composite()) {
        error(f.type_pos, "Fragment \"" + std::string(f.name) + "\" cannot condition on non composite type \"" +
                              t->name + "\".");
        t = nullptr;
      }
      const_cast<FragmentDefinition&>(f).type = t;
      selection_set(f.selections, t);
    }
    // Cycles (5.5.2.2).
    detect_cycles();
    // Operations.
    for (const auto& d : doc_.definitions) {
      if (d.kind != Definition::Kind::Operation) continue;
      operation(*d.operation);
    }
    // 5.5.1.4 fragments must be used.
    for (const auto& d : doc_.definitions) {
      if (d.kind == Definition::Kind::Fragment && !frags_[frags_[d.fragment->index].first].used) {
        error(d.pos(), "Fragment \"" + std::string(d.fragment->name) + "\" is never used.");
      }
    }
  }

 private:
  void error(Pos pos, std::string message) {
    Error e;
    e.message = std::move(message);
    auto lc = line_column(src_, pos);
    e.locations.push_back({lc.line, lc.column});
    e.code = "GRAPHQL_VALIDATION_FAILED";
    errors_.push_back(std::move(e));
  }

  const TypeExpr* local(TypeExpr t) {
    if (!local_) local_ = std::make_unique<std::deque<TypeExpr>>();
    return &local_->emplace_back(t);
  }

  const TypeExpr* type_of(const TypeRef& r) {
    const TypeExpr* inner = nullptr;
    switch (r.kind) {
      case TypeRef::Kind::Named: {
        const TypeDef* t = schema_.type(r.name);
        if (!t) return nullptr;
        if (const TypeExpr* e = schema_.find_interned_named(t)) return e;
        return local(TypeExpr{TypeExpr::Kind::Named, t, nullptr});
      }
      case TypeRef::Kind::List:
      case TypeRef::Kind::NonNull: {
        inner = type_of(*r.of);
        if (!inner) return nullptr;
        auto k = r.kind == TypeRef::Kind::List ? TypeExpr::Kind::List : TypeExpr::Kind::NonNull;
        if (const TypeExpr* e = schema_.find_interned_wrap(k, inner)) return e;  // the schema's own
        return local(TypeExpr{k, nullptr, inner});
      }
    }
    return nullptr;
  }

  void operation(const OperationDefinition& op) {
    DefInfo info;
    current_ = &info;
    const TypeDef* root = op.kind == OperationKind::Query      ? schema_.query_type()
                          : op.kind == OperationKind::Mutation ? schema_.mutation_type()
                                                               : schema_.subscription_type();
    if (!root) {
      error(op.pos, std::string("Schema is not configured to execute ") +
                        (op.kind == OperationKind::Mutation ? "mutation" : "subscription") + " operation.");
    }
    directives(op.directives, op.kind == OperationKind::Query      ? DirectiveLocation::Query
                              : op.kind == OperationKind::Mutation ? DirectiveLocation::Mutation
                                                                   : DirectiveLocation::Subscription);
    // Variables: 5.8.1 uniqueness, 5.8.2 input types, default values.
    FlatMap<const VariableDefinition*> vars;
    FlatMap<const TypeExpr*> var_types;
    for (const auto& v : op.variables) {
      if (vars.count(v.name)) {
        error(v.pos, "There can be only one variable named \"$" + std::string(v.name) + "\".");
        continue;
      }
      vars[v.name] = &v;
      directives(v.directives, DirectiveLocation::VariableDefinition);
      const TypeExpr* t = type_of(*v.type);
      if (!t) {
        const TypeRef* r = v.type;
        while (r->kind != TypeRef::Kind::Named) r = r->of;
        error(r->pos, "Unknown type \"" + std::string(r->name) + "\".");
        continue;
      }
      if (!t->named_type()->is_input()) {
        error(v.pos, "Variable \"$" + std::string(v.name) + "\" cannot be non-input type \"" + t->to_string() + "\".");
        continue;
      }
      var_types[v.name] = t;
      if (v.default_value) literal(*v.default_value, *t);
    }
    if (root) selection_set(op.selections, root);
    // 5.2.3.1 subscriptions: a single root field, not an introspection field.
    if (op.kind == OperationKind::Subscription && root) {
      std::vector<const Sel*> fields;
      std::unordered_set<std::string_view> seen;
      collect_root_fields(op.selections, fields, seen, 0);
      std::set<std::string_view> keys;
      for (auto* f : fields) keys.insert(f->response_key());
      if (keys.size() > 1) {
        error(op.pos, op.name.empty() ? "Anonymous Subscription must select only one top level field."
                                      : "Subscription \"" + std::string(op.name) + "\" must select only one top level field.");
      }
      for (auto* f : fields) {
        if (f->name.substr(0, 2) == "__") {
          error(f->pos, op.name.empty() ? "Anonymous Subscription must not select an introspection top level field."
                                        : "Subscription \"" + std::string(op.name) + "\" must not select an introspection top level field.");
        }
      }
    }
    // Transitive fragments of this operation.
    SmallVec<const DefInfo*, 16> infos;
    infos.push_back(&info);
    for (auto& fs : frags_) fs.reached = false;
    SmallVec<const FragmentDefinition*, 16> stack;
    stack.append(info.spreads.begin(), info.spreads.end());
    while (!stack.empty()) {
      const FragmentDefinition* n = stack.back();
      stack.pop_back();
      FragState* fs = state(n);
      if (!fs || fs->reached) continue;
      fs->reached = true;
      fs->used = true;
      infos.push_back(&fs->info);
      for (auto s : fs->info.spreads) stack.push_back(s);
    }
    // 5.8.3 all variable uses defined; 5.8.5 usages allowed; 5.8.4 all used.
    FlatSet used_vars;
    for (const DefInfo* di : infos) {
      for (const auto& u : di->usages) {
        used_vars.insert(u.name);
        auto it = vars.find(u.name);
        if (it == vars.end()) {
          error(u.pos, op.name.empty()
                           ? "Variable \"$" + std::string(u.name) + "\" is not defined."
                           : "Variable \"$" + std::string(u.name) + "\" is not defined by operation \"" +
                                 std::string(op.name) + "\".");
          continue;
        }
        auto tt = var_types.find(u.name);
        if (tt == var_types.end() || !u.type) continue;
        const TypeExpr* var_type = tt->second;
        const TypeExpr* loc_type = u.type;
        bool ok;
        if (loc_type->non_null() && !var_type->non_null()) {
          bool has_default = it->second->default_value && it->second->default_value->kind != ValueNode::Kind::Null;
          ok = (has_default || u.has_location_default) && compatible(var_type, loc_type->of);
        } else {
          ok = compatible(var_type, loc_type);
        }
        if (!ok) {
          error(u.pos, "Variable \"$" + std::string(u.name) + "\" of type \"" + var_type->to_string() +
                           "\" used in position expecting type \"" + loc_type->to_string() + "\".");
        }
      }
    }
    for (const auto& v : op.variables) {
      if (!used_vars.count(v.name)) {
        error(v.pos, op.name.empty() ? "Variable \"$" + std::string(v.name) + "\" is never used."
                                     : "Variable \"$" + std::string(v.name) + "\" is never used in operation \"" +
                                           std::string(op.name) + "\".");
      }
    }
    current_ = nullptr;
  }

  // AreTypesCompatible (5.8.5).
  bool compatible(const TypeExpr* var, const TypeExpr* loc) {
    if (loc->non_null()) {
      if (!var->non_null()) return false;
      return compatible(var->of, loc->of);
    }
    if (var->non_null()) return compatible(var->of, loc);
    if (loc->kind == TypeExpr::Kind::List) {
      return var->kind == TypeExpr::Kind::List && compatible(var->of, loc->of);
    }
    if (var->kind == TypeExpr::Kind::List) return false;
    return var->named == loc->named;
  }

  void collect_root_fields(const SelectionSet& set, std::vector<const Sel*>& out,
                           std::unordered_set<std::string_view>& seen, int depth) {
    if (depth > 64) return;
    for (const Sel* s : set) {
      if (s->kind == Sel::Kind::Field) {
        out.push_back(s);
      } else if (s->kind == Sel::Kind::InlineFragment) {
        collect_root_fields(s->selections, out, seen, depth + 1);
      } else {
        if (state(s->fragment) && seen.insert(s->name).second) {
          collect_root_fields(s->fragment->selections, out, seen, depth + 1);
        }
      }
    }
  }

  void detect_cycles() {
    // Iterative DFS over the spread graph (colours: 0 new, 1 on stack, 2 done),
    // from each fragment name in document order.
    for (const FragmentDefinition* root : roots_) {
      if (frags_[root->index].colour != 0) continue;
      struct Frame {
        const FragmentDefinition* fragment;
        std::size_t next;
      };
      SmallVec<Frame, 16> stack;
      stack.push_back({root, 0});
      frags_[root->index].colour = 1;
      while (!stack.empty()) {
        Frame& fr = stack.back();
        FragState& from = frags_[fr.fragment->index];
        const auto& spreads = from.info.spreads;
        if (fr.next >= spreads.size()) {
          from.colour = 2;
          stack.pop_back();
          continue;
        }
        const FragmentDefinition* to = spreads[fr.next++];
        FragState* ts = state(to);
        if (!ts) continue;
        if (ts->colour == 1) {
          std::string via;
          bool on = false;
          for (auto& f : stack) {
            if (f.fragment == to) on = true;
            else if (on) via += (via.empty() ? "\"" : ", \"") + std::string(f.fragment->name) + "\"";
          }
          error(to->pos, "Cannot spread fragment \"" + std::string(to->name) + "\" within itself" +
                             (via.empty() ? "." : " via " + via + "."));
        } else if (ts->colour == 0) {
          ts->colour = 1;
          stack.push_back({to, 0});
        }
      }
    }
  }

  // The state of a spread's fragment (a first definition, as parse() resolves
  // spreads); null for an unknown fragment.
  struct FragState;
  FragState* state(const FragmentDefinition* f) {
    if (!f || f->index >= frags_.size()) return nullptr;
    return &frags_[f->index];
  }

  void directives(const Span<Directive>& dirs, DirectiveLocation loc) {
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      const Directive& d = dirs[i];
      const DirectiveDef* def = schema_.directive(d.name);
      if (!def) {
        error(d.pos, "Unknown directive \"@" + std::string(d.name) + "\".");
        continue;
      }
      if (!def->allows(loc)) {
        error(d.pos, "Directive \"@" + std::string(d.name) + "\" may not be used on " +
                         std::string(location_name(loc)) + ".");
      }
      if (!def->repeatable) {
        for (std::size_t j = 0; j < i; ++j) {
          if (dirs[j].name == d.name) {
            error(d.pos, "The directive \"@" + std::string(d.name) + "\" can only be used once at this location.");
            break;
          }
        }
      }
      arguments(d.arguments, def->args, d.pos, nullptr, nullptr, def);
    }
  }

  // Arguments of a field (parent, field) or of a directive (dir).
  void arguments(const Span<Argument>& args, const std::vector<InputValueDef>& defs, Pos pos, const TypeDef* parent,
                 const FieldDef* field, const DirectiveDef* dir) {
    if (args.empty() && defs.empty()) return;
    auto owner = [&]() -> std::string {
      return dir ? "directive \"@" + dir->name + "\"" : "field \"" + parent->name + "." + field->name + "\"";
    };
    bool is_directive = dir != nullptr;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const Argument& a = args[i];
      for (std::size_t j = 0; j < i; ++j) {
        if (name_eq(args[j].name, a.name)) {
          error(a.pos, "There can be only one argument named \"" + std::string(a.name) + "\".");
          break;
        }
      }
      const InputValueDef* def = nullptr;
      for (const auto& d : defs) {
        if (name_eq(d.name, a.name)) def = &d;
      }
      if (!def) {
        error(a.pos, "Unknown argument \"" + std::string(a.name) + "\" on " + owner() + ".");
        continue;
      }
      if (def->type) literal(*a.value, *def->type, def->default_value.has_value());
    }
    for (const auto& d : defs) {
      if (!d.type || !d.type->non_null() || d.default_value) continue;
      bool given = false;
      for (const auto& a : args) given = given || name_eq(a.name, d.name);
      if (!given) {
        error(pos, std::string(is_directive ? "Directive \"" : "Field \"") + owner_name(owner()) + "\" argument \"" +
                       d.name + "\" of type \"" + d.type->to_string() + "\" is required, but it was not provided.");
      }
    }
  }
  static std::string owner_name(const std::string& owner) {
    // "field \"T.f\"" -> T.f ; "directive \"@d\"" -> @d
    auto a = owner.find('"');
    auto b = owner.rfind('"');
    return a == std::string::npos || a == b ? owner : owner.substr(a + 1, b - a - 1);
  }

  // 5.6.1-5.6.4 and variable usage recording.
  void literal(const ValueNode& v, const TypeExpr& type, bool has_location_default = false) {
    record_variables(v, &type, has_location_default);
    if (v.kind == ValueNode::Kind::Variable) return;
    Value out;
    std::string err;
    if (!coerce_literal(v, type, nullptr, out, err)) error(v.pos, err);
    check_object_fields(v);
  }
  // Uniqueness of input object field names (5.6.3), anywhere in the literal.
  void check_object_fields(const ValueNode& v) {
    if (v.kind == ValueNode::Kind::List) {
      for (auto* i : v.list) check_object_fields(*i);
    } else if (v.kind == ValueNode::Kind::Object) {
      for (std::size_t i = 0; i < v.fields.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (v.fields[j].name == v.fields[i].name) {
            error(v.fields[i].pos, "There can be only one input field named \"" + std::string(v.fields[i].name) + "\".");
            break;
          }
        }
        check_object_fields(*v.fields[i].value);
      }
    }
  }
  void record_variables(const ValueNode& v, const TypeExpr* type, bool has_location_default) {
    if (v.kind == ValueNode::Kind::Variable) {
      if (current_) {
        current_->usages.push_back({v.text, v.pos, type, has_location_default});
      }
      return;
    }
    const TypeExpr* t = type && type->non_null() ? type->of : type;
    if (v.kind == ValueNode::Kind::List) {
      const TypeExpr* item = t && t->kind == TypeExpr::Kind::List ? t->of : nullptr;
      for (auto* i : v.list) record_variables(*i, item, false);
    } else if (v.kind == ValueNode::Kind::Object) {
      const TypeDef* obj = t && t->kind == TypeExpr::Kind::Named && t->named->kind == TypeKind::InputObject ? t->named : nullptr;
      for (const auto& f : v.fields) {
        const InputValueDef* fd = obj ? obj->find_input_field(f.name) : nullptr;
        const TypeExpr* ft = fd ? fd->type : nullptr;
        // A variable in a oneOf field must be non-null.
        if (obj && obj->one_of && fd && f.value->kind == ValueNode::Kind::Variable) {
          ft = local(TypeExpr{TypeExpr::Kind::NonNull, nullptr, fd->type});
        }
        record_variables(*f.value, ft, fd && fd->default_value.has_value());
      }
    }
  }

  void selection_set(const SelectionSet& set, const TypeDef* parent) {
    for (Sel* s : set) {
      switch (s->kind) {
        case Sel::Kind::Field: field(*s, parent); break;
        case Sel::Kind::FragmentSpread: {
          directives(s->directives, DirectiveLocation::FragmentSpread);
          if (current_) {
            current_->spreads.push_back(s->fragment);
          }
          if (!state(s->fragment)) {
            error(s->pos, "Unknown fragment \"" + std::string(s->name) + "\".");
            break;
          }
          const auto* ft = static_cast<const TypeDef*>(s->fragment->type);
          if (parent && ft && !overlap(parent, ft)) {
            error(s->pos, "Fragment \"" + std::string(s->name) + "\" cannot be spread here as objects of type \"" +
                              parent->name + "\" can never be of type \"" + ft->name + "\".");
          }
          break;
        }
        case Sel::Kind::InlineFragment: {
          directives(s->directives, DirectiveLocation::InlineFragment);
          const TypeDef* t = parent;
          s->field_def = nullptr;
          if (!s->type_condition.empty()) {
            t = schema_.type(s->type_condition);
            if (!t) {
              error(s->pos, "Unknown type \"" + std::string(s->type_condition) + "\".");
            } else if (!t->is_composite()) {
              error(s->pos, "Fragment cannot condition on non composite type \"" + t->name + "\".");
              t = nullptr;
            } else if (parent && !overlap(parent, t)) {
              error(s->pos, "Fragment cannot be spread here as objects of type \"" + parent->name +
                                "\" can never be of type \"" + t->name + "\".");
            }
          }
          s->parent_type = t;
          selection_set(s->selections, t);
          break;
        }
      }
    }
    if (parent) check_overlaps(set, parent);
  }

  // Possible types of a composite type.
  void possible(const TypeDef* t, std::vector<const TypeDef*>& out) {
    if (t->kind == TypeKind::Object) out.push_back(t);
    else out.insert(out.end(), t->possible_types.begin(), t->possible_types.end());
  }
  // Whether some object type is possible for both a and b (no allocation).
  static bool overlap(const TypeDef* a, const TypeDef* b) {
    if (a == b) return true;
    if (a->kind == TypeKind::Object) return b->is_possible_type(a);
    if (b->kind == TypeKind::Object) return a->is_possible_type(b);
    for (const TypeDef* x : a->possible_types) {
      if (b->is_possible_type(x)) return true;
    }
    return false;
  }

  const FieldDef* lookup(const TypeDef* parent, std::string_view name) {
    if (name == "__typename") return schema_.typename_field();
    if (parent == schema_.query_type()) {
      if (name == "__schema") return schema_.schema_field();
      if (name == "__type") return schema_.type_field();
    }
    if (parent->kind == TypeKind::Union) return nullptr;
    return parent->find_field(name);
  }

  void field(Sel& s, const TypeDef* parent) {
    directives(s.directives, DirectiveLocation::Field);
    const FieldDef* def = parent ? lookup(parent, s.name) : nullptr;
    s.parent_type = parent;
    s.field_def = def;
    if (!def) {
      if (parent) error(s.pos, "Cannot query field \"" + std::string(s.name) + "\" on type \"" + parent->name + "\".");
      for (const auto& a : s.arguments) record_variables(*a.value, nullptr, false);
      selection_set(s.selections, nullptr);
      return;
    }
    arguments(s.arguments, def->args, s.pos, parent, def, nullptr);
    const TypeDef* t = def->type ? def->type->named_type() : nullptr;
    if (t && t->is_leaf() && s.has_selection_set) {
      error(s.pos, "Field \"" + std::string(s.name) + "\" must not have a selection since type \"" +
                       def->type->to_string() + "\" has no subfields.");
    } else if (t && t->is_composite() && !s.has_selection_set) {
      error(s.pos, "Field \"" + std::string(s.name) + "\" of type \"" + def->type->to_string() +
                       "\" must have a selection of subfields. Did you mean \"" + std::string(s.name) + " { ... }\"?");
    }
    selection_set(s.selections, t && t->is_composite() ? t : nullptr);
  }

  // ---- 5.3.2 field selection merging
  struct FieldEntry {
    const TypeDef* parent;
    const Sel* node;
  };
  // Fields with their response keys, flat; grouped by for_each_repeated.
  struct Keyed {
    std::string_view key;
    FieldEntry entry;
  };
  using FieldList = SmallVec<Keyed, 32>;
  using Visited = SmallVec<const FragmentDefinition*, 8>;
  using Group = SmallVec<FieldEntry, 8>;

  void collect(const SelectionSet& set, const TypeDef* parent, FieldList& out, Visited& visited, int depth) {
    if (depth > 64) return;
    for (const Sel* s : set) {
      if (s->kind == Sel::Kind::Field) {
        out.push_back({s->response_key(), {parent, s}});
      } else if (s->kind == Sel::Kind::InlineFragment) {
        collect(s->selections, inline_type(*s, parent), out, visited, depth + 1);
      } else {
        const FragmentDefinition* f = s->fragment;
        if (!state(f) || std::find(visited.begin(), visited.end(), f) != visited.end()) continue;
        visited.push_back(f);
        collect(f->selections, static_cast<const TypeDef*>(f->type), out, visited, depth + 1);
      }
    }
  }

  // The type inside an inline fragment (cached by selection_set() once visited).
  const TypeDef* inline_type(const Sel& s, const TypeDef* parent) {
    if (s.type_condition.empty()) return parent;
    if (s.parent_type) return static_cast<const TypeDef*>(s.parent_type);
    return schema_.type(s.type_condition);
  }

  // Calls fn(key, entries) for each response key selected more than once, in
  // document order within a key; stops when fn returns false.
  template <typename Fn>
  static void for_each_repeated(FieldList& list, Fn&& fn) {
    if (list.size() < 2) return;
    if (list.size() <= 24) {  // common case: every key distinct, no sorting
      bool repeated = false;
      for (std::size_t i = 1; i < list.size() && !repeated; ++i) {
        const auto& k = list[i].key;
        for (std::size_t j = 0; j < i; ++j) {
          const auto& o = list[j].key;
          if (name_eq(o, k)) {
            repeated = true;
            break;
          }
        }
      }
      if (!repeated) return;
    }
    auto less = [](const Keyed& a, const Keyed& b) { return a.key < b.key; };
    if (list.size() <= 32) {  // insertion sort: stable, no temporary buffer
      for (std::size_t i = 1; i < list.size(); ++i) {
        Keyed k = list[i];
        std::size_t j = i;
        for (; j > 0 && less(k, list[j - 1]); --j) list[j] = list[j - 1];
        list[j] = k;
      }
    } else {
      std::stable_sort(list.begin(), list.end(), less);
    }
    Group group;
    for (std::size_t i = 0; i < list.size();) {
      std::size_t j = i + 1;
      while (j < list.size() && name_eq(list[j].key, list[i].key)) ++j;
      if (j - i > 1) {
        group.clear();
        for (std::size_t k = i; k < j; ++k) group.push_back(list[k].entry);
        if (!fn(list[i].key, group)) return;
      }
      i = j;
    }
  }

  void check_overlaps(const SelectionSet& set, const TypeDef* parent) {
    FieldList& list = overlap_scratch_;
    list.clear();
    Visited& visited = visited_scratch_;
    visited.clear();
    collect(set, parent, list, visited, 0);
    for_each_repeated(list, [&](std::string_view key, const Group& all) {
      check_group(key, all);
      return true;
    });
  }

  void check_group(std::string_view key, const Group& all) {
    {
      Group entries;
      dedupe(all, entries);
      for (std::size_t i = 0; i < entries.size(); ++i) {
        for (std::size_t j = i + 1; j < entries.size(); ++j) {
          std::string reason;
          if (conflict(entries[i], entries[j], false, reason, 0)) {
            std::string msg = "Fields \"" + std::string(key) + "\" conflict because " + reason +
                              ". Use different aliases on the fields to fetch both if this was intentional.";
            if (reported_.insert(msg + std::to_string(entries[i].node->pos)).second) {
              Error e;
              e.message = msg;
              for (const Sel* n : {entries[i].node, entries[j].node}) {
                auto lc = line_column(src_, n->pos);
                e.locations.push_back({lc.line, lc.column});
              }
              e.code = "GRAPHQL_VALIDATION_FAILED";
              errors_.push_back(std::move(e));
            }
          }
        }
      }
    }
  }

  // Drops leaf fields identical to one kept earlier (same parent, name and
  // arguments): they cannot conflict, and repeating one field thousands of
  // times must not cost a quadratic number of comparisons.
  static void dedupe(const Group& all, Group& kept) {
    for (const auto& e : all) {
      bool duplicate = false;
      if (!e.node->has_selection_set) {
        for (const auto& k : kept) {
          if (!k.node->has_selection_set && k.parent == e.parent && name_eq(k.node->name, e.node->name) &&
              same_arguments(k.node, e.node)) {
            duplicate = true;
            break;
          }
        }
      }
      if (!duplicate) kept.push_back(e);
    }
  }

  static bool same_value(const ValueNode* a, const ValueNode* b) {
    if (a->kind != b->kind) return false;
    if (a->kind == ValueNode::Kind::List) {
      if (a->list.size() != b->list.size()) return false;
      for (std::size_t i = 0; i < a->list.size(); ++i) {
        if (!same_value(a->list[i], b->list[i])) return false;
      }
      return true;
    }
    if (a->kind == ValueNode::Kind::Object) {
      if (a->fields.size() != b->fields.size()) return false;
      for (std::size_t i = 0; i < a->fields.size(); ++i) {
        if (a->fields[i].name != b->fields[i].name || !same_value(a->fields[i].value, b->fields[i].value)) return false;
      }
      return true;
    }
    return a->text == b->text;
  }
  static bool same_arguments(const Sel* a, const Sel* b) {
    if (a->arguments.size() != b->arguments.size()) return false;
    for (const auto& x : a->arguments) {
      bool found = false;
      for (const auto& y : b->arguments) {
        if (x.name == y.name) {
          if (!same_value(x.value, y.value)) return false;
          found = true;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  static bool types_conflict(const TypeExpr* a, const TypeExpr* b) {
    if (a->kind == TypeExpr::Kind::List || b->kind == TypeExpr::Kind::List) {
      return a->kind != b->kind || types_conflict(a->of, b->of);
    }
    if (a->non_null() || b->non_null()) return a->kind != b->kind || types_conflict(a->of, b->of);
    if (a->named->is_leaf() || b->named->is_leaf()) return a->named != b->named;
    return false;
  }

  bool conflict(const FieldEntry& a, const FieldEntry& b, bool parents_exclusive, std::string& reason, int depth) {
    if (a.node == b.node || depth > 32) return false;
    // Only pairs with sub-selections are worth remembering.
    bool memoise = a.node->has_selection_set && b.node->has_selection_set;
    auto memo_key = std::make_tuple(a.node, b.node, parents_exclusive);
    if (memoise) {
      if (auto it = memo_.find(memo_key); it != memo_.end()) {
        reason = it->second;
        return !reason.empty();
      }
    }
    bool exclusive = parents_exclusive ||
                     (a.parent && b.parent && a.parent != b.parent && a.parent->kind == TypeKind::Object &&
                      b.parent->kind == TypeKind::Object);
    const auto* da = static_cast<const FieldDef*>(a.node->field_def);
    const auto* db = static_cast<const FieldDef*>(b.node->field_def);
    std::string r;
    if (!exclusive) {
      if (a.node->name != b.node->name) {
        r = "\"" + std::string(a.node->name) + "\" and \"" + std::string(b.node->name) + "\" are different fields";
      } else if (!same_arguments(a.node, b.node)) {
        r = "they have differing arguments";
      }
    }
    if (r.empty() && da && db && da->type && db->type && types_conflict(da->type, db->type)) {
      r = "they return conflicting types \"" + da->type->to_string() + "\" and \"" + db->type->to_string() + "\"";
    }
    if (r.empty() && a.node->has_selection_set && b.node->has_selection_set) {
      FieldList list;
      Visited va, vb;
      const TypeDef* ta = da && da->type ? da->type->named_type() : nullptr;
      const TypeDef* tb = db && db->type ? db->type->named_type() : nullptr;
      collect(a.node->selections, ta, list, va, 0);
      collect(b.node->selections, tb, list, vb, 0);
      for_each_repeated(list, [&](std::string_view key, const Group& all) {
        Group entries;
        dedupe(all, entries);
        for (std::size_t i = 0; i < entries.size() && r.empty(); ++i) {
          for (std::size_t j = i + 1; j < entries.size() && r.empty(); ++j) {
            std::string sub;
            if (conflict(entries[i], entries[j], exclusive, sub, depth + 1)) {
              r = "subfields \"" + std::string(key) + "\" conflict because " + sub;
            }
          }
        }
        return r.empty();
      });
    }
    if (memoise) memo_[memo_key] = r;
    reason = r;
    return !r.empty();
  }

  const Schema& schema_;
  const Document& doc_;
  std::string_view src_;
  std::vector<Error>& errors_;
  struct FragState {  // per fragment definition, by FragmentDefinition::index
    DefInfo info;             // used for the first definition of a name (duplicates share it)
    std::uint32_t first = 0;  // index of the first definition of this name
    std::uint8_t colour = 0;  // detect_cycles()
    bool used = false;        // reached from some operation
    bool reached = false;     // reached from the current operation
  };
  std::vector<FragState> frags_;
  SmallVec<const FragmentDefinition*, 16> roots_;  // first definition of each name, in document order
  DefInfo* current_ = nullptr;
  std::unique_ptr<std::deque<TypeExpr>> local_;
  std::map<std::tuple<const Sel*, const Sel*, bool>, std::string> memo_;
  std::set<std::string> reported_;
  FieldList overlap_scratch_;
  Visited visited_scratch_;
};

// ---- limits
// Depth, aliases and cost of a selection set, relative to where it appears:
// `depth` counts the nested fields inside it, `cost` is for a multiplier of 1
// (cost is linear in the multiplier, so a fragment's figures can be reused at
// every spread).
struct Shape {
  int depth = 0;
  long aliases = 0;
  double cost = 0;
  void add(const Shape& o) {
    if (o.depth > depth) depth = o.depth;
    aliases += o.aliases;
    cost += o.cost;
  }
};

// One walk per selection set: each fragment is walked once and its Shape
// memoised, unless its expansion was cut somewhere (a spread cycle, not
// followed into the fragment already being expanded, or the nesting guard):
// such a fragment is walked again at each spread, exactly as an expansion
// would. Valid documents have no cycles.
class LimitChecker {
 public:
  // with_cost: field definitions are known (validation ran); compute cost.
  LimitChecker(const Schema& s, const PreparedOperation& p, bool with_cost)
      : schema_(s), prepared_(p), with_cost_(with_cost) {}

  static constexpr double kCostCap = 1e13;  // far above any limit; keeps sums finite
  static constexpr int kNoCycle = 1 << 30;

  // `low`: lowered to the stack index of any fragment being expanded that
  // this walk ran into (stays kNoCycle if none); -1 when the nesting guard
  // cut it short.
  Shape walk(const SelectionSet& set, int guard, int& low) {
    Shape r;
    if (guard > 300) {
      low = -1;
      return r;
    }
    for (const Sel* s : set) {
      if (s->kind == Sel::Kind::Field) {
        Shape f;
        f.depth = 1;
        f.aliases = s->alias.empty() ? 0 : 1;
        f.cost = 1;
        if (s->has_selection_set) {
          Shape c = walk(s->selections, guard + 1, low);
          f.depth += c.depth;
          f.aliases += c.aliases;
          if (with_cost_) f.cost += multiplier(*s) * c.cost;
        }
        r.add(f);
      } else if (s->kind == Sel::Kind::InlineFragment) {
        r.add(walk(s->selections, guard + 1, low));
      } else {
        r.add(spread(*s, guard, low));
      }
      if (r.cost > kCostCap) r.cost = kCostCap;
    }
    return r;
  }

 private:
  struct Memo {
    const FragmentDefinition* fragment;
    int stack_index;  // >= 0 while being expanded
    bool done;
    Shape shape;
  };

  Shape spread(const Sel& s, int guard, int& low) {
    // parse() resolved the spread; a hand-built AST falls back to the name.
    const FragmentDefinition* f = s.fragment ? s.fragment : prepared_.fragment(s.name);
    if (!f) return {};
    Memo* m = nullptr;
    for (auto& x : memo_) {
      if (x.fragment == f) {
        m = &x;
        break;
      }
    }
    if (!m) {
      memo_.push_back({f, -1, false, {}});
      m = &memo_.back();
    }
    if (m->done) return m->shape;
    if (m->stack_index >= 0) {  // a cycle: not expanded again
      if (m->stack_index < low) low = m->stack_index;
      return {};
    }
    std::size_t at = static_cast<std::size_t>(m - memo_.begin());  // memo_ may grow below
    int index = depth_++;
    memo_[at].stack_index = index;
    int inner = kNoCycle;
    Shape r = walk(f->selections, guard + 1, inner);
    --depth_;
    Memo& me = memo_[at];
    me.stack_index = -1;
    if (inner == kNoCycle) {
      // No expansion was cut below this fragment, so none of the fragments it
      // reaches can be on the stack wherever it is spread again (that would
      // be a cycle through it): its shape is the same everywhere.
      me.done = true;
      me.shape = r;
    } else if (inner < low) {
      low = inner;
    }
    return r;
  }

  // How many times the selections below field s count.
  double multiplier(const Sel& s) const {
    const auto* def = static_cast<const FieldDef*>(s.field_def);  // set by validation
    // Introspection costs what the schema's size allows, not what data does: free below the meta-field.
    if (def == schema_.schema_field() || def == schema_.type_field()) return 0;
    if (def && def->type) {
      const TypeExpr* t = def->type->non_null() ? def->type->of : def->type;
      if (t->kind == TypeExpr::Kind::List) return list_size(s);
    }
    return 1;
  }

  static double list_size(const Sel& s) {
    for (const auto& a : s.arguments) {
      if (!name_eq(a.name, "first") && !name_eq(a.name, "limit")) continue;
      if (a.value->kind == ValueNode::Kind::Int) {
        long v = 0;
        std::from_chars(a.value->text.data(), a.value->text.data() + a.value->text.size(), v);
        return v < 1 ? 1 : static_cast<double>(v);
      }
    }
    return 10;
  }

  const Schema& schema_;
  const PreparedOperation& prepared_;
  bool with_cost_;
  int depth_ = 0;
  SmallVec<Memo, 8> memo_;
};

}  // namespace

void validate_document(const Schema& schema, const Document& doc, std::string_view source,
                       std::vector<Error>& errors) {
  Validator(schema, doc, source, errors).run();
}

// shape_only: before validation, check what needs no schema knowledge (depth
// and aliases), so that a deep or alias-heavy document is refused as
// LIMIT_EXCEEDED whether or not it would validate. Cost needs the field
// definitions that validation records, so it is checked afterwards.
void check_limits(const Schema& schema, const OperationDefinition& op, const PreparedOperation& prepared,
                  std::string_view source, const Limits& limits, std::vector<Error>& errors, int* cost,
                  bool shape_only) {
  LimitChecker checker(schema, prepared, !shape_only);
  int low = LimitChecker::kNoCycle;
  Shape c = checker.walk(op.selections, 0, low);
  auto fail = [&](std::string m) {
    Error e;
    e.message = std::move(m);
    auto lc = line_column(source, op.pos);
    e.locations.push_back({lc.line, lc.column});
    e.code = "LIMIT_EXCEEDED";
    errors.push_back(std::move(e));
  };
  if (c.depth > limits.max_depth) {
    fail("Query depth " + std::to_string(c.depth) + " exceeds the maximum of " + std::to_string(limits.max_depth) + ".");
  }
  if (c.aliases > limits.max_aliases) {
    fail("Query uses " + std::to_string(c.aliases) + " aliases, more than the maximum of " +
         std::to_string(limits.max_aliases) + ".");
  }
  if (shape_only) return;
  if (c.cost > limits.max_cost) {
    fail("Query cost " + std::to_string(static_cast<long long>(c.cost)) + " exceeds the maximum of " +
         std::to_string(limits.max_cost) + ".");
  }
  if (cost) *cost = c.cost > 2e9 ? 2000000000 : static_cast<int>(c.cost);
}

}  // namespace parley::graphql
