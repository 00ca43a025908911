// libFuzzer target: the input is parsed as a GraphQL document (executable and
// SDL), prepared against a small fixed schema (validation + limits), executed
// with default resolvers when it validates, and also tried as a schema.
// Nothing in here may crash, assert or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graphql/graphql.hpp"
#include "graphql/parser.hpp"

namespace {

constexpr std::string_view kSchema = R"(
type Query { me: User users(first: Int = 10, filter: Filter): [User!]! node(id: ID!): Node search(text: String!): [Result!] }
type Mutation { rename(name: String!): User }
type Subscription { events(from: Int): Event }
type Event { n: Int! }
interface Node { id: ID! }
type User implements Node { id: ID! name: String! friends(first: Int): [User] color: Color tags: [String!] }
type Post implements Node { id: ID! title: String @deprecated(reason: "x") }
union Result = User | Post
enum Color { RED GREEN }
input Filter @oneOf { name: String id: ID }
scalar Json @specifiedBy(url: "https://example.com")
directive @cached(ttl: Int = 5) repeatable on FIELD | QUERY
)";

const parley::graphql::Schema& schema() {
  static auto s = *parley::graphql::Schema::from_sdl(kSchema);
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parley::graphql;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  {
    ast::Arena arena;
    ParseOptions opts;
    opts.max_tokens = 20000;
    auto r = parse(text, arena, opts);
    if (r.ok()) {
      for (const auto& d : r.document->definitions) {
        if (d.kind == ast::Definition::Kind::Operation) {
          for (const auto& v : d.operation->variables) {
            if (v.default_value) (void)ast::print_value(*v.default_value);
          }
        }
      }
    } else {
      (void)ast::line_column(text, r.error.pos);
    }
  }
  Limits limits;
  auto prepared = prepare(schema(), text, {}, limits);
  if (auto* op = std::get_if<std::shared_ptr<const PreparedOperation>>(&prepared)) {
    if ((*op)->kind() != PreparedOperation::Kind::Subscription) {
      Value root = Value::object().set("me", Value::object().set("id", "1").set("name", "n"));
      auto response = parley::base::sync_wait(execute(schema(), **op, Value(), {}, root));
      std::string out;
      response.write_json(out);
    }
  }
  auto s = Schema::from_sdl(text);
  if (s.ok()) (void)(*s)->print_schema();
  auto json = Value::from_json(text);
  if (json.ok()) (void)json->to_json();
  return 0;
}
