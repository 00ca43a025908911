#include "graphql/parser.hpp"

#include <gtest/gtest.h>

#include "graphql/graphql.hpp"

namespace parley::graphql {
namespace {

using namespace ast;

struct Parsed {
  std::string source;
  Arena arena;
  ParseResult result;
};

std::unique_ptr<Parsed> parse_text(std::string text, ParseOptions opts = {}) {
  auto p = std::make_unique<Parsed>();
  p->source = std::move(text);
  p->result = parse(p->source, p->arena, opts);
  return p;
}

// The single value of `{ f(a: <literal>) }`.
std::string string_arg(const std::string& literal) {
  auto p = parse_text("{ f(a: " + literal + ") }");
  EXPECT_TRUE(p->result.ok()) << literal << ": " << p->result.error.message;
  if (!p->result.ok()) return "<error>";
  const auto* sel = p->result.document->definitions[0].operation->selections[0];
  return std::string(sel->arguments[0].value->text);
}

std::string parse_error(const std::string& text, LineColumn* where = nullptr) {
  auto p = parse_text(text);
  EXPECT_FALSE(p->result.ok()) << text;
  if (where) *where = line_column(p->source, p->result.error.pos);
  return p->result.error.message;
}

TEST(Lexer, StringEscapes) {
  EXPECT_EQ(string_arg(R"("simple")"), "simple");
  EXPECT_EQ(string_arg(R"("quote \" backslash \\ slash \/ \b\f\n\r\t")"), "quote \" backslash \\ slash / \b\f\n\r\t");
  EXPECT_EQ(string_arg(R"("\u00e9")"), "\xC3\xA9");
  EXPECT_EQ(string_arg(R"("\u{1F600}")"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(string_arg(R"("\uD83D\uDE00")"), "\xF0\x9F\x98\x80");  // surrogate pair
  EXPECT_EQ(string_arg("\"unicode \xC3\xA9 raw\""), "unicode \xC3\xA9 raw");
}

TEST(Lexer, InvalidStrings) {
  EXPECT_NE(parse_error(R"({ f(a: "\uD83D") })").find("Invalid Unicode escape"), std::string::npos);
  EXPECT_NE(parse_error(R"({ f(a: "\uDE00") })").find("Invalid Unicode escape"), std::string::npos);
  EXPECT_NE(parse_error(R"({ f(a: "\u{110000}") })").find("Invalid Unicode escape"), std::string::npos);
  EXPECT_NE(parse_error(R"({ f(a: "\q") })").find("Invalid character escape"), std::string::npos);
  EXPECT_NE(parse_error("{ f(a: \"abc\n\") }").find("Unterminated string"), std::string::npos);
  EXPECT_NE(parse_error("{ f(a: \"bad \xFF utf8\") }").find("UTF-8"), std::string::npos);
}

TEST(Lexer, BlockStringsFollowTheIndentationAlgorithm) {
  EXPECT_EQ(string_arg("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\""),
            "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(string_arg(R"("""contains \""" triple quotes""")"), "contains \"\"\" triple quotes");
  EXPECT_EQ(string_arg(R"("""no escapes \n here""")"), "no escapes \\n here");
  EXPECT_EQ(string_arg("\"\"\"  first line kept\n  second\r\n  third\"\"\""), "  first line kept\nsecond\nthird");
  EXPECT_EQ(block_string_value("\n\n  \n"), "");
}

TEST(Lexer, Numbers) {
  EXPECT_EQ(string_arg("4"), "4");
  EXPECT_EQ(string_arg("-4"), "-4");
  EXPECT_EQ(string_arg("0"), "0");
  EXPECT_EQ(string_arg("4.123"), "4.123");
  EXPECT_EQ(string_arg("-1.123e4"), "-1.123e4");
  EXPECT_EQ(string_arg("1E+3"), "1E+3");
  EXPECT_NE(parse_error("{ f(a: 01) }").find("Invalid number"), std::string::npos);
  EXPECT_NE(parse_error("{ f(a: 1.) }").find("Invalid number"), std::string::npos);
  EXPECT_NE(parse_error("{ f(a: 1.5e) }").find("Invalid number"), std::string::npos);
  EXPECT_NE(parse_error("{ f(a: 123abc) }").find("Invalid number"), std::string::npos);
  EXPECT_NE(parse_error("{ f(a: 1.2.3) }").find("Invalid number"), std::string::npos);
}

TEST(Lexer, IgnoresCommasCommentsAndBom) {
  auto p = parse_text("\xEF\xBB\xBF# comment\n{ a,,, b # trailing\n c }");
  ASSERT_TRUE(p->result.ok()) << p->result.error.message;
  EXPECT_EQ(p->result.document->definitions[0].operation->selections.size(), 3u);
}

TEST(Parser, SpecKitchenSink) {
  const char* doc = R"(
query queryName($foo: ComplexType, $site: Site = MOBILE) @onQuery {
  whoever123is: node(id: [123, 456]) {
    id ,
    ... on User @onInlineFragment {
      field2 {
        id ,
        alias: field1(first:10, after:$foo,) @include(if: $foo) {
          id,
          ...frag @onFragmentSpread
        }
      }
    }
    ... @skip(unless: $foo) {
      id
    }
    ... {
      id
    }
  }
}

mutation likeStory @onMutation {
  like(story: 123) @onField {
    story {
      id @onField
    }
  }
}

subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition) @onSubscription {
  storyLikeSubscribe(input: $input) {
    story { likers { count } likeSentence { text } }
  }
}

fragment frag on Friend @onFragmentDefinition {
  foo(size: $size, bar: $b, obj: {key: "value", block: """
      block string uses \"""
  """})
}

{
  unnamed(truthy: true, falsy: false, nullish: null),
  query
}

query { __typename }
)";
  auto p = parse_text(doc);
  ASSERT_TRUE(p->result.ok()) << p->result.error.message;
  const auto& defs = p->result.document->definitions;
  ASSERT_EQ(defs.size(), 6u);
  const auto* q = defs[0].operation;
  EXPECT_EQ(q->name, "queryName");
  ASSERT_EQ(q->variables.size(), 2u);
  EXPECT_EQ(q->variables[1].default_value->text, "MOBILE");
  EXPECT_EQ(q->directives[0].name, "onQuery");
  const auto* node = q->selections[0];
  EXPECT_EQ(node->alias, "whoever123is");
  EXPECT_EQ(node->name, "node");
  EXPECT_EQ(node->arguments[0].value->kind, ValueNode::Kind::List);
  EXPECT_EQ(node->selections[1]->kind, Selection::Kind::InlineFragment);
  EXPECT_EQ(node->selections[1]->type_condition, "User");
  EXPECT_EQ(node->selections[2]->type_condition, "");
  EXPECT_EQ(defs[1].operation->kind, OperationKind::Mutation);
  EXPECT_EQ(defs[2].operation->kind, OperationKind::Subscription);
  EXPECT_EQ(defs[2].operation->variables[0].directives[0].name, "onVariableDefinition");
  EXPECT_EQ(defs[3].kind, Definition::Kind::Fragment);
  EXPECT_EQ(defs[3].fragment->type_condition, "Friend");
  const auto* obj = defs[3].fragment->selections[0]->arguments[2].value;
  EXPECT_EQ(obj->fields[1].value->text, "block string uses \"\"\"");
  EXPECT_TRUE(defs[4].operation->name.empty());
  EXPECT_EQ(defs[4].operation->selections[1]->name, "query");  // keywords are names
}

TEST(Parser, TypeSystemDefinitions) {
  const char* sdl = R"(
"""The schema"""
schema @dir { query: QueryType mutation: MutationType }
"A scalar" scalar Url @specifiedBy(url: "https://example.com")
type Foo implements Bar & Baz @dir {
  "field description"
  one: Type
  two(argument: InputType! = {a: 1} @dir): Type
  three(argument: InputType, other: String): Int @deprecated(reason: "no")
}
interface Bar implements Node { one: Type }
union Feed = | Story | Article
enum Site { DESKTOP "phones" MOBILE @deprecated }
input InputType { key: String! answer: Int = 42 }
directive @dir(arg: Int) repeatable on FIELD | QUERY | OBJECT | SCHEMA | ARGUMENT_DEFINITION
extend type Foo { seven(argument: [String]): Type }
extend schema @onSchema
extend union Feed = Photo
extend enum Site { VR }
extend input InputType { other: Float }
extend scalar Url @dir
extend interface Bar @dir
)";
  auto p = parse_text(sdl);
  ASSERT_TRUE(p->result.ok()) << p->result.error.message;
  const auto& defs = p->result.document->definitions;
  ASSERT_EQ(defs.size(), 15u);
  EXPECT_EQ(defs[0].schema->description, "The schema");
  EXPECT_EQ(defs[1].type->description, "A scalar");
  const auto* foo = defs[2].type;
  EXPECT_EQ(foo->interfaces.size(), 2u);
  EXPECT_EQ(foo->fields[0].description, "field description");
  EXPECT_EQ(foo->fields[1].arguments[0].default_value->kind, ValueNode::Kind::Object);
  EXPECT_EQ(defs[3].type->interfaces[0].name, "Node");
  EXPECT_EQ(defs[4].type->members.size(), 2u);
  EXPECT_EQ(defs[5].type->values[1].description, "phones");
  EXPECT_EQ(defs[7].directive->repeatable, true);
  EXPECT_EQ(defs[7].directive->locations.size(), 5u);
  EXPECT_TRUE(defs[8].type->is_extension);
  EXPECT_TRUE(defs[9].schema->is_extension);
}

TEST(Parser, ErrorsCarryLineAndColumn) {
  LineColumn lc{};
  EXPECT_EQ(parse_error("{\n  field(\n}", &lc), "Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(lc.line, 3);
  EXPECT_EQ(lc.column, 1);
  EXPECT_EQ(parse_error("query", &lc), "Syntax Error: Expected \"{\", found <EOF>.");
  EXPECT_EQ(parse_error("{ ...MissingOn }\nfragment MissingOn Type", &lc),
            "Syntax Error: Expected \"on\", found Name \"Type\".");
  EXPECT_EQ(lc.line, 2);
  EXPECT_EQ(lc.column, 20);
  EXPECT_EQ(parse_error("notAnOperation Foo { field }"), "Syntax Error: Unexpected Name \"notAnOperation\".");
  EXPECT_EQ(parse_error("{ f(a: $v) }\nquery Q($v: Int = $w) { f }", &lc),
            "Syntax Error: Unexpected variable \"$w\" in constant value.");
  EXPECT_EQ(parse_error("", &lc), "Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(parse_error("{ a \x01 }", &lc), "Syntax Error: Unexpected character: U+0001.");
  EXPECT_EQ(parse_error("fragment on on on { on }"), "Syntax Error: Unexpected Name \"on\".");
}

TEST(Parser, NestingAndTokenLimitsStopEarly) {
  std::string deep(10000, '[');
  auto p = parse_text("{ f(a: " + deep + ") }");
  ASSERT_FALSE(p->result.ok());
  EXPECT_TRUE(p->result.error.limit_exceeded);

  std::string many = "{";
  for (int i = 0; i < 100; ++i) many += " a" + std::to_string(i);
  many += " }";
  ParseOptions opts;
  opts.max_tokens = 50;
  auto q = parse_text(many, opts);
  ASSERT_FALSE(q->result.ok());
  EXPECT_TRUE(q->result.error.limit_exceeded);
  EXPECT_LT(q->result.error.pos, 200u);  // stopped near token 50, not at the end
}

TEST(Json, RoundTripsAndEscapes) {
  auto v = Value::from_json(R"({"a":[1,-2,3.5,true,false,null],"s":"\u00e9\n\"\\\ud83d\ude00","big":12345678901234,"e":1e3})");
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->find("a")->items()[0].as_int(), 1);
  EXPECT_EQ(v->find("a")->items()[2].as_float(), 3.5);
  EXPECT_EQ(v->find("s")->as_string(), "\xC3\xA9\n\"\\\xF0\x9F\x98\x80");
  EXPECT_EQ(v->find("big")->as_int(), 12345678901234);
  EXPECT_EQ(v->find("e")->kind(), Value::Kind::Float);
  EXPECT_EQ(v->to_json(), R"({"a":[1,-2,3.5,true,false,null],"s":"é\n\"\\😀","big":12345678901234,"e":1000})");
  auto again = Value::from_json(v->to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->to_json(), v->to_json());
}

