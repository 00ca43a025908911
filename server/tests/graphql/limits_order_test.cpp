// A document that is both too deep and invalid is refused for its depth:
// the shape limits run before validation.
#include <gtest/gtest.h>

#include "graphql/graphql.hpp"

namespace parley::graphql {
namespace {

TEST(LimitsOrder, DepthIsCheckedBeforeValidation) {
  auto schema = Schema::from_sdl("type Query { me: User } type User { name: String }");
  ASSERT_TRUE(schema.ok());
  std::string deep = "{ me ";
  for (int i = 0; i < 200; ++i) deep += "{ name ";
  for (int i = 0; i < 200; ++i) deep += "}";
  deep += " }";
  Limits limits;
  auto r = prepare(**schema, deep, "", limits);
  auto* errors = std::get_if<std::vector<Error>>(&r);
  ASSERT_NE(errors, nullptr);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].code, "LIMIT_EXCEEDED");
  EXPECT_NE((*errors)[0].message.find("depth"), std::string::npos);

  std::string aliases = "{ ";
  for (int i = 0; i < 40; ++i) aliases += "a" + std::to_string(i) + ": nope ";
  aliases += "}";
  r = prepare(**schema, aliases, "", limits);
  errors = std::get_if<std::vector<Error>>(&r);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ((*errors)[0].code, "LIMIT_EXCEEDED");

  // Within the limits, an invalid document is a validation failure.
  r = prepare(**schema, "{ me { nope } }", "", limits);
  errors = std::get_if<std::vector<Error>>(&r);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ((*errors)[0].code, "GRAPHQL_VALIDATION_FAILED");
}

}  // namespace
}  // namespace parley::graphql
