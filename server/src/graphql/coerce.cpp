// Input coercion (spec 3.5, 3.9, 3.10, 5.6, 6.4.1) and leaf serialisation.
#include <charconv>
#include <cmath>
#include <limits>

#include "graphql/schema.hpp"

namespace parley::graphql {

namespace {

constexpr std::int64_t kIntMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();

// A literal as an untyped Value (custom scalars).
Value untyped(const ast::ValueNode& n, const Value* variables) {
  using K = ast::ValueNode::Kind;
  switch (n.kind) {
    case K::Variable: {
      if (!variables) return Value();
      const Value* v = variables->find(n.text);
      return v ? *v : Value();
    }
    case K::Int: {
      std::int64_t i = 0;
      auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), i);
      if (r.ec == std::errc()) return Value(i);
      [[fallthrough]];
    }
    case K::Float: {
      double d = 0;
      std::from_chars(n.text.data(), n.text.data() + n.text.size(), d);
      return Value(d);
    }
    case K::String: return Value(n.text);
    case K::Boolean: return Value(n.text == "true");
    case K::Null: return Value();
    case K::Enum: return Value::enum_value(std::string(n.text));
    case K::List: {
      std::vector<Value> items;
      for (auto* i : n.list) items.push_back(untyped(*i, variables));
      return Value::list(std::move(items));
    }
    case K::Object: {
      Value o = Value::object();
      for (auto& f : n.fields) o.set(std::string(f.name), untyped(*f.value, variables));
      return o;
    }
  }
  return Value();
}

bool is_builtin_scalar(const TypeDef& t, std::string_view name) { return t.builtin && t.name == name; }

}  // namespace

bool coerce_literal(const ast::ValueNode& node, const TypeExpr& type, const Value* variables, Value& out,
                    std::string& error) {
  using K = ast::ValueNode::Kind;
  if (node.kind == K::Variable) {
    if (!variables) {
      out = Value();
      return true;
    }
    const Value* v = variables->find(node.text);
    if (!v || v->is_null()) {
      if (type.non_null()) {
        error = "Variable \"$" + std::string(node.text) + "\" of non-null type \"" + type.to_string() +
                "\" must not be null.";
        return false;
      }
      out = Value();
      return true;
    }
    out = *v;
    return true;
  }
  if (type.kind == TypeExpr::Kind::NonNull) {
    if (node.kind == K::Null) {
      error = "Expected value of type \"" + type.to_string() + "\", found null.";
      return false;
    }
    return coerce_literal(node, *type.of, variables, out, error);
  }
  if (node.kind == K::Null) {
    out = Value();
    return true;
  }
  if (type.kind == TypeExpr::Kind::List) {
    if (node.kind == K::List) {
      std::vector<Value> items;
      items.reserve(node.list.size());
      for (auto* item : node.list) {
        Value v;
        if (!coerce_literal(*item, *type.of, variables, v, error)) return false;
        items.push_back(std::move(v));
      }
      out = Value::list(std::move(items));
      return true;
    }
    Value v;
    if (!coerce_literal(node, *type.of, variables, v, error)) return false;
    out = Value::list({std::move(v)});
    return true;
  }
  const TypeDef& t = *type.named;
  auto printed = [&] { return ast::print_value(node); };
  switch (t.kind) {
    case TypeKind::Scalar:
      if (is_builtin_scalar(t, "Int")) {
        if (node.kind != K::Int) {
          error = "Int cannot represent non-integer value: " + printed();
          return false;
        }
        std::int64_t i = 0;
        auto r = std::from_chars(node.text.data(), node.text.data() + node.text.size(), i);
        if (r.ec != std::errc() || i < kIntMin || i > kIntMax) {
          error = "Int cannot represent non 32-bit signed integer value: " + printed();
          return false;
        }
        out = Value(i);
        return true;
      }
      if (is_builtin_scalar(t, "Float")) {
        if (node.kind != K::Int && node.kind != K::Float) {
          error = "Float cannot represent non numeric value: " + printed();
          return false;
        }
        double d = 0;
        auto r = std::from_chars(node.text.data(), node.text.data() + node.text.size(), d);
        if ((r.ec != std::errc() && r.ec != std::errc::result_out_of_range) || !std::isfinite(d)) {
          error = "Float cannot represent non numeric value: " + printed();
          return false;
        }
        out = Value(d);
        return true;
      }
      if (is_builtin_scalar(t, "String")) {
        if (node.kind != K::String) {
          error = "String cannot represent a non string value: " + printed();
          return false;
        }
        out = Value(node.text);
        return true;
      }
      if (is_builtin_scalar(t, "Boolean")) {
        if (node.kind != K::Boolean) {
          error = "Boolean cannot represent a non boolean value: " + printed();
          return false;
        }
        out = Value(node.text == "true");
        return true;
      }
      if (is_builtin_scalar(t, "ID")) {
        if (node.kind != K::String && node.kind != K::Int) {
          error = "ID cannot represent a non-string and non-integer value: " + printed();
          return false;
        }
        out = Value(node.text);
        return true;
      }
      out = untyped(node, variables);
      return true;
    case TypeKind::Enum:
      if (node.kind != K::Enum) {
        error = "Enum \"" + t.name + "\" cannot represent non-enum value: " + printed() + ".";
        return false;
      }
      if (!t.find_enum_value(node.text)) {
        error = "Value \"" + std::string(node.text) + "\" does not exist in \"" + t.name + "\" enum.";
        return false;
      }
      out = Value::enum_value(std::string(node.text));
      return true;
    case TypeKind::InputObject: {
      if (node.kind != K::Object) {
        error = "Expected value of type \"" + t.name + "\", found " + printed() + ".";
        return false;
      }
      for (auto& f : node.fields) {
        if (!t.find_input_field(f.name)) {
          error = "Field \"" + std::string(f.name) + "\" is not defined by type \"" + t.name + "\".";
          return false;
        }
      }
      Value obj = Value::object();
      for (const auto& def : t.input_fields) {
        const ast::ObjectField* given = nullptr;
        for (auto& f : node.fields) {
          if (f.name == def.name) {
            given = &f;
            break;
          }
        }
        bool absent = !given || (given->value->kind == K::Variable && variables &&
                                 !variables->find(given->value->text));
        if (absent) {
          if (def.default_value) {
            obj.set(def.name, *def.default_value);
          } else if (def.type->non_null() && (!given || variables)) {
            error = "Field \"" + t.name + "." + def.name + "\" of required type \"" + def.type->to_string() +
                    "\" was not provided.";
            return false;
          }
          continue;
        }
        Value v;
        if (!coerce_literal(*given->value, *def.type, variables, v, error)) return false;
        obj.set(def.name, std::move(v));
      }
      if (t.one_of) {
        if (node.fields.size() != 1) {
          error = "OneOf Input Object \"" + t.name + "\" must specify exactly one key.";
          return false;
        }
        const auto& only = node.fields[0];
        if (only.value->kind == K::Null ||
            (variables && only.value->kind == K::Variable &&
             (!variables->find(only.value->text) || variables->find(only.value->text)->is_null()))) {
          error = "Field \"" + t.name + "." + std::string(only.name) + "\" must be non-null.";
          return false;
        }
      }
      out = std::move(obj);
      return true;
    }
    default: error = "Unexpected input type \"" + t.name + "\"."; return false;
  }
}

