// Introspection (spec 4): __schema, __type and the __Type family, as sync
// resolvers over the Schema's own structures. A __Type value is an object
// {kind, name, ofType}; everything else is looked up by name on demand.
#include "graphql/schema.hpp"

namespace parley::graphql {

namespace {
const char* kind_name(TypeKind k) {
  switch (k) {
    case TypeKind::Scalar: return "SCALAR";
    case TypeKind::Object: return "OBJECT";
    case TypeKind::Interface: return "INTERFACE";
    case TypeKind::Union: return "UNION";
    case TypeKind::Enum: return "ENUM";
    case TypeKind::InputObject: return "INPUT_OBJECT";
  }
  return "SCALAR";
}
Value opt_string(const std::string& s) { return s.empty() ? Value() : Value(s); }
bool include_deprecated(const FieldContext& c) {
  const Value* v = c.args.find("includeDeprecated");
  return v && v->as_bool();
}
}  // namespace

Value Schema::named_type_value(const TypeDef& t) const {
  Value v = Value::object();
  v.set("kind", Value::enum_value(kind_name(t.kind)));
  v.set("name", Value(t.name));
  v.set("ofType", Value());
  return v;
}

Value Schema::type_value(const TypeExpr& t) const {
  if (t.kind == TypeExpr::Kind::Named) return named_type_value(*t.named);
  Value v = Value::object();
  v.set("kind", Value::enum_value(t.kind == TypeExpr::Kind::List ? "LIST" : "NON_NULL"));
  v.set("name", Value());
  v.set("ofType", type_value(*t.of));
  return v;
}

void Schema::install_introspection() {
  const Schema* self = this;
  auto input_value = [self](const InputValueDef& d) {
    Value v = Value::object();
    v.set("name", Value(d.name));
    v.set("description", opt_string(d.description));
    v.set("type", self->type_value(*d.type));
    v.set("defaultValue", d.default_literal.empty() ? Value() : Value(d.default_literal));
    v.set("isDeprecated", Value(d.deprecated));
    v.set("deprecationReason", d.deprecated ? Value(d.deprecation_reason) : Value());
    return v;
  };
  auto input_values = [input_value](const std::vector<InputValueDef>& defs, bool deprecated_too) {
    Value list = Value::list();
    for (const auto& d : defs) {
      if (d.deprecated && !deprecated_too) continue;
      list.push(input_value(d));
    }
    return list;
  };
  auto named = [self](const FieldContext& c) -> const TypeDef* {
    const Value* n = c.parent.find("name");
    return n && n->is_string() ? self->type(n->as_string()) : nullptr;
  };

  schema_field_.name = "__schema";
  schema_field_.type = intern_wrap(TypeExpr::Kind::NonNull, intern_named(type("__Schema")));
  schema_field_.sync_resolver = [](const FieldContext&) -> base::Result<Value> { return Value::object(); };
  type_field_.name = "__type";
  type_field_.type = intern_named(type("__Type"));
  InputValueDef name_arg;
  name_arg.name = "name";
  name_arg.type = intern_wrap(TypeExpr::Kind::NonNull, intern_named(type("String")));
  type_field_.args.push_back(name_arg);
  type_field_.sync_resolver = [self](const FieldContext& c) -> base::Result<Value> {
    const Value* n = c.args.find("name");
    const TypeDef* t = n ? self->type(n->as_string()) : nullptr;
    return t ? self->named_type_value(*t) : Value();
  };
  typename_field_.name = "__typename";
  typename_field_.type = intern_wrap(TypeExpr::Kind::NonNull, intern_named(type("String")));

  auto sync = [this](const char* t, const char* f, SyncResolver r) {
    auto s = try_resolve_sync(t, f, std::move(r));
    (void)s;
  };
  sync("__Schema", "description", [self](const FieldContext&) -> base::Result<Value> {
    return opt_string(self->description_);
  });
  sync("__Schema", "types", [self](const FieldContext&) -> base::Result<Value> {
    Value list = Value::list();
    for (const TypeDef* t : self->type_order_) list.push(self->named_type_value(*t));
    return list;
  });
  sync("__Schema", "queryType", [self](const FieldContext&) -> base::Result<Value> {
    return self->named_type_value(*self->query_);
  });
  sync("__Schema", "mutationType", [self](const FieldContext&) -> base::Result<Value> {
    return self->mutation_ ? self->named_type_value(*self->mutation_) : Value();
  });
  sync("__Schema", "subscriptionType", [self](const FieldContext&) -> base::Result<Value> {
    return self->subscription_ ? self->named_type_value(*self->subscription_) : Value();
  });
  sync("__Schema", "directives", [self, input_values](const FieldContext&) -> base::Result<Value> {
    Value list = Value::list();
    for (const DirectiveDef* d : self->directive_order_) {
      Value v = Value::object();
      v.set("name", Value(d->name));
      v.set("description", opt_string(d->description));
      v.set("isRepeatable", Value(d->repeatable));
      Value locs = Value::list();
      for (auto l : d->locations) locs.push(Value::enum_value(std::string(location_name(l))));
      v.set("locations", std::move(locs));
      v.set("__args", input_values(d->args, true));
      v.set("__argsActive", input_values(d->args, false));
      list.push(std::move(v));
    }
    return list;
  });
  auto args_resolver = [](const FieldContext& c) -> base::Result<Value> {
    const Value* v = c.parent.find(include_deprecated(c) ? "__args" : "__argsActive");
    return v ? *v : Value::list();
  };
  sync("__Directive", "args", args_resolver);
  sync("__Field", "args", args_resolver);

  sync("__Type", "description", [named](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    return t ? opt_string(t->description) : Value();
  });
  sync("__Type", "specifiedByURL", [named](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    return t ? opt_string(t->specified_by_url) : Value();
  });
  sync("__Type", "isOneOf", [named](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    return t && t->kind == TypeKind::InputObject ? Value(t->one_of) : Value();
  });
  sync("__Type", "fields", [self, named, input_values](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    if (!t || (t->kind != TypeKind::Object && t->kind != TypeKind::Interface)) return Value();
    bool all = include_deprecated(c);
    Value list = Value::list();
    for (const FieldDef& f : t->fields) {
      if (f.deprecated && !all) continue;
      Value v = Value::object();
      v.set("name", Value(f.name));
      v.set("description", opt_string(f.description));
      v.set("__args", input_values(f.args, true));
      v.set("__argsActive", input_values(f.args, false));
      v.set("type", self->type_value(*f.type));
      v.set("isDeprecated", Value(f.deprecated));
      v.set("deprecationReason", f.deprecated ? Value(f.deprecation_reason) : Value());
      list.push(std::move(v));
    }
    return list;
  });
  sync("__Type", "interfaces", [self, named](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    if (!t || (t->kind != TypeKind::Object && t->kind != TypeKind::Interface)) return Value();
    Value list = Value::list();
    for (const TypeDef* i : t->interfaces) list.push(self->named_type_value(*i));
    return list;
  });
  sync("__Type", "possibleTypes", [self, named](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    if (!t || !t->is_abstract()) return Value();
    Value list = Value::list();
    for (const TypeDef* p : t->possible_types) list.push(self->named_type_value(*p));
    return list;
  });
  sync("__Type", "enumValues", [named](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    if (!t || t->kind != TypeKind::Enum) return Value();
    bool all = include_deprecated(c);
    Value list = Value::list();
    for (const auto& e : t->enum_values) {
      if (e.deprecated && !all) continue;
      Value v = Value::object();
      v.set("name", Value(e.name));
      v.set("description", opt_string(e.description));
      v.set("isDeprecated", Value(e.deprecated));
      v.set("deprecationReason", e.deprecated ? Value(e.deprecation_reason) : Value());
      list.push(std::move(v));
    }
    return list;
  });
  sync("__Type", "inputFields", [named, input_values](const FieldContext& c) -> base::Result<Value> {
    const TypeDef* t = named(c);
    if (!t || t->kind != TypeKind::InputObject) return Value();
    return input_values(t->input_fields, include_deprecated(c));
  });
}

}  // namespace parley::graphql
