#include <gtest/gtest.h>

#include <algorithm>

#include "graphql/graphql.hpp"
#include "introspection_query.hpp"
#include "test_schema.hpp"

namespace parley::graphql {
namespace {

std::shared_ptr<Schema> pet_schema() {
  static std::shared_ptr<Schema> s = [] {
    auto r = Schema::from_sdl(testing::kPetSchema);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return *r;
  }();
  return s;
}

std::vector<Error> errors_of(std::string_view query, std::string_view op_name = {}, Limits limits = {}) {
  auto r = prepare(*pet_schema(), query, op_name, limits);
  if (auto* e = std::get_if<std::vector<Error>>(&r)) return *e;
  return {};
}

struct Case {
  const char* rule;
  const char* query;
  const char* error;  // nullptr: valid; else a substring of the first error
};

class ValidationRules : public ::testing::TestWithParam<Case> {};

TEST_P(ValidationRules, AcceptOrRejectWithTheRightMessage) {
  const Case& c = GetParam();
  auto errors = errors_of(c.query);
  // Documents with several operations need an operation name to execute; that
  // is not a validation error.
  errors.erase(std::remove_if(errors.begin(), errors.end(), [](const Error& e) { return e.code == "BAD_REQUEST"; }),
               errors.end());
  if (!c.error) {
    EXPECT_TRUE(errors.empty()) << c.rule << ": " << (errors.empty() ? "" : errors[0].message);
    return;
  }
  ASSERT_FALSE(errors.empty()) << c.rule << " should fail: " << c.query;
  bool found = false;
  for (const auto& e : errors) found = found || e.message.find(c.error) != std::string::npos;
  EXPECT_TRUE(found) << c.rule << ": got " << errors[0].message;
  EXPECT_EQ(errors[0].code, "GRAPHQL_VALIDATION_FAILED");
  EXPECT_FALSE(errors[0].locations.empty());
}

const Case kCases[] = {
    // 5.1.1 executable definitions
    {"executable ok", "query getDogName { dog { name color: nickname } }", nullptr},
    {"executable bad", "query getDogName { dog { name } } extend type Dog { color: String }", "is not executable"},
    // 5.2.1.1 operation name uniqueness
    {"op names ok", "query getDogName { dog { name } } query getOwnerName { dog { owner { name } } }", nullptr},
    {"op names dup", "query getName { dog { name } } query getName { dog { owner { name } } }",
     "only one operation named \"getName\""},
    {"op names dup kinds", "query dogOperation { dog { name } } mutation dogOperation { renameDog(name: \"x\") { name } }",
     "only one operation named"},
    // 5.2.2.1 lone anonymous operation
    {"lone anonymous ok", "{ dog { name } }", nullptr},
    {"lone anonymous bad", "{ dog { name } } query getName { dog { owner { name } } }", "anonymous operation must be the only"},
    // 5.2.3.1 subscription single root field
    {"subscription ok", "subscription sub { newMessage { body sender } }", nullptr},
    {"subscription fragment ok", "subscription sub { ...newMessageFields } fragment newMessageFields on Subscription { newMessage { body } }", nullptr},
    {"subscription two fields", "subscription sub { newMessage { body } disallowedSecondRootField }", "must select only one top level field"},
    {"subscription via fragment", "subscription sub { ...multipleSubscriptions } fragment multipleSubscriptions on Subscription { newMessage { body } disallowedSecondRootField }", "only one top level field"},
    {"subscription typename", "subscription sub { newMessage { body } __typename }", "only one top level field"},
    {"subscription introspection", "subscription sub { __typename }", "introspection top level field"},
    // 5.3.1 field selections
    {"fields ok", "fragment f on Dog { name barkVolume } { dog { ...f } }", nullptr},
    {"fields unknown", "fragment f on Dog { meowVolume } { dog { ...f } }", "Cannot query field \"meowVolume\" on type \"Dog\""},
    {"fields interface ok", "fragment f on Pet { name } { pet { ...f } }", nullptr},
    {"fields interface bad", "fragment f on Pet { nickname } { pet { ...f } }", "Cannot query field \"nickname\" on type \"Pet\""},
    {"fields union ok", "fragment f on CatOrDog { __typename ... on Pet { name } ... on Dog { barkVolume } } { catOrDog { ...f } }", nullptr},
    {"fields union direct", "fragment f on CatOrDog { name barkVolume } { catOrDog { ...f } }", "Cannot query field \"name\" on type \"CatOrDog\""},
    // 5.3.2 field selection merging
    {"merge ok", "fragment f on Dog { name otherName: name } { dog { ...f name } }", nullptr},
    {"merge different fields", "fragment f on Dog { name: nickname name } { dog { ...f } }", "\"nickname\" and \"name\" are different fields"},
    {"merge same args", "fragment f on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: SIT) } { dog { ...f } }", nullptr},
    {"merge diff args", "fragment f on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) } { dog { ...f } }", "differing arguments"},
    {"merge arg vs var", "query q($dogCommand: DogCommand!) { dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: $dogCommand) } }", "differing arguments"},
    {"merge missing arg", "{ dog { isHouseTrained(atOtherHomes: true) isHouseTrained } }", "differing arguments"},
    {"merge exclusive parents", "fragment f on Pet { ... on Dog { volume: barkVolume } ... on Cat { volume: meowVolume } } { pet { ...f } }", nullptr},
    {"merge exclusive args", "{ pet { ... on Dog { doesKnowCommand(dogCommand: SIT) } ... on Cat { doesKnowCommand(catCommand: JUMP) } } }", nullptr},
    {"merge conflicting types", "fragment f on Pet { ... on Dog { someValue: nickname } ... on Cat { someValue: meowVolume } } { pet { ...f } }", "conflicting types"},
    {"merge deep", "{ dog { owner { name } } dog { owner { n: name name: nickname2 } } }", "Cannot query field"},
    {"merge subfields", "{ dog { owner { name } } dog { owner { name: __typename } } }", "subfields \"name\" conflict"},
    // 5.3.3 leaf selections
    {"leaf ok", "{ dog { barkVolume } }", nullptr},
    {"leaf with selection", "{ dog { barkVolume { sinceWhen } } }", "must not have a selection"},
    {"composite without selection", "query directQueryOnObjectWithoutSubFields { human }", "must have a selection of subfields"},
    {"interface without selection", "{ pet }", "must have a selection of subfields"},
    // 5.4.1 argument names
    {"arg names ok", "fragment f on Dog { doesKnowCommand(dogCommand: SIT) } { dog { ...f } }", nullptr},
    {"arg names bad", "fragment f on Dog { doesKnowCommand(command: CLEAN_UP_HOUSE) } { dog { ...f } }", "Unknown argument \"command\""},
    {"directive arg bad", "{ dog { name @include(unless: false) } }", "Unknown argument \"unless\" on directive"},
    {"arg order", "{ arguments { multipleRequirements(y: 2, x: 1) } }", nullptr},
    // 5.4.2 argument uniqueness
    {"arg unique", "{ arguments { intArgField(intArg: 1, intArg: 2) } }", "only one argument named \"intArg\""},
    // 5.4.2.1 required arguments
    {"required ok", "{ arguments { nonNullBooleanArgField(nonNullBooleanArg: true) } }", nullptr},
    {"required default ok", "{ arguments { optionalNonNullBooleanArgField } }", nullptr},
    {"required missing", "{ arguments { nonNullBooleanArgField } }", "argument \"nonNullBooleanArg\" of type \"Boolean!\" is required"},
    {"required null", "{ arguments { nonNullBooleanArgField(nonNullBooleanArg: null) } }", "Expected value of type \"Boolean!\", found null"},
    {"required directive arg", "{ dog { name @include } }", "is required"},
    // 5.5.1.1 fragment name uniqueness
    {"fragment names dup", "{ dog { ...f } } fragment f on Dog { name } fragment f on Dog { owner { name } }", "only one fragment named \"f\""},
    // 5.5.1.2 spread type existence
    {"fragment unknown type", "{ dog { ...f } } fragment f on NotInSchema { name }", "Unknown type \"NotInSchema\""},
    {"inline unknown type", "{ dog { ... on NotInSchema { name } } }", "Unknown type \"NotInSchema\""},
    {"inline no type ok", "{ dog { ... @include(if: true) { name } } }", nullptr},
    // 5.5.1.3 fragments on composite types
    {"fragment on scalar", "{ dog { ...f } } fragment f on Boolean { somethingElse }", "cannot condition on non composite type \"Boolean\""},
    {"inline on scalar", "{ dog { ... on Boolean { somethingElse } } }", "non composite type \"Boolean\""},
    // 5.5.1.4 fragments must be used
    {"unused fragment", "fragment nameFragment on Dog { name } { dog { name } }", "Fragment \"nameFragment\" is never used"},
    // 5.5.2.1 spread target defined
    {"undefined fragment", "{ dog { ...undefinedFragment } }", "Unknown fragment \"undefinedFragment\""},
    // 5.5.2.2 no cycles
    {"cycle", "{ dog { ...nameFragment } } fragment nameFragment on Dog { name ...barkVolumeFragment } fragment barkVolumeFragment on Dog { barkVolume ...nameFragment }", "within itself"},
    {"self cycle", "{ dog { ...f } } fragment f on Dog { name owner { pets { ... on Dog { ...f } } } }", "Cannot spread fragment \"f\" within itself"},
    // 5.5.2.3 fragment spread is possible
    {"spread object in object ok", "fragment dogFragment on Dog { ... on Dog { barkVolume } } { dog { ...dogFragment } }", nullptr},
    {"spread object mismatch", "fragment catInDogFragmentInvalid on Dog { ... on Cat { meowVolume } } { dog { ...catInDogFragmentInvalid } }", "can never be of type \"Cat\""},
    {"spread abstract in object ok", "fragment petNameFragment on Pet { name } fragment interfaceWithinObjectFragment on Dog { ...petNameFragment } { dog { ...interfaceWithinObjectFragment } }", nullptr},
    {"spread union in object ok", "fragment catOrDogNameFragment on CatOrDog { ... on Cat { meowVolume } } fragment unionWithObjectFragment on Dog { ...catOrDogNameFragment } { dog { ...unionWithObjectFragment } }", nullptr},
    {"spread object in abstract ok", "fragment petFragment on Pet { name ... on Dog { barkVolume } } { pet { ...petFragment } }", nullptr},
    {"spread object in abstract bad", "fragment sentientFragment on Sentient { ... on Dog { barkVolume } } { human { ...sentientFragment } }", "can never be of type \"Dog\""},
    {"spread abstract in abstract ok", "fragment unionWithInterface on Pet { ...dogOrHumanFragment } fragment dogOrHumanFragment on DogOrHuman { ... on Dog { barkVolume } } { pet { ...unionWithInterface } }", nullptr},
    {"spread abstract in abstract bad", "fragment nonIntersectingInterfaces on Pet { ...sentientFragment } fragment sentientFragment on Sentient { name } { pet { ...nonIntersectingInterfaces } }", "can never be of type \"Sentient\""},
    // 5.6.1 values of correct type
    {"values ok", "{ arguments { intArgField(intArg: 1) booleanArgField(booleanArg: true) floatArgField(floatArg: 1) } findDog(searchBy: {name: \"Fido\"}) { name } }", nullptr},
    {"string for int", "{ arguments { intArgField(intArg: \"3\") } }", "Int cannot represent non-integer value: \"3\""},
    {"int out of range", "{ arguments { intArgField(intArg: 3000000000) } }", "non 32-bit signed integer"},
    {"float for int", "{ arguments { intArgField(intArg: 1.5) } }", "Int cannot represent non-integer value"},
    {"bad enum", "{ dog { doesKnowCommand(dogCommand: CLEAN_UP) } }", "does not exist in \"DogCommand\" enum"},
    {"string for enum", "{ dog { doesKnowCommand(dogCommand: \"SIT\") } }", "cannot represent non-enum value"},
    {"list coercion ok", "{ arguments { booleanListArgField(booleanListArg: true) } }", nullptr},
    {"list item bad", "{ arguments { booleanListArgField(booleanListArg: [true, 1]) } }", "Boolean cannot represent"},
    {"non-null list item", "{ arguments { stringListNonNullArgField(stringListNonNullArg: [\"a\", null]) } }", "found null"},
    // 5.6.2 input object field names
    {"input field unknown", "{ findDog(searchBy: { favoriteCookieFlavor: \"Bacon\" }) { name } }", "Field \"favoriteCookieFlavor\" is not defined by type \"FindDogInput\""},
    // 5.6.3 input object field uniqueness
    {"input field dup", "{ findDog(searchBy: { name: \"a\", name: \"b\" }) { name } }", "only one input field named \"name\""},
    // 5.6.4 required input fields / oneOf
    {"oneOf ok", "{ search(by: {name: \"x\"}) }", nullptr},
    {"oneOf two", "{ search(by: {name: \"x\", id: 1}) }", "exactly one key"},
    {"oneOf null", "{ search(by: {name: null}) }", "must be non-null"},
    {"oneOf nullable var", "query q($n: String) { search(by: {name: $n}) }", "used in position expecting type \"String!\""},
    // 5.7.1 directives defined
    {"unknown directive", "{ dog { name @unknown } }", "Unknown directive \"@unknown\""},
    // 5.7.2 directive location
    {"directive location", "query @skip(if: true) { dog { name } }", "may not be used on QUERY"},
    {"deprecated on field", "{ dog { name @deprecated } }", "may not be used on FIELD"},
    // 5.7.3 unique per location
    {"directive dup", "query ($foo: Boolean = true, $bar: Boolean = false) { dog @skip(if: $foo) @skip(if: $bar) { name } }", "can only be used once at this location"},
    {"directive different locations ok", "query ($foo: Boolean = true, $bar: Boolean = false) { dog @skip(if: $foo) { name } dog @skip(if: $bar) { nickname } }", nullptr},
    // 5.8.1 variable uniqueness
    {"var dup", "query houseTrainedQuery($atOtherHomes: Boolean, $atOtherHomes: Boolean) { dog { isHouseTrained(atOtherHomes: $atOtherHomes) } }", "only one variable named \"$atOtherHomes\""},
    // 5.8.2 variables are input types
    {"var input ok", "query takesBoolean($atOtherHomes: Boolean) { dog { isHouseTrained(atOtherHomes: $atOtherHomes) } } query takesComplexInput($complexInput: FindDogInput) { findDog(searchBy: $complexInput) { name } }", nullptr},
    {"var output type", "query takesCat($cat: Cat) { dog { name } }", "cannot be non-input type \"Cat\""},
    {"var union type", "query takesCatOrDog($catOrDog: [CatOrDog!]!) { dog { name } }", "non-input type \"[CatOrDog!]!\""},
    {"var unknown type", "query q($x: Nope) { dog { name } }", "Unknown type \"Nope\""},
    // 5.8.3 all variable uses defined
    {"var undefined", "query variableIsNotDefined { dog { isHouseTrained(atOtherHomes: $atOtherHomes) } }", "Variable \"$atOtherHomes\" is not defined by operation \"variableIsNotDefined\""},
    {"var undefined via fragment", "query variableIsNotDefinedUsedInSingleFragment { dog { ...isHouseTrainedFragment } } fragment isHouseTrainedFragment on Dog { isHouseTrained(atOtherHomes: $atOtherHomes) }", "is not defined by operation"},
    {"var defined via fragment ok", "query q($atOtherHomes: Boolean) { dog { ...isHouseTrainedFragment } } fragment isHouseTrainedFragment on Dog { isHouseTrained(atOtherHomes: $atOtherHomes) }", nullptr},
    {"var in list undefined", "{ arguments { booleanListArgField(booleanListArg: [$x]) } }", "Variable \"$x\" is not defined"},
    // 5.8.4 all variables used
    {"var unused", "query variableUnused($atOtherHomes: Boolean) { dog { isHouseTrained } }", "Variable \"$atOtherHomes\" is never used in operation \"variableUnused\""},
    {"var used in directive ok", "query q($b: Boolean!) { dog @include(if: $b) { name } }", nullptr},
    // 5.8.5 all variable usages allowed
    {"var int into boolean", "query intCannotGoIntoBoolean($intArg: Int) { arguments { booleanArgField(booleanArg: $intArg) } }", "Variable \"$intArg\" of type \"Int\" used in position expecting type \"Boolean\""},
    {"var list into scalar", "query booleanListCannotGoIntoBoolean($booleanListArg: [Boolean]) { arguments { booleanArgField(booleanArg: $booleanListArg) } }", "of type \"[Boolean]\" used in position expecting type \"Boolean\""},
    {"var nullable into non-null", "query booleanArgQuery($booleanArg: Boolean) { arguments { nonNullBooleanArgField(nonNullBooleanArg: $booleanArg) } }", "used in position expecting type \"Boolean!\""},
    {"var non-null into nullable ok", "query q($nonNullBooleanArg: Boolean!) { arguments { booleanArgField(booleanArg: $nonNullBooleanArg) } }", nullptr},
    {"var item into list ok", "query q($booleanArg: Boolean) { arguments { booleanListArgField(booleanListArg: [$booleanArg]) } }", nullptr},
    {"var list into non-null list ok", "query q($booleanList: [Boolean]!) { arguments { booleanListArgField(booleanListArg: $booleanList) } }", nullptr},
    {"var default allows non-null", "query q($booleanArg: Boolean = true) { arguments { nonNullBooleanArgField(nonNullBooleanArg: $booleanArg) } }", nullptr},
    {"var into defaulted non-null arg", "query q($booleanArg: Boolean) { arguments { optionalNonNullBooleanArgField(optionalBooleanArg: $booleanArg) } }", nullptr},
    {"var default wrong type", "query q($x: Int = \"a\") { arguments { intArgField(intArg: $x) } }", "Int cannot represent"},
    // introspection fields validate like any other
    {"introspection ok", "{ __schema { queryType { name } } __type(name: \"Dog\") { name fields { name } } }", nullptr},
    {"introspection unknown", "{ __schema { nope } }", "Cannot query field \"nope\" on type \"__Schema\""},
    {"mutation missing", "subscription { newMessage { body } } mutation { nope }", "Cannot query field \"nope\" on type \"Mutation\""},
};

INSTANTIATE_TEST_SUITE_P(Spec, ValidationRules, ::testing::ValuesIn(kCases));

TEST(Validation, ErrorsCarryLocations) {
  auto errors = errors_of("{\n  dog {\n    meowVolume\n  }\n}");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].locations[0].line, 3);
  EXPECT_EQ(errors[0].locations[0].column, 5);
}

