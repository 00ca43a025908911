#include "graphql/schema.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <set>

#include "graphql/parser.hpp"

namespace parley::graphql {

namespace {

constexpr std::string_view kIntrospectionSdl = R"(
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type
  subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String
  fields(includeDeprecated: Boolean = false): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields(includeDeprecated: Boolean = false): [__InputValue!] ofType: __Type isOneOf: Boolean }
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Field { name: String! description: String args(includeDeprecated: Boolean = false): [__InputValue!]!
  type: __Type! isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String
  isDeprecated: Boolean! deprecationReason: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
type __Directive { name: String! description: String isRepeatable: Boolean!
  locations: [__DirectiveLocation!]! args(includeDeprecated: Boolean = false): [__InputValue!]! }
enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD
  INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE
  UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
"Directs the executor to include this field or fragment only when the `if` argument is true."
directive @include("Included when true." if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
"Directs the executor to skip this field or fragment when the `if` argument is true."
directive @skip("Skipped when true." if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
"Marks an element of a GraphQL schema as no longer supported."
directive @deprecated(reason: String = "No longer supported")
  on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
"Exposes a URL that specifies the behavior of this scalar."
directive @specifiedBy(url: String!) on SCALAR
"Indicates exactly one field must be supplied and this field must not be `null`."
directive @oneOf on INPUT_OBJECT
)";

constexpr std::string_view kLocationNames[] = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION"};

template <typename Vec>
auto find_named(const Vec& v, std::string_view n) -> decltype(&v[0]) {
  for (const auto& x : v) {
    if (x.name == n) return &x;
  }
  return nullptr;
}

}  // namespace

std::string_view location_name(DirectiveLocation l) { return kLocationNames[static_cast<int>(l)]; }

const TypeDef* TypeExpr::named_type() const {
  if (base) return base;
  const TypeExpr* t = this;
  while (t->kind != Kind::Named) t = t->of;
  return t->named;
}

std::string TypeExpr::to_string() const {
  switch (kind) {
    case Kind::Named: return named->name;
    case Kind::List: return "[" + of->to_string() + "]";
    case Kind::NonNull: return of->to_string() + "!";
  }
  return {};
}

bool same_type(const TypeExpr& a, const TypeExpr& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == TypeExpr::Kind::Named) return a.named == b.named;
  return same_type(*a.of, *b.of);
}

const InputValueDef* FieldDef::find_arg(std::string_view n) const { return find_named(args, n); }
const InputValueDef* DirectiveDef::find_arg(std::string_view n) const { return find_named(args, n); }
bool DirectiveDef::allows(DirectiveLocation l) const {
  for (auto x : locations) {
    if (x == l) return true;
  }
  return false;
}

const FieldDef* TypeDef::find_field(std::string_view n) const {
  if (!field_slots_.empty()) {
    if (n.empty()) return nullptr;
    std::uint8_t slot = field_slots_[field_slot(n)];
    if (slot == 0) return nullptr;
    const FieldDef& f = fields[slot - 1];
    return ast::name_eq(f.name, n) ? &f : nullptr;
  }
  if (!field_index_.empty()) {
    auto it = field_index_.find(n);
    return it == field_index_.end() ? nullptr : &fields[it->second];
  }
  if (field_keys_.size() == fields.size()) {
    const std::uint64_t key = name_key(n);
    for (std::size_t i = 0; i < field_keys_.size(); ++i) {
      if (field_keys_[i] != key) continue;
      if (n.size() < 8 || ast::name_eq(fields[i].name, n)) return &fields[i];
    }
    return nullptr;
  }
  for (const auto& f : fields) {
    if (ast::name_eq(f.name, n)) return &f;
  }
  return nullptr;
}
const InputValueDef* TypeDef::find_input_field(std::string_view n) const { return find_named(input_fields, n); }
const EnumValueDef* TypeDef::find_enum_value(std::string_view n) const { return find_named(enum_values, n); }
bool TypeDef::is_possible_type(const TypeDef* object) const {
  if (object == this) return true;
  for (auto* p : possible_types) {
    if (p == object) return true;
  }
  return false;
}

namespace {
inline std::size_t name_hash(std::string_view n) {  // FNV-1a
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : n) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::size_t>(h ^ (h >> 29));
}
}  // namespace

