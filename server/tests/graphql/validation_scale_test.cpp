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

namespace parley::graphql {
namespace {

// Field look-ups: names that share length, first and last letter, many
// fields on one type, and unknown names that resemble known ones.
TEST(ValidationScale, FieldLookupTellsSimilarNamesApart) {
  std::string sdl = "type Query { name: String nome: String a: Int b: Int ";
  for (int i = 0; i < 60; ++i) sdl += "f" + std::to_string(i) + ": Int ";
  sdl += "} type Wide { ";
  for (int i = 0; i < 60; ++i) sdl += "g" + std::to_string(i) + "x: Int ";
  sdl += "} extend type Query { wide: Wide }";
  auto schema = Schema::from_sdl(sdl);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  std::string all = "{ name nome a b wide { ";
  for (int i = 0; i < 60; ++i) all += "g" + std::to_string(i) + "x ";
  all += "} ";
  for (int i = 0; i < 60; ++i) all += "f" + std::to_string(i) + " ";
  all += "}";
  Limits limits;
  limits.max_tokens = 100000;
  auto ok = prepare(**schema, all, "", limits);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(ok)) << std::get<1>(ok)[0].message;
  for (std::string_view unknown : {"nxme", "f60", "g0", "c", "f1x"}) {
    auto r = prepare(**schema, "{ " + std::string(unknown) + " }", "", limits);
    ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(r)) << unknown;
    EXPECT_EQ(std::get<1>(r)[0].message, "Cannot query field \"" + std::string(unknown) + "\" on type \"Query\".");
  }
  auto w = prepare(**schema, "{ wide { g60x g1 } }", "", limits);
  ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(w));
  ASSERT_EQ(std::get<1>(w).size(), 2u);
  EXPECT_EQ(std::get<1>(w)[0].message, "Cannot query field \"g60x\" on type \"Wide\".");

  // 104 fields with distinct (length, first, last): "a0" .. "z3".
  std::string many_sdl = "type Query { ";
  std::string many_query = "{ ";
  for (char c = 'a'; c <= 'z'; ++c) {
    for (char d = '0'; d <= '3'; ++d) {
      many_sdl += std::string{c, d} + ": Int ";
      many_query += std::string{c, d} + " ";
    }
  }
  auto many = Schema::from_sdl(many_sdl + "}");
  ASSERT_TRUE(many.ok());
  auto m = prepare(**many, many_query + "}", "", limits);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(m)) << std::get<1>(m)[0].message;
  for (std::string_view unknown : {"a4", "ab0", "A0", "_"}) {
    auto r = prepare(**many, "{ " + std::string(unknown) + " }", "", limits);
    ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(r)) << unknown;
    EXPECT_EQ(std::get<1>(r)[0].message, "Cannot query field \"" + std::string(unknown) + "\" on type \"Query\".");
  }
}

}  // namespace
}  // namespace parley::graphql

namespace parley::graphql {
namespace {

TEST(ValidationScale, TypeLookupTellsSimilarNamesApart) {
  // 100 object types T0..T99 (and TT0..TT9, which share first and last letters with some of them).
  std::string sdl = "union Any = T0";
  for (int i = 1; i < 100; ++i) sdl += " | T" + std::to_string(i);
  sdl += "\ntype Query { any: Any }\n";
  for (int i = 0; i < 100; ++i) sdl += "type T" + std::to_string(i) + " { v: Int }\n";
  for (int i = 0; i < 10; ++i) sdl += "type TT" + std::to_string(i) + " { w: Int }\n";
  auto schema = Schema::from_sdl(sdl);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  std::string q = "{ any { ";
  for (int i = 0; i < 100; ++i) q += "... on T" + std::to_string(i) + " { v } ";
  q += "} }";
  Limits limits;
  limits.max_tokens = 100000;
  auto ok = prepare(**schema, q, "", limits);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(ok)) << std::get<1>(ok)[0].message;
  for (std::string_view unknown : {"T100", "TT10", "T", "t1", "T1x"}) {
    auto r = prepare(**schema, "{ any { ... on " + std::string(unknown) + " { __typename } } }", "", limits);
    ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(r)) << unknown;
    EXPECT_EQ(std::get<1>(r)[0].message, "Unknown type \"" + std::string(unknown) + "\".");
  }
  auto tt = prepare(**schema, "{ any { ... on TT3 { w } } }", "", limits);
  ASSERT_TRUE(std::holds_alternative<std::vector<Error>>(tt));
  EXPECT_EQ(std::get<1>(tt)[0].message,
            "Fragment cannot be spread here as objects of type \"Any\" can never be of type \"TT3\".");
}

}  // namespace
}  // namespace parley::graphql