TEST(Validation, OverlappingFieldsIsNotExponential) {
  // Each level repeats the same field twice: a naive merge check doubles per level.
  std::string q = "{ dog { ";
  std::string close;
  for (int i = 0; i < 6; ++i) {
    q += "owner { pets { ... on Dog { owner { pets { name } } } } } owner { pets { ... on Dog { owner { pets { name } } } } } ";
  }
  q += "} }";
  Limits limits;
  limits.max_depth = 100;
  limits.max_cost = 1 << 30;
  auto r = prepare(*pet_schema(), q, {}, limits);
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(r));
}

TEST(Prepare, SyntaxErrorsAreParseFailures) {
  auto errors = errors_of("{ dog { name }");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "GRAPHQL_PARSE_FAILED");
  EXPECT_EQ(errors[0].locations[0].line, 1);
  EXPECT_EQ(errors[0].locations[0].column, 15);
}

TEST(Prepare, OperationNameSelectsAnOperation) {
  const char* doc = "query A { dog { name } } query B { human { name } }";
  auto a = prepare(*pet_schema(), doc, "B", {});
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const PreparedOperation>>(a));
  EXPECT_EQ(std::get<0>(a)->name(), "B");
  auto missing = errors_of(doc);
  ASSERT_FALSE(missing.empty());
  EXPECT_EQ(missing[0].code, "BAD_REQUEST");
  auto unknown = errors_of(doc, "C");
  ASSERT_FALSE(unknown.empty());
  EXPECT_EQ(unknown[0].message, "Unknown operation named \"C\".");
}