namespace {
// Looks for a multiplier that sends every field of `t` to its own slot.
void index_fields(TypeDef& t) {
  t.field_slots_.clear();
  if (t.fields.empty() || t.fields.size() > 200) return;
  for (const auto& f : t.fields) {
    if (f.name.empty()) return;
  }
  std::uint32_t bits = 4;
  while ((1u << bits) < t.fields.size() * 4) ++bits;
  std::vector<std::uint8_t> slots(std::size_t{1} << bits);
  std::uint32_t mul = 0x9E3779B1u;
  for (int attempt = 0; attempt < 64; ++attempt, mul = mul * 0x2C1B3C6Du + 0x297A2D39u) {
    mul |= 1;
    t.field_mul_ = mul;
    t.field_shift_ = 32 - bits;
    std::fill(slots.begin(), slots.end(), 0);
    bool ok = true;
    for (std::size_t i = 0; i < t.fields.size() && ok; ++i) {
      auto& slot = slots[t.field_slot(t.fields[i].name)];
      if (slot != 0) ok = false;
      slot = static_cast<std::uint8_t>(i + 1);
    }
    if (ok) {
      t.field_slots_ = std::move(slots);
      return;
    }
  }
}
}  // namespace

void Schema::index_names() {
  // The perfect table first (type_order_ holds every type, built-in ones too).
  type_perfect_.clear();
  bool names_ok = type_order_.size() == types_.size() && type_order_.size() < 16000;
  for (const TypeDef* t : type_order_) names_ok = names_ok && !t->name.empty();
  if (names_ok) {
    unsigned bits = 6;
    while ((std::size_t{1} << bits) < type_order_.size() * 4) ++bits;
    std::vector<std::uint16_t> slots(std::size_t{1} << bits);
    std::uint64_t mul = 0x9E3779B97F4A7C15ull;
    for (int attempt = 0; attempt < 64; ++attempt, mul = mul * 6364136223846793005ull + 1442695040888963407ull) {
      type_mul_ = mul | 1;
      type_shift_ = 64 - bits;
      std::fill(slots.begin(), slots.end(), 0);
      bool ok = true;
      for (std::size_t i = 0; i < type_order_.size() && ok; ++i) {
        auto& slot = slots[type_perfect_slot(type_order_[i]->name)];
        if (slot != 0) ok = false;
        slot = static_cast<std::uint16_t>(i + 1);
      }
      if (ok) {
        type_perfect_ = std::move(slots);
        break;
      }
    }
  }
  std::size_t size = 16;
  while (size < types_.size() * 2) size *= 2;
  type_slots_.assign(size, {std::string_view{}, nullptr});
  for (const auto& [name, t] : types_) {
    std::size_t i = name_hash(name) & (size - 1);
    while (type_slots_[i].second) i = (i + 1) & (size - 1);
    type_slots_[i] = {name, t.get()};
    t->field_keys_.clear();
    for (const auto& f : t->fields) t->field_keys_.push_back(name_key(f.name));
    index_fields(*t);
  }
}

const TypeExpr* Schema::find_interned_named(const TypeDef* t) const { return t->interned_; }
const TypeExpr* Schema::find_interned_wrap(TypeExpr::Kind k, const TypeExpr* of) const {
  return k == TypeExpr::Kind::List ? of->interned_list : of->interned_non_null;
}

std::size_t Schema::type_perfect_slot(std::string_view n) const {
  auto b = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(n[i])); };
  const std::size_t z = n.size();
  std::uint64_t k = static_cast<std::uint64_t>(z) << 32 | b(0) << 24 | b(z > 1 ? 1 : 0) << 16 |
                    b(z > 1 ? z - 2 : 0) << 8 | b(z - 1);
  return static_cast<std::size_t>((k * type_mul_) >> type_shift_);
}

const TypeDef* Schema::type(std::string_view name) const {
  if (!type_perfect_.empty()) {
    if (name.empty()) return nullptr;
    std::uint16_t slot = type_perfect_[type_perfect_slot(name)];
    if (slot == 0) return nullptr;
    const TypeDef* t = type_order_[slot - 1];
    return ast::name_eq(t->name, name) ? t : nullptr;
  }
  if (!type_slots_.empty()) {
    const std::size_t mask = type_slots_.size() - 1;
    for (std::size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
      const auto& slot = type_slots_[i];
      if (!slot.second) return nullptr;
      if (ast::name_eq(slot.first, name)) return slot.second;
    }
  }
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second.get();
}
TypeDef* Schema::mutable_type(std::string_view name) {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second.get();
}
const DirectiveDef* Schema::directive(std::string_view name) const {
  auto it = directives_.find(name);
  return it == directives_.end() ? nullptr : it->second.get();
}

const TypeExpr* Schema::intern_named(const TypeDef* t) {
  auto& slot = named_exprs_[t];
  if (!slot) {
    slot = &exprs_.emplace_back(TypeExpr{TypeExpr::Kind::Named, t, nullptr, t});
    const_cast<TypeDef*>(t)->interned_ = slot;  // the schema owns its TypeDefs
  }
  return slot;
}
const TypeExpr* Schema::intern_wrap(TypeExpr::Kind k, const TypeExpr* of) {
  auto& map = k == TypeExpr::Kind::List ? list_exprs_ : non_null_exprs_;
  auto& slot = map[of];
  if (!slot) {
    slot = &exprs_.emplace_back(TypeExpr{k, nullptr, of, of->named_type()});
    (k == TypeExpr::Kind::List ? of->interned_list : of->interned_non_null) = slot;
  }
  return slot;
}

