// Documents with more fragments, variables and fields than validation keeps
// inline (it switches to heap storage and hash indexes past a few dozen).
#include <gtest/gtest.h>

#include "graphql/graphql.hpp"

namespace parley::graphql {
namespace {

constexpr std::string_view kSdl =
    "type Query { me: User user(id: Int): User } type User { name: String friends(first: Int): [User] }";

TEST(ValidationScale, ManyFragmentsAndVariables) {
  auto schema = Schema::from_sdl(kSdl);
  ASSERT_TRUE(schema.ok());
  constexpr int kCount = 40;
  std::string q = "query Q(";
  for (int i = 0; i < kCount; ++i) q += "$v" + std::to_string(i) + ": Int ";
  q += ") { me { ";
  for (int i = 0; i < kCount; ++i) q += "...F" + std::to_string(i) + " ";
  q += "} }\n";
  for (int i = 0; i < kCount; ++i) {
    q += "fragment F" + std::to_string(i) + " on User { f" + std::to_string(i) + ": friends(first: $v" +
         std::to_string(i) + ") { name } name }\n";
  }
  Limits limits;
  limits.max_aliases = 100;
  limits.max_tokens = 100000;
  limits.max_cost = 1 << 30;
  auto r = prepare(**schema, q, "", limits);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(r))
      << std::get<1>(r)[0].message;
  // 40 x (alias + its list of names, first: $v is not a literal -> x10, + name).
  EXPECT_EQ(std::get<0>(r)->estimated_cost(), 1 + kCount * (1 + 10 + 1));

  // The last variable unused, the last fragment defined twice, a spread of an unknown one.
  std::string bad = q;
  bad.replace(bad.find("$v39) {"), 7, "$v38) {");
  bad += "fragment F39 on User { name }\n";
  bad.replace(bad.find("...F0 "), 6, "...F0 ...Nope ");
  auto e = prepare(**schema, bad, "", limits);
  ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(e));
  std::vector<std::string> messages;
  for (const auto& err : std::get<1>(e)) messages.push_back(err.message);
  EXPECT_NE(std::find(messages.begin(), messages.end(), "There can be only one fragment named \"F39\"."), messages.end());
  EXPECT_NE(std::find(messages.begin(), messages.end(), "Unknown fragment \"Nope\"."), messages.end());
  EXPECT_NE(std::find(messages.begin(), messages.end(), "Variable \"$v39\" is never used in operation \"Q\"."),
            messages.end());
}

}  // namespace
}  // namespace parley::graphql