bool coerce_input_value(const Value& value, const TypeExpr& type, Value& out, std::string& error,
                        std::string_view path) {
  auto where = [&] { return path.empty() ? std::string() : " at \"" + std::string(path) + "\""; };
  if (type.kind == TypeExpr::Kind::NonNull) {
    if (value.is_null()) {
      error = "Expected non-nullable type \"" + type.to_string() + "\" not to be null" + where() + ".";
      return false;
    }
    return coerce_input_value(value, *type.of, out, error, path);
  }
  if (value.is_null()) {
    out = Value();
    return true;
  }
  if (type.kind == TypeExpr::Kind::List) {
    if (value.kind() == Value::Kind::List) {
      std::vector<Value> items;
      items.reserve(value.size());
      std::size_t i = 0;
      for (const auto& item : value.items()) {
        Value v;
        std::string sub = std::string(path) + "[" + std::to_string(i++) + "]";
        if (!coerce_input_value(item, *type.of, v, error, sub)) return false;
        items.push_back(std::move(v));
      }
      out = Value::list(std::move(items));
      return true;
    }
    Value v;
    if (!coerce_input_value(value, *type.of, v, error, path)) return false;
    out = Value::list({std::move(v)});
    return true;
  }
  const TypeDef& t = *type.named;
  auto bad = [&](std::string what) {
    error = what + "; got " + value.to_json() + where() + ".";
    return false;
  };
  switch (t.kind) {
    case TypeKind::Scalar:
      if (is_builtin_scalar(t, "Int")) {
        std::int64_t i;
        if (value.kind() == Value::Kind::Int) {
          i = value.as_int();
        } else if (value.kind() == Value::Kind::Float && std::isfinite(value.as_float()) &&
                   std::floor(value.as_float()) == value.as_float() && std::fabs(value.as_float()) < 1e10) {
          i = static_cast<std::int64_t>(value.as_float());
        } else {
          return bad("Int cannot represent non-integer value");
        }
        if (i < kIntMin || i > kIntMax) return bad("Int cannot represent non 32-bit signed integer value");
        out = Value(i);
        return true;
      }
      if (is_builtin_scalar(t, "Float")) {
        if (value.kind() != Value::Kind::Int && value.kind() != Value::Kind::Float) {
          return bad("Float cannot represent non numeric value");
        }
        out = Value(value.as_float());
        return true;
      }
      if (is_builtin_scalar(t, "String")) {
        if (value.kind() != Value::Kind::String) return bad("String cannot represent a non string value");
        out = value;
        return true;
      }
      if (is_builtin_scalar(t, "Boolean")) {
        if (value.kind() != Value::Kind::Bool) return bad("Boolean cannot represent a non boolean value");
        out = value;
        return true;
      }
      if (is_builtin_scalar(t, "ID")) {
        if (value.kind() == Value::Kind::String) {
          out = value;
          return true;
        }
        if (value.kind() == Value::Kind::Int) {
          out = Value(std::to_string(value.as_int()));
          return true;
        }
        return bad("ID cannot represent value");
      }
      out = value;
      return true;
    case TypeKind::Enum:
      if ((value.kind() == Value::Kind::String || value.kind() == Value::Kind::Enum) &&
          t.find_enum_value(value.as_string())) {
        out = Value::enum_value(value.as_string());
        return true;
      }
      return bad("Value does not exist in \"" + t.name + "\" enum");
    case TypeKind::InputObject: {
      if (value.kind() != Value::Kind::Object) return bad("Expected type \"" + t.name + "\" to be an object");
      for (const auto& [k, v] : value.members()) {
        if (!t.find_input_field(k)) {
          error = "Field \"" + k + "\" is not defined by type \"" + t.name + "\"" + where() + ".";
          return false;
        }
      }
      Value obj = Value::object();
      for (const auto& def : t.input_fields) {
        const Value* given = value.find(def.name);
        std::string sub = path.empty() ? def.name : std::string(path) + "." + def.name;
        if (!given) {
          if (def.default_value) {
            obj.set(def.name, *def.default_value);
          } else if (def.type->non_null()) {
            error = "Field \"" + def.name + "\" of required type \"" + def.type->to_string() +
                    "\" was not provided" + where() + ".";
            return false;
          }
          continue;
        }
        Value v;
        if (!coerce_input_value(*given, *def.type, v, error, sub)) return false;
        obj.set(def.name, std::move(v));
      }
      if (t.one_of) {
        if (value.size() != 1 || value.members()[0].second.is_null()) {
          error = "OneOf Input Object \"" + t.name + "\" must specify exactly one non-null key" + where() + ".";
          return false;
        }
      }
      out = std::move(obj);
      return true;
    }
    default: error = "Unexpected input type \"" + t.name + "\"."; return false;
  }
}