// ------------------------------------------------------------------ resolvers

base::Status Schema::try_resolve(std::string_view type, std::string_view field, Resolver r) {
  TypeDef* t = mutable_type(type);
  if (!t || t->kind != TypeKind::Object) return base::Status::not_found("no object type " + std::string(type));
  for (auto& f : t->fields) {
    if (f.name == field) {
      f.resolver = std::move(r);
      f.sync_resolver = nullptr;
      return base::Status::ok();
    }
  }
  return base::Status::not_found("no field " + std::string(type) + "." + std::string(field));
}

base::Status Schema::try_resolve_sync(std::string_view type, std::string_view field, SyncResolver r) {
  TypeDef* t = mutable_type(type);
  if (!t || t->kind != TypeKind::Object) return base::Status::not_found("no object type " + std::string(type));
  for (auto& f : t->fields) {
    if (f.name == field) {
      f.sync_resolver = std::move(r);
      f.resolver = nullptr;
      return base::Status::ok();
    }
  }
  return base::Status::not_found("no field " + std::string(type) + "." + std::string(field));
}

namespace {
[[noreturn]] void die(const base::Status& s) {
  std::fprintf(stderr, "graphql schema: %s\n", s.to_string().c_str());
  std::abort();
}
}  // namespace

void Schema::resolve(std::string_view type, std::string_view field, Resolver r) {
  auto s = try_resolve(type, field, std::move(r));
  if (!s.is_ok()) die(s);
}
void Schema::resolve_sync(std::string_view type, std::string_view field, SyncResolver r) {
  auto s = try_resolve_sync(type, field, std::move(r));
  if (!s.is_ok()) die(s);
}
void Schema::subscribe(std::string_view field, Subscriber s) {
  if (!subscription_) die(base::Status::not_found("schema has no subscription type"));
  for (auto& f : const_cast<TypeDef*>(subscription_)->fields) {
    if (f.name == field) {
      f.subscriber = std::move(s);
      return;
    }
  }
  die(base::Status::not_found("no subscription field " + std::string(field)));
}
void Schema::resolve_type(std::string_view abstract_type, std::function<std::string(const Value&)> f) {
  TypeDef* t = mutable_type(abstract_type);
  if (!t || !t->is_abstract()) die(base::Status::not_found("no abstract type " + std::string(abstract_type)));
  t->type_resolver = std::move(f);
}