TEST(Json, ControlCharactersAndInvalidUtf8AreEscapedOrReplaced) {
  Value s(std::string("a\x01\x1f\x7f b\xff\xc3", 8));
  EXPECT_EQ(s.to_json(), "\"a\\u0001\\u001f\x7f b\xEF\xBF\xBD\xEF\xBF\xBD\"");
  Value surrogate(std::string("\xED\xA0\x80"));  // CESU surrogate: invalid UTF-8
  EXPECT_EQ(surrogate.to_json(), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(Json, FloatsRoundTrip) {
  for (double d : {0.1, 1.0 / 3.0, 1e-300, 6.02214076e23, -0.5}) {
    auto back = Value::from_json(Value(d).to_json());
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->as_float(), d);
  }
}

TEST(Json, RejectsInvalidInput) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "\"\\ud800\"", "nul", "1 2",
                          "\"a\x01\"", "\"\xff\"", "{\"a\":1,}"}) {
    auto r = Value::from_json(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code(), base::Code::BadRequest);
    }
  }
  std::string deep(100000, '[');
  EXPECT_FALSE(Value::from_json(deep).ok());
}

TEST(Value, CopiesShareStorageAndCopyOnWrite) {
  Value a = Value::object().set("x", 1);
  Value b = a;
  b.set("x", 2).set("y", Value::list({1, "two"}));
  EXPECT_EQ(a.find("x")->as_int(), 1);
  EXPECT_EQ(a.find("y"), nullptr);
  EXPECT_EQ(b.find("x")->as_int(), 2);
  EXPECT_EQ(b.members()[1].first, "y");
  EXPECT_EQ(Value::enum_value("RED").to_json(), "\"RED\"");
  EXPECT_EQ(Value().as_string(), "");
  EXPECT_EQ(Value(3).items().size(), 0u);
}

}  // namespace
}  // namespace parley::graphql
