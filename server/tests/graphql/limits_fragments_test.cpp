// Depth, aliases and cost count a fragment once per spread (fragments
// expand), including fragments spread several times and spread cycles.
#include <gtest/gtest.h>

#include "graphql/graphql.hpp"

namespace parley::graphql {
namespace {

constexpr std::string_view kSdl =
    "type Query { me: User users(first: Int): [User] } "
    "type User { name: String friends(first: Int): [User] contacts: [User] }";

// me: 1 + F + contacts(1 + 10 * F); users(first: 3): 1 + 3 * F; F = a(1) + friends(first: 2)(1 + 2 * name) = 4.
constexpr std::string_view kQuery =
    "query { me { ...F contacts { ...F } } users(first: 3) { ...F } } "
    "fragment F on User { a: name friends(first: 2) { name } }";

std::vector<Error> errors_of(const Schema& schema, std::string_view query, const Limits& limits) {
  auto r = prepare(schema, query, "", limits);
  auto* errors = std::get_if<std::vector<Error>>(&r);
  return errors ? *errors : std::vector<Error>{};
}

TEST(LimitsFragments, EveryLimitExpandsEachSpread) {
  auto schema = Schema::from_sdl(kSdl);
  ASSERT_TRUE(schema.ok());
  auto r = prepare(**schema, kQuery, "", {});
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(r));
  EXPECT_EQ(std::get<0>(r)->estimated_cost(), 59);

  Limits aliases;
  aliases.max_aliases = 2;
  auto a = errors_of(**schema, kQuery, aliases);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].message, "Query uses 3 aliases, more than the maximum of 2.");

  Limits depth;
  depth.max_depth = 3;
  auto d = errors_of(**schema, kQuery, depth);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "Query depth 4 exceeds the maximum of 3.");

  Limits cost;
  cost.max_cost = 58;
  auto c = errors_of(**schema, kQuery, cost);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].message, "Query cost 59 exceeds the maximum of 58.");
}

TEST(LimitsFragments, SpreadCyclesStopAtTheRepeatedFragment) {
  auto schema = Schema::from_sdl(kSdl);
  ASSERT_TRUE(schema.ok());
  // me -> A.friends -> B.friends -> x (A again: not expanded) = depth 4, refused before validation reports
  // the cycle; x counts once on each path.
  std::string_view q =
      "{ me { ...A } users { ...B } } fragment A on User { friends { ...B } } "
      "fragment B on User { friends { ...A x: name } }";
  Limits depth;
  depth.max_depth = 3;
  auto d = errors_of(**schema, q, depth);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "LIMIT_EXCEEDED");
  EXPECT_EQ(d[0].message, "Query depth 4 exceeds the maximum of 3.");
  Limits aliases;
  aliases.max_aliases = 1;
  auto a = errors_of(**schema, q, aliases);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].message, "Query uses 2 aliases, more than the maximum of 1.");
  auto v = errors_of(**schema, q, {});
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].code, "GRAPHQL_VALIDATION_FAILED");
}

}  // namespace
}  // namespace parley::graphql