bool serialize_leaf(const TypeDef& t, const Value& value, Value& out, std::string& error) {
  if (t.kind == TypeKind::Enum) {
    if ((value.kind() == Value::Kind::Enum || value.kind() == Value::Kind::String) &&
        t.find_enum_value(value.as_string())) {
      out = value.kind() == Value::Kind::Enum ? value : Value::enum_value(value.as_string());
      return true;
    }
    error = "Enum \"" + t.name + "\" cannot represent value: " + value.to_json();
    return false;
  }
  if (!t.builtin) {
    out = value;
    return true;
  }
  const std::string& n = t.name;
  if (n == "Int") {
    if (value.kind() == Value::Kind::Int) {
      if (value.as_int() < kIntMin || value.as_int() > kIntMax) {
        error = "Int cannot represent non 32-bit signed integer value: " + value.to_json();
        return false;
      }
      out = value;
      return true;
    }
    if (value.kind() == Value::Kind::Float) {
      double d = value.as_float();
      if (std::isfinite(d) && std::floor(d) == d && d >= kIntMin && d <= kIntMax) {
        out = Value(static_cast<std::int64_t>(d));
        return true;
      }
    }
    if (value.kind() == Value::Kind::Bool) {
      out = Value(value.as_bool() ? 1 : 0);
      return true;
    }
    error = "Int cannot represent non-integer value: " + value.to_json();
    return false;
  }
  if (n == "Float") {
    if ((value.kind() == Value::Kind::Int || value.kind() == Value::Kind::Float) &&
        std::isfinite(value.as_float())) {
      out = Value(value.as_float());
      return true;
    }
    error = "Float cannot represent non numeric value: " + value.to_json();
    return false;
  }
  if (n == "String" || n == "ID") {
    switch (value.kind()) {
      case Value::Kind::String: out = value; return true;
      case Value::Kind::Enum: out = Value(value.as_string()); return true;
      case Value::Kind::Int: out = Value(std::to_string(value.as_int())); return true;
      case Value::Kind::Bool:
        if (n == "String") {
          out = Value(value.as_bool() ? "true" : "false");
          return true;
        }
        break;
      case Value::Kind::Float:
        if (n == "String") {
          out = Value(value.to_json());
          return true;
        }
        break;
      default: break;
    }
    error = n + " cannot represent value: " + value.to_json();
    return false;
  }
  if (n == "Boolean") {
    if (value.kind() == Value::Kind::Bool) {
      out = value;
      return true;
    }
    error = "Boolean cannot represent a non boolean value: " + value.to_json();
    return false;
  }
  out = value;
  return true;
}

}  // namespace parley::graphql