// ------------------------------------------------------------------ building

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Schema& s) : s_(s) {}

  base::Status build(std::string_view sdl) {
    s_.sdl_ = std::string(sdl);
    ParseOptions opts;
    ParseResult user = parse(s_.sdl_, arena_, opts);
    if (!user.ok()) {
      auto lc = ast::line_column(s_.sdl_, user.error.pos);
      return base::Status::bad_request(std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " +
                                       user.error.message);
    }
    ParseResult intro = parse(kIntrospectionSdl, arena_, opts);
    if (!intro.ok()) return base::Status::internal("introspection SDL: " + intro.error.message);

    for (const char* n : {"Int", "Float", "String", "Boolean", "ID"}) {
      auto t = std::make_unique<TypeDef>();
      t->kind = TypeKind::Scalar;
      t->name = n;
      t->builtin = true;
      add_type(std::move(t));
    }
    source_ = kIntrospectionSdl;
    builtin_ = true;
    declare(*intro.document);
    source_ = s_.sdl_;
    builtin_ = false;
    declare(*user.document);
    if (!errors_.empty()) return finish();
    // Second pass: bodies (now that all names are known).
    source_ = kIntrospectionSdl;
    builtin_ = true;
    fill(*intro.document);
    source_ = s_.sdl_;
    builtin_ = false;
    fill(*user.document);
    if (!errors_.empty()) return finish();
    roots(*user.document);
    validate();
    return finish();
  }

 private:
  base::Status finish() {
    if (errors_.empty()) return base::Status::ok();
    std::string msg;
    for (const auto& e : errors_) {
      if (!msg.empty()) msg += "\n";
      msg += e;
    }
    return base::Status::bad_request(msg);
  }
  void error(ast::Pos pos, std::string m) {
    if (source_.data() == s_.sdl_.data()) {
      auto lc = ast::line_column(source_, pos);
      errors_.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " + m);
    } else {
      errors_.push_back(m);
    }
  }
  void error(std::string m) { errors_.push_back(std::move(m)); }

  void add_type(std::unique_ptr<TypeDef> t) {
    s_.type_order_.push_back(t.get());
    std::string_view key = t->name;
    s_.types_.emplace(key, std::move(t));
  }

  void check_name(ast::Pos pos, std::string_view name) {
    if (!builtin_ && name.size() >= 2 && name[0] == '_' && name[1] == '_') {
      error(pos, "Name \"" + std::string(name) + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
    }
  }

  void declare(const ast::Document& doc) {
    for (const auto& d : doc.definitions) {
      if (d.kind == ast::Definition::Kind::Type && !d.type->is_extension) {
        const auto& td = *d.type;
        check_name(td.pos, td.name);
        if (s_.type(td.name)) {
          error(td.pos, "There can be only one type named \"" + std::string(td.name) + "\".");
          continue;
        }
        auto t = std::make_unique<TypeDef>();
        t->kind = td.kind;
        t->name = std::string(td.name);
        t->description = std::string(td.description);
        t->builtin = builtin_;
        add_type(std::move(t));
      } else if (d.kind == ast::Definition::Kind::Directive) {
        const auto& dd = *d.directive;
        check_name(dd.pos, dd.name);
        if (s_.directive(dd.name)) {
          error(dd.pos, "There can be only one directive named \"@" + std::string(dd.name) + "\".");
          continue;
        }
        auto dir = std::make_unique<DirectiveDef>();
        dir->name = std::string(dd.name);
        dir->description = std::string(dd.description);
        dir->repeatable = dd.repeatable;
        dir->builtin = builtin_;
        for (const auto& l : dd.locations) {
          for (int i = 0; i < 19; ++i) {
            if (kLocationNames[i] == l.name) dir->locations.push_back(static_cast<DirectiveLocation>(i));
          }
        }
        pending_directives_.push_back({dir.get(), &dd, source_, builtin_});
        s_.directive_order_.push_back(dir.get());
        std::string_view key = dir->name;
        s_.directives_.emplace(key, std::move(dir));
      } else if (d.kind == ast::Definition::Kind::Operation || d.kind == ast::Definition::Kind::Fragment) {
        error(d.pos(), "Executable definitions are not allowed in a schema.");
      }
    }
  }

  const TypeExpr* type_expr(const ast::TypeRef& r) {
    switch (r.kind) {
      case ast::TypeRef::Kind::Named: {
        const TypeDef* t = s_.type(r.name);
        if (!t) {
          error(r.pos, "Unknown type \"" + std::string(r.name) + "\".");
          return nullptr;
        }
        return s_.intern_named(t);
      }
      case ast::TypeRef::Kind::List: {
        auto* of = type_expr(*r.of);
        return of ? s_.intern_wrap(TypeExpr::Kind::List, of) : nullptr;
      }
      case ast::TypeRef::Kind::NonNull: {
        auto* of = type_expr(*r.of);
        return of ? s_.intern_wrap(TypeExpr::Kind::NonNull, of) : nullptr;
      }
    }
    return nullptr;
  }

  // Checks directive usages in SDL and extracts deprecation etc.
  void directives(const ast::Span<ast::Directive>& dirs, DirectiveLocation loc, bool* deprecated,
                  std::string* reason, std::string* specified_by, bool* one_of) {
    std::set<std::string_view> seen;
    for (const auto& d : dirs) {
      const DirectiveDef* def = s_.directive(d.name);
      if (!def) {
        error(d.pos, "Unknown directive \"@" + std::string(d.name) + "\".");
        continue;
      }
      if (!def->allows(loc)) {
        error(d.pos, "Directive \"@" + std::string(d.name) + "\" may not be used on " +
                         std::string(location_name(loc)) + ".");
      }
      if (!def->repeatable && !seen.insert(d.name).second) {
        error(d.pos, "The directive \"@" + std::string(d.name) + "\" can only be used once at this location.");
      }
      Value args = Value::object();
      for (const auto& a : d.arguments) {
        const InputValueDef* ad = def->find_arg(a.name);
        if (!ad) {
          error(a.pos, "Unknown argument \"" + std::string(a.name) + "\" on directive \"@" + def->name + "\".");
          continue;
        }
        if (!ad->type) continue;
        Value v;
        std::string err;
        if (!coerce_literal(*a.value, *ad->type, nullptr, v, err)) {
          error(a.value->pos, err);
          continue;
        }
        args.set(ad->name, std::move(v));
      }
      for (const auto& ad : def->args) {
        if (!args.find(ad.name)) {
          if (ad.default_value) {
            args.set(ad.name, *ad.default_value);
          } else if (ad.type && ad.type->non_null() && ad.default_literal.empty()) {
            error(d.pos, "Directive \"@" + def->name + "\" argument \"" + ad.name + "\" of type \"" +
                             ad.type->to_string() + "\" is required, but it was not provided.");
          }
        }
      }
      if (def->name == "deprecated" && deprecated) {
        *deprecated = true;
        const Value* r = args.find("reason");
        *reason = r ? (r->is_null() ? std::string() : r->as_string()) : std::string("No longer supported");
      }
      if (def->name == "specifiedBy" && specified_by) {
        if (const Value* u = args.find("url")) *specified_by = u->as_string();
      }
      if (def->name == "oneOf" && one_of) *one_of = true;
    }
  }

  void input_values(const ast::Span<ast::InputValueDefinition>& defs, std::vector<InputValueDef>& out,
                    DirectiveLocation loc, std::string_view owner) {
    for (const auto& iv : defs) {
      check_name(iv.pos, iv.name);
      if (find_named(out, iv.name)) {
        error(iv.pos, "Argument/field \"" + std::string(owner) + "." + std::string(iv.name) + "\" can only be defined once.");
        continue;
      }
      InputValueDef d;
      d.name = std::string(iv.name);
      d.description = std::string(iv.description);
      d.type = type_expr(*iv.type);
      directives(iv.directives, loc, &d.deprecated, &d.deprecation_reason, nullptr, nullptr);
      if (d.type && !d.type->named_type()->is_input()) {
        error(iv.pos, "The type of \"" + std::string(owner) + "." + d.name + "\" must be Input Type but got: \"" +
                          d.type->to_string() + "\".");
        d.type = nullptr;
      }
      if (iv.default_value) {
        d.default_literal = ast::print_value(*iv.default_value);
        d.default_ast = iv.default_value;
      }
      if (d.deprecated && d.type && d.type->non_null() && !iv.default_value) {
        error(iv.pos, "Required argument/input field \"" + std::string(owner) + "." + d.name + "\" cannot be deprecated.");
      }
      out.push_back(std::move(d));
    }
  }

  void fields(const ast::Span<ast::FieldDefinition>& defs, TypeDef& t) {
    for (const auto& fd : defs) {
      check_name(fd.pos, fd.name);
      if (t.find_field(fd.name)) {
        error(fd.pos, "Field \"" + t.name + "." + std::string(fd.name) + "\" can only be defined once.");
        continue;
      }
      FieldDef f;
      f.name = std::string(fd.name);
      f.description = std::string(fd.description);
      f.type = type_expr(*fd.type);
      if (f.type && !f.type->named_type()->is_composite() && !f.type->named_type()->is_leaf()) {
        error(fd.pos, "The type of \"" + t.name + "." + f.name + "\" must be Output Type but got: \"" +
                          f.type->to_string() + "\".");
        f.type = nullptr;
      }
      directives(fd.directives, DirectiveLocation::FieldDefinition, &f.deprecated, &f.deprecation_reason, nullptr,
                 nullptr);
      t.fields.push_back(std::move(f));
      input_values(fd.arguments, t.fields.back().args, DirectiveLocation::ArgumentDefinition,
                   t.name + "." + std::string(fd.name));
    }
  }

  void fill(const ast::Document& doc) {
    for (auto& pd : pending_directives_) {
      if (pd.source.data() != source_.data()) continue;
      input_values(pd.def->arguments, pd.dir->args, DirectiveLocation::ArgumentDefinition, "@" + pd.dir->name);
    }
    for (const auto& d : doc.definitions) {
      if (d.kind != ast::Definition::Kind::Type) continue;
      const auto& td = *d.type;
      TypeDef* t = s_.mutable_type(td.name);
      if (!t) {
        error(td.pos, "Cannot extend type \"" + std::string(td.name) + "\" because it is not defined.");
        continue;
      }
      if (t->kind != td.kind) {
        if (td.is_extension) {
          error(td.pos, "Cannot extend non-matching type \"" + std::string(td.name) + "\".");
        }
        continue;  // duplicate definition, already reported
      }
      if (td.is_extension && t->builtin) {
        error(td.pos, "Cannot extend built-in type \"" + t->name + "\".");
        continue;
      }
      static const DirectiveLocation kLoc[] = {DirectiveLocation::Scalar, DirectiveLocation::Object,
                                               DirectiveLocation::Interface, DirectiveLocation::Union,
                                               DirectiveLocation::Enum, DirectiveLocation::InputObject};
      directives(td.directives, kLoc[static_cast<int>(td.kind)], nullptr, nullptr, &t->specified_by_url,
                 &t->one_of);
      for (const auto& i : td.interfaces) {
        const TypeDef* it = s_.type(i.name);
        if (!it) {
          error(i.pos, "Unknown type \"" + std::string(i.name) + "\".");
        } else if (it->kind != TypeKind::Interface) {
          error(i.pos, "Type \"" + t->name + "\" must only implement Interface types, it cannot implement \"" +
                           it->name + "\".");
        } else if (std::find(t->interfaces.begin(), t->interfaces.end(), it) != t->interfaces.end()) {
          error(i.pos, "Type \"" + t->name + "\" can only implement \"" + it->name + "\" once.");
        } else {
          t->interfaces.push_back(it);
        }
      }
      fields(td.fields, *t);
      for (const auto& m : td.members) {
        const TypeDef* mt = s_.type(m.name);
        if (!mt) {
          error(m.pos, "Unknown type \"" + std::string(m.name) + "\".");
        } else if (mt->kind != TypeKind::Object) {
          error(m.pos, "Union type \"" + t->name + "\" can only include Object types, it cannot include \"" +
                           mt->name + "\".");
        } else if (std::find(t->possible_types.begin(), t->possible_types.end(), mt) != t->possible_types.end()) {
          error(m.pos, "Union type \"" + t->name + "\" can only include type \"" + mt->name + "\" once.");
        } else {
          t->possible_types.push_back(mt);
        }
      }
      for (const auto& ev : td.values) {
        if (t->find_enum_value(ev.name)) {
          error(ev.pos, "Enum value \"" + t->name + "." + std::string(ev.name) + "\" can only be defined once.");
          continue;
        }
        EnumValueDef e;
        e.name = std::string(ev.name);
        e.description = std::string(ev.description);
        directives(ev.directives, DirectiveLocation::EnumValue, &e.deprecated, &e.deprecation_reason, nullptr,
                   nullptr);
        t->enum_values.push_back(std::move(e));
      }
      input_values(td.input_fields, t->input_fields, DirectiveLocation::InputFieldDefinition, t->name);
    }
    if (builtin_) return;
    for (auto& t : s_.type_order_) {
      auto* mt = const_cast<TypeDef*>(t);
      for (auto& f : mt->fields) f.owner = mt;
      if (mt->fields.size() > 8) {
        for (std::size_t i = 0; i < mt->fields.size(); ++i) mt->field_index_.emplace(mt->fields[i].name, i);
      }
    }
    // Default values: coerced now that all input types are complete.
    auto coerce_default = [&](InputValueDef& d) {
      const ast::ValueNode* lit = d.default_ast;
      d.default_ast = nullptr;
      if (!lit || !d.type) return;
      Value v;
      std::string err;
      if (!coerce_literal(*lit, *d.type, nullptr, v, err)) {
        error("Invalid default value for \"" + d.name + "\": " + err);
      } else {
        d.default_value = std::move(v);
      }
    };
    for (auto& t : s_.type_order_) {
      auto* mt = const_cast<TypeDef*>(t);
      for (auto& f : mt->fields) {
        for (auto& a : f.args) coerce_default(a);
      }
      for (auto& f : mt->input_fields) coerce_default(f);
    }
    for (auto* d : s_.directive_order_) {
      for (auto& a : const_cast<DirectiveDef*>(d)->args) coerce_default(a);
    }
    source_ = s_.sdl_;
    for (auto* t : s_.type_order_) {
      if (t->kind != TypeKind::Object) continue;
      for (auto* i : t->interfaces) const_cast<TypeDef*>(i)->possible_types.push_back(t);
    }
  }

  void roots(const ast::Document& doc) {
    const ast::SchemaDefinition* def = nullptr;
    std::vector<const ast::SchemaDefinition*> exts;
    for (const auto& d : doc.definitions) {
      if (d.kind != ast::Definition::Kind::Schema) continue;
      if (d.schema->is_extension) {
        exts.push_back(d.schema);
      } else if (def) {
        error(d.schema->pos, "Must provide only one schema definition.");
      } else {
        def = d.schema;
      }
    }
    auto set_root = [&](const ast::RootOperationType& r) {
      const TypeDef* t = s_.type(r.type.name);
      const TypeDef** slot = r.kind == ast::OperationKind::Query      ? &s_.query_
                             : r.kind == ast::OperationKind::Mutation ? &s_.mutation_
                                                                      : &s_.subscription_;
      if (!t) {
        error(r.type.pos, "Unknown type \"" + std::string(r.type.name) + "\".");
      } else if (t->kind != TypeKind::Object) {
        error(r.type.pos, "Root type must be Object type, it cannot be \"" + t->name + "\".");
      } else if (*slot) {
        error(r.type.pos, "There can be only one root type per operation.");
      } else {
        *slot = t;
      }
    };
    if (def) {
      s_.description_ = std::string(def->description);
      directives(def->directives, DirectiveLocation::Schema, nullptr, nullptr, nullptr, nullptr);
      for (const auto& r : def->operations) set_root(r);
    } else {
      auto pick = [&](const char* n) {
        const TypeDef* t = s_.type(n);
        return t && t->kind == TypeKind::Object ? t : nullptr;
      };
      s_.query_ = pick("Query");
      s_.mutation_ = pick("Mutation");
      s_.subscription_ = pick("Subscription");
    }
    for (auto* e : exts) {
      directives(e->directives, DirectiveLocation::Schema, nullptr, nullptr, nullptr, nullptr);
      for (const auto& r : e->operations) set_root(r);
    }
    if (!s_.query_) error("Query root type must be provided.");
  }

  bool is_subtype(const TypeExpr* sub, const TypeExpr* super) {
    if (super->kind == TypeExpr::Kind::NonNull) {
      return sub->kind == TypeExpr::Kind::NonNull && is_subtype(sub->of, super->of);
    }
    if (sub->kind == TypeExpr::Kind::NonNull) return is_subtype(sub->of, super);
    if (super->kind == TypeExpr::Kind::List) {
      return sub->kind == TypeExpr::Kind::List && is_subtype(sub->of, super->of);
    }
    if (sub->kind == TypeExpr::Kind::List) return false;
    if (sub->named == super->named) return true;
    return super->named->is_abstract() && super->named->is_possible_type(sub->named);
  }

  void validate() {
    for (const TypeDef* t : s_.type_order_) {
      if (t->builtin) continue;
      switch (t->kind) {
        case TypeKind::Object:
        case TypeKind::Interface:
          if (t->fields.empty()) error("Type " + t->name + " must define one or more fields.");
          for (const TypeDef* iface : t->interfaces) {
            if (iface == t) {
              error("Type " + t->name + " cannot implement itself.");
              continue;
            }
            for (const TypeDef* transitive : iface->interfaces) {
              if (std::find(t->interfaces.begin(), t->interfaces.end(), transitive) == t->interfaces.end()) {
                error("Type " + t->name + " must implement " + transitive->name + " because it is implemented by " +
                      iface->name + ".");
              }
            }
            for (const FieldDef& f : iface->fields) {
              const FieldDef* own = t->find_field(f.name);
              if (!own) {
                error("Interface field " + iface->name + "." + f.name + " expected but " + t->name +
                      " does not provide it.");
                continue;
              }
              if (own->type && f.type && !is_subtype(own->type, f.type)) {
                error("Interface field " + iface->name + "." + f.name + " expects type " + f.type->to_string() +
                      " but " + t->name + "." + f.name + " is type " + own->type->to_string() + ".");
              }
              for (const auto& a : f.args) {
                const InputValueDef* oa = own->find_arg(a.name);
                if (!oa) {
                  error("Interface field argument " + iface->name + "." + f.name + "(" + a.name +
                        ":) expected but " + t->name + "." + f.name + " does not provide it.");
                } else if (oa->type && a.type && !same_type(*oa->type, *a.type)) {
                  error("Interface field argument " + iface->name + "." + f.name + "(" + a.name + ":) expects type " +
                        a.type->to_string() + " but " + t->name + "." + f.name + "(" + a.name + ":) is type " +
                        oa->type->to_string() + ".");
                }
              }
              for (const auto& oa : own->args) {
                if (!f.find_arg(oa.name) && oa.type && oa.type->non_null() && !oa.default_value) {
                  error("Argument \"" + t->name + "." + f.name + "(" + oa.name +
                        ":)\" must not be required type \"" + oa.type->to_string() +
                        "\" if not provided by the Interface field \"" + iface->name + "." + f.name + "\".");
                }
              }
            }
          }
          break;
        case TypeKind::Union:
          if (t->possible_types.empty()) error("Union type " + t->name + " must define one or more member types.");
          break;
        case TypeKind::Enum:
          if (t->enum_values.empty()) error("Enum type " + t->name + " must define one or more values.");
          break;
        case TypeKind::InputObject: {
          if (t->input_fields.empty()) error("Input Object type " + t->name + " must define one or more fields.");
          for (const auto& f : t->input_fields) {
            if (t->one_of && f.type && f.type->non_null()) {
              error("OneOf input field " + t->name + "." + f.name + " must be nullable.");
            }
            if (t->one_of && f.default_value) {
              error("OneOf input field " + t->name + "." + f.name + " cannot have a default value.");
            }
          }
          std::vector<const TypeDef*> stack;
          if (non_null_cycle(t, stack)) {
            error("Cannot reference Input Object \"" + t->name + "\" within itself through a series of non-null fields.");
          }
          break;
        }
        case TypeKind::Scalar: break;
      }
    }
  }

  bool non_null_cycle(const TypeDef* t, std::vector<const TypeDef*>& stack) {
    if (std::find(stack.begin(), stack.end(), t) != stack.end()) return stack.front() == t;
    if (stack.size() > 64) return false;
    stack.push_back(t);
    for (const auto& f : t->input_fields) {
      if (f.type && f.type->non_null() && f.type->of->kind == TypeExpr::Kind::Named &&
          f.type->of->named->kind == TypeKind::InputObject) {
        if (non_null_cycle(f.type->of->named, stack)) {
          stack.pop_back();
          return true;
        }
      }
    }
    stack.pop_back();
    return false;
  }

  struct PendingDirective {
    DirectiveDef* dir;
    const ast::DirectiveDefinition* def;
    std::string_view source;
    bool builtin;
  };
  Schema& s_;
  ast::Arena arena_;
  std::string_view source_;
  bool builtin_ = false;
  std::vector<std::string> errors_;
  std::vector<PendingDirective> pending_directives_;
};