TEST(Limits, DeepQueryIsRejected) {
  // dog.owner.pets -> (Dog) owner ...: 200 nested fields.
  std::string q = "{ dog { owner { ";
  std::string tail = "} }";
  for (int i = 0; i < 99; ++i) {
    q += "pets { ... on Dog { owner { ";
    tail += "} } }";
  }
  q += "name } " + tail;
  auto errors = errors_of(q);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].code, "LIMIT_EXCEEDED");
  EXPECT_NE(errors[0].message.find("depth"), std::string::npos);
  // Deeper than the parser's nesting guard: still a limit error, never a crash.
  std::string deeper;
  for (int i = 0; i < 3000; ++i) deeper += "a { ";
  Limits many_tokens;
  many_tokens.max_tokens = 100000;
  auto e2 = errors_of("{ " + deeper, {}, many_tokens);
  ASSERT_FALSE(e2.empty());
  EXPECT_EQ(e2[0].code, "LIMIT_EXCEEDED");
}

TEST(Limits, TokensAliasesCostAndBytes) {
  std::string many = "{ dog { ";
  for (int i = 0; i < 6000; ++i) many += "name ";
  many += "} }";
  auto t = errors_of(many);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0].code, "LIMIT_EXCEEDED");

  std::string aliases = "{ dog { ";
  for (int i = 0; i < 31; ++i) aliases += "a" + std::to_string(i) + ": name ";
  aliases += "} }";
  auto a = errors_of(aliases);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].code, "LIMIT_EXCEEDED");
  EXPECT_NE(a[0].message.find("aliases"), std::string::npos);
  Limits thirty_one;
  thirty_one.max_aliases = 31;
  EXPECT_TRUE(errors_of(aliases, {}, thirty_one).empty());

  // human.pets (list, x10) -> owner.pets (x10) -> owner.pets (x10): 1 + 10 + 10 + 100 + 100 + 1000 + 1000 ...
  Limits small;
  small.max_cost = 100;
  auto c = errors_of("{ human { pets { ... on Dog { owner { pets { ... on Dog { owner { name } } } } } } } }", {}, small);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].code, "LIMIT_EXCEEDED");
  EXPECT_NE(c[0].message.find("cost"), std::string::npos);

  Limits tiny;
  tiny.max_query_bytes = 10;
  auto b = errors_of("{ dog { name } }", {}, tiny);
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b[0].code, "LIMIT_EXCEEDED");
}

TEST(Limits, StandardIntrospectionQueryFitsDefaultLimits) {
  auto errors = errors_of(testing::kIntrospectionQuery);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
}

}  // namespace
}  // namespace parley::graphql
