// Inputs the fuzzer found, kept as regression tests (server/fuzz/graphql/).
#include <gtest/gtest.h>

#include "graphql/graphql.hpp"

namespace parley::graphql {
namespace {

constexpr std::string_view kFuzzSchema = R"(
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

TEST(FuzzRegressions, ArgumentsOfASubscriptionRootField) {
  // crash-639dd2d1: validating the arguments of Subscription.events read
  // outside the field's argument list.
  auto schema = Schema::from_sdl(kFuzzSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().to_string();
  auto r = prepare(**schema, "subscription { events(from: 1) { n } }", "", Limits{});
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(r));
  r = prepare(**schema, "subscription { events(to: 1) { n } }", "", Limits{});
  ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(r));
  EXPECT_EQ(std::get<std::vector<Error>>(r)[0].code, "GRAPHQL_VALIDATION_FAILED");
}

}  // namespace
}  // namespace parley::graphql