base::Result<std::shared_ptr<Schema>> Schema::from_sdl(std::string_view sdl) {
  std::shared_ptr<Schema> s(new Schema());
  SchemaBuilder b(*s);
  PARLEY_RETURN_IF_ERROR(b.build(sdl));
  s->install_introspection();
  s->index_names();
  return s;
}

// ------------------------------------------------------------------ printing

namespace {
void print_description(std::string& out, const std::string& d, const char* indent) {
  if (d.empty()) return;
  out += indent;
  out += "\"\"\"";
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.compare(i, 3, "\"\"\"") == 0) {
      out += "\\\"\"\"";
      i += 2;
    } else {
      out.push_back(d[i]);
      if (d[i] == '\n') out += indent;
    }
  }
  out += "\"\"\"\n";
}
void print_deprecated(std::string& out, bool deprecated, const std::string& reason) {
  if (!deprecated) return;
  out += " @deprecated";
  if (reason != "No longer supported") {
    out += "(reason: ";
    write_json_string(out, reason);
    out += ")";
  }
}
void print_args(std::string& out, const std::vector<InputValueDef>& args) {
  if (args.empty()) return;
  out += "(";
  bool first = true;
  for (const auto& a : args) {
    if (!first) out += ", ";
    first = false;
    out += a.name + ": " + (a.type ? a.type->to_string() : "?");
    if (!a.default_literal.empty()) out += " = " + a.default_literal;
    print_deprecated(out, a.deprecated, a.deprecation_reason);
  }
  out += ")";
}
}  // namespace

std::string Schema::print_schema() const {
  std::string out;
  bool custom_roots = (query_ && query_->name != "Query") || (mutation_ && mutation_->name != "Mutation") ||
                      (subscription_ && subscription_->name != "Subscription") || !description_.empty();
  if (custom_roots) {
    print_description(out, description_, "");
    out += "schema {\n";
    if (query_) out += "  query: " + query_->name + "\n";
    if (mutation_) out += "  mutation: " + mutation_->name + "\n";
    if (subscription_) out += "  subscription: " + subscription_->name + "\n";
    out += "}\n\n";
  }
  for (const DirectiveDef* d : directive_order_) {
    if (d->builtin) continue;
    print_description(out, d->description, "");
    out += "directive @" + d->name;
    print_args(out, d->args);
    if (d->repeatable) out += " repeatable";
    out += " on ";
    for (std::size_t i = 0; i < d->locations.size(); ++i) {
      if (i) out += " | ";
      out += location_name(d->locations[i]);
    }
    out += "\n\n";
  }
  for (const TypeDef* t : type_order_) {
    if (t->builtin) continue;
    print_description(out, t->description, "");
    switch (t->kind) {
      case TypeKind::Scalar:
        out += "scalar " + t->name;
        if (!t->specified_by_url.empty()) {
          out += " @specifiedBy(url: ";
          write_json_string(out, t->specified_by_url);
          out += ")";
        }
        out += "\n\n";
        continue;
      case TypeKind::Object:
      case TypeKind::Interface:
        out += (t->kind == TypeKind::Object ? "type " : "interface ") + t->name;
        for (std::size_t i = 0; i < t->interfaces.size(); ++i) {
          out += i ? " & " : " implements ";
          out += t->interfaces[i]->name;
        }
        out += " {\n";
        for (const auto& f : t->fields) {
          print_description(out, f.description, "  ");
          out += "  " + f.name;
          print_args(out, f.args);
          out += ": " + (f.type ? f.type->to_string() : "?");
          print_deprecated(out, f.deprecated, f.deprecation_reason);
          out += "\n";
        }
        out += "}\n\n";
        continue;
      case TypeKind::Union:
        out += "union " + t->name + " = ";
        for (std::size_t i = 0; i < t->possible_types.size(); ++i) {
          if (i) out += " | ";
          out += t->possible_types[i]->name;
        }
        out += "\n\n";
        continue;
      case TypeKind::Enum:
        out += "enum " + t->name + " {\n";
        for (const auto& v : t->enum_values) {
          print_description(out, v.description, "  ");
          out += "  " + v.name;
          print_deprecated(out, v.deprecated, v.deprecation_reason);
          out += "\n";
        }
        out += "}\n\n";
        continue;
      case TypeKind::InputObject:
        out += "input " + t->name + (t->one_of ? " @oneOf" : "") + " {\n";
        for (const auto& f : t->input_fields) {
          print_description(out, f.description, "  ");
          out += "  " + f.name + ": " + (f.type ? f.type->to_string() : "?");
          if (!f.default_literal.empty()) out += " = " + f.default_literal;
          print_deprecated(out, f.deprecated, f.deprecation_reason);
          out += "\n";
        }
        out += "}\n\n";
        continue;
    }
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  out += "\n";
  return out;
}

}  // namespace parley::graphql
