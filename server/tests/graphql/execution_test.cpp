#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "graphql/graphql.hpp"
#include "introspection_query.hpp"
#include "test_schema.hpp"

namespace parley::graphql {
namespace {

using base::Result;
using base::Status;
using base::Task;

std::shared_ptr<Schema> make_schema(std::string_view sdl) {
  auto r = Schema::from_sdl(sdl);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : nullptr;
}

// Prepares and runs `query`, returning the response as JSON.
std::string run(const Schema& schema, std::string_view query, const Value& variables = Value(),
                Value root = Value::object(), std::any ctx = {}) {
  auto prepared = prepare(schema, query, {}, Limits{});
  if (auto* errors = std::get_if<std::vector<Error>>(&prepared)) {
    Response r;
    r.errors = *errors;
    return r.to_json();
  }
  auto op = std::get<0>(prepared);
  return base::sync_wait(execute(schema, *op, variables, std::move(ctx), std::move(root))).to_json();
}

Value json(std::string_view text) {
  auto v = Value::from_json(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : Value();
}

// Suspends for real: resumes only after the executor ran everything queued before.
Task<int> yield_once() {
  auto c = std::make_shared<base::Completion<int>>();
  base::current_executor()->post([c] { c->complete(1); });
  co_return co_await *c;
}

constexpr std::string_view kSdl = R"(
type Query {
  hello: String
  me: User
  user(id: ID!): User
  users: [User!]
  maybeUsers: [User]
  required: String!
  echo(i: Int, f: Float, s: String, b: Boolean, id: ID, e: Color, list: [Int], input: Filter, nn: Int! = 5): String
  args(x: Int, y: String = "dflt"): String
  node(id: ID!): Node
  search: [SearchResult!]!
  slowA: Int
  slowB: Int
  slowC: Int
  fail(code: String): String
  badInt: Int
  color: Color
}
type Mutation { step(n: Int!): Int }
type Subscription { ticks(from: Int): Tick }
type Tick { n: Int! label: String }
interface Node { id: ID! }
type User implements Node { id: ID! displayName: String! email: String friends: [User!] }
type Post implements Node { id: ID! title: String }
union SearchResult = User | Post
enum Color { RED GREEN }
input Filter { name: String! limit: Int = 10 tags: [String] }
)";

class Executor : public ::testing::Test {
 protected:
  void SetUp() override { schema_ = make_schema(kSdl); }
  std::shared_ptr<Schema> schema_;
};

TEST_F(Executor, DefaultResolversReadTheParentObject) {
  Value root = json(R"({"hello":"world","me":{"id":"u1","displayName":"Ann","friends":[{"id":"u2","displayName":"Bob"}]}})");
  EXPECT_EQ(run(*schema_, "{ hello me { id name: displayName friends { id displayName } __typename } }", {}, root),
            R"({"data":{"hello":"world","me":{"id":"u1","name":"Ann","friends":[{"id":"u2","displayName":"Bob"}],"__typename":"User"}}})");
}

TEST_F(Executor, SyncAndAsyncResolversSeeArgumentsAndContext) {
  schema_->resolve_sync("Query", "user", [](const FieldContext& c) -> Result<Value> {
    return Value::object().set("id", c.args.find("id")->as_string()).set("displayName", std::any_cast<std::string>(c.context));
  });
  schema_->resolve("Query", "args", [](const FieldContext& c) -> Task<Result<Value>> {
    std::string out;
    for (const auto& [k, v] : c.args.members()) out += k + "=" + v.to_json() + ";";
    co_await yield_once();
    co_return Value(out);
  });
  std::string ctx = "from-context";
  EXPECT_EQ(run(*schema_, "{ user(id: 7) { id displayName } a: args b: args(x: 1, y: null) }", {}, Value::object(), ctx),
            R"({"data":{"user":{"id":"7","displayName":"from-context"},"a":"y=\"dflt\";","b":"x=1;y=null;"}})");
}

TEST_F(Executor, NonNullErrorsPropagateToTheNearestNullableParent) {
  Value root = json(R"({"me":{"id":"u1","displayName":null},"users":[{"id":"1","displayName":"a"},{"id":"2"}],
                        "maybeUsers":[{"id":"1","displayName":"a"},{"id":"2"}]})");
  std::string r = run(*schema_, "{ me { id displayName } users { id displayName } maybeUsers { id displayName } hello }", {}, root);
  EXPECT_EQ(r,
            R"({"errors":[)"
            R"({"message":"Cannot return null for non-nullable field User.displayName.","locations":[{"line":1,"column":11}],"path":["me","displayName"],"extensions":{"code":"INTERNAL"}},)"
            R"({"message":"Cannot return null for non-nullable field User.displayName.","locations":[{"line":1,"column":36}],"path":["users",1,"displayName"],"extensions":{"code":"INTERNAL"}},)"
            R"({"message":"Cannot return null for non-nullable field User.displayName.","locations":[{"line":1,"column":66}],"path":["maybeUsers",1,"displayName"],"extensions":{"code":"INTERNAL"}}],)"
            R"("data":{"me":null,"users":null,"maybeUsers":[{"id":"1","displayName":"a"},null],"hello":null}})");
}

TEST_F(Executor, NullInNonNullRootFieldNullsData) {
  std::string r = run(*schema_, "{ hello required }", {}, json(R"({"hello":"hi"})"));
  EXPECT_EQ(r, R"({"errors":[{"message":"Cannot return null for non-nullable field Query.required.","locations":[{"line":1,"column":9}],"path":["required"],"extensions":{"code":"INTERNAL"}}],"data":null})");
}

TEST_F(Executor, ResolverStatusesBecomeCodedErrors) {
  schema_->resolve("Query", "fail", [](const FieldContext& c) -> Task<Result<Value>> {
    std::string code = c.args.find("code")->as_string();
    co_await yield_once();
    if (code == "rate") co_return Status::rate_limited("slow down", 3);
    if (code == "field") co_return Status::bad_request("bad email").with_field("email");
    if (code == "internal") co_return Status::internal("db password is hunter2");
    if (code == "throw") throw std::runtime_error("boom");
    co_return Status::not_found("no such thing");
  });
  std::string r = run(*schema_, R"({ a: fail(code: "rate") b: fail(code: "field") c: fail(code: "internal") d: fail(code: "x") e: fail(code: "throw") hello })",
                      {}, json(R"({"hello":"still here"})"));
  EXPECT_NE(r.find(R"("message":"slow down","locations":[{"line":1,"column":3}],"path":["a"],"extensions":{"code":"RATE_LIMITED","retryAfter":3}})"), std::string::npos) << r;
  EXPECT_NE(r.find(R"("path":["b"],"extensions":{"code":"BAD_REQUEST","field":"email"}})"), std::string::npos) << r;
  EXPECT_NE(r.find(R"({"message":"Internal error","locations":[{"line":1,"column":48}],"path":["c"],"extensions":{"code":"INTERNAL"}})"), std::string::npos) << r;
  EXPECT_EQ(r.find("hunter2"), std::string::npos);
  EXPECT_EQ(r.find("boom"), std::string::npos);
  EXPECT_NE(r.find(R"("extensions":{"code":"NOT_FOUND"})"), std::string::npos);
  EXPECT_NE(r.find(R"("data":{"a":null,"b":null,"c":null,"d":null,"e":null,"hello":"still here"})"), std::string::npos) << r;
}

TEST_F(Executor, QueryFieldsRunConcurrently) {
  // Each resolver records that it started, then waits on a Completion that the
  // event loop completes only after everything queued so far has run: when the
  // fields run concurrently, all three have started by then.
  auto started = std::make_shared<int>(0);
  for (const char* f : {"slowA", "slowB", "slowC"}) {
    schema_->resolve("Query", f, [started](const FieldContext&) -> Task<Result<Value>> {
      ++*started;
      auto seen = std::make_shared<base::Completion<int>>();
      base::current_executor()->post([seen, started] { seen->complete(*started); });
      int siblings_started = co_await *seen;
      co_return Value(siblings_started);
    });
  }
  EXPECT_EQ(run(*schema_, "{ slowA slowB slowC }"), R"({"data":{"slowA":3,"slowB":3,"slowC":3}})");
}

TEST_F(Executor, MutationRootFieldsRunSerially) {
  auto log = std::make_shared<std::vector<std::string>>();
  schema_->resolve("Mutation", "step", [log](const FieldContext& c) -> Task<Result<Value>> {
    std::int64_t n = c.args.find("n")->as_int();
    log->push_back("start " + std::to_string(n));
    co_await yield_once();
    log->push_back("end " + std::to_string(n));
    co_return Value(n * 10);
  });
  EXPECT_EQ(run(*schema_, "mutation { a: step(n: 1) b: step(n: 2) c: step(n: 3) }"),
            R"({"data":{"a":10,"b":20,"c":30}})");
  EXPECT_EQ(*log, (std::vector<std::string>{"start 1", "end 1", "start 2", "end 2", "start 3", "end 3"}));
}

TEST_F(Executor, AsyncFieldsNestedUnderListsCompleteWithPaths) {
  schema_->resolve("Query", "users", [](const FieldContext&) -> Task<Result<Value>> {
    co_await yield_once();
    co_return json(R"([{"id":"1","displayName":"a"},{"id":"2","displayName":"b"}])");
  });
  schema_->resolve("User", "email", [](const FieldContext& c) -> Task<Result<Value>> {
    std::string id = c.parent.find("id")->as_string();
    co_await yield_once();
    if (id == "2") co_return Status::forbidden("hidden");
    co_return Value(id + "@example.com");
  });
  EXPECT_EQ(run(*schema_, "{ users { id email } }"),
            R"({"errors":[{"message":"hidden","locations":[{"line":1,"column":14}],"path":["users",1,"email"],"extensions":{"code":"FORBIDDEN"}}],)"
            R"("data":{"users":[{"id":"1","email":"1@example.com"},{"id":"2","email":null}]}})");
}

TEST_F(Executor, VariablesAreCoercedPerSpec) {
  schema_->resolve_sync("Query", "echo", [](const FieldContext& c) -> Result<Value> { return Value(c.args.to_json()); });
  const char* q = "query($i: Int, $f: Float, $id: ID, $e: Color, $list: [Int], $input: Filter) "
                  "{ echo(i: $i, f: $f, id: $id, e: $e, list: $list, input: $input) }";
  std::string ok = run(*schema_, q, json(R"({"i":3,"f":2,"id":42,"e":"RED","list":7,"input":{"name":"n"}})"));
  EXPECT_EQ(ok, R"({"data":{"echo":"{\"i\":3,\"f\":2,\"id\":\"42\",\"e\":\"RED\",\"list\":[7],\"input\":{\"name\":\"n\",\"limit\":10},\"nn\":5}"}})");
  // Absent variables leave arguments absent; explicit null stays null.
  EXPECT_EQ(run(*schema_, q, json(R"({"i":null})")), R"({"data":{"echo":"{\"i\":null,\"nn\":5}"}})");
  for (const char* bad : {R"({"i":3000000000})", R"({"i":1.5})", R"({"i":"3"})", R"({"e":"BLUE"})", R"({"id":true})",
                          R"({"input":{"limit":1}})", R"({"input":{"name":"x","nope":1}})", R"({"list":["a"]})"}) {
    std::string r = run(*schema_, q, json(bad));
    EXPECT_EQ(r.find("\"data\""), std::string::npos) << bad << " -> " << r;
    EXPECT_NE(r.find("BAD_REQUEST"), std::string::npos) << bad << " -> " << r;
  }
  std::string missing = run(*schema_, "query($s: String!) { echo(s: $s) }", Value::object());
  EXPECT_EQ(missing, R"({"errors":[{"message":"Variable \"$s\" of required type \"String!\" was not provided.","locations":[{"line":1,"column":7}],"extensions":{"code":"BAD_REQUEST"}}]})");
  // Defaults of variable definitions apply when the variable is absent.
  EXPECT_EQ(run(*schema_, "query($e: Color = GREEN) { echo(e: $e) }"), R"({"data":{"echo":"{\"e\":\"GREEN\",\"nn\":5}"}})");
}

TEST_F(Executor, LiteralArgumentsAreCoerced) {
  schema_->resolve_sync("Query", "echo", [](const FieldContext& c) -> Result<Value> { return Value(c.args.to_json()); });
  EXPECT_EQ(run(*schema_, R"({ echo(f: 1, id: 5, list: 3, e: RED, input: {name: "x", tags: "t"}, nn: 1) })"),
            R"({"data":{"echo":"{\"f\":1,\"id\":\"5\",\"e\":\"RED\",\"list\":[3],\"input\":{\"name\":\"x\",\"limit\":10,\"tags\":[\"t\"]},\"nn\":1}"}})");
}

TEST_F(Executor, AbstractTypesResolveByTypenameOrTypeResolver) {
  Value root = json(R"({"search":[{"__typename":"User","id":"u","displayName":"Ann"},{"__typename":"Post","id":"p","title":"T"}]})");
  const char* q = "{ search { __typename ... on User { displayName } ... on Post { title } ... on Node { id } } }";
  EXPECT_EQ(run(*schema_, q, {}, root),
            R"({"data":{"search":[{"__typename":"User","displayName":"Ann","id":"u"},{"__typename":"Post","title":"T","id":"p"}]}})");
  schema_->resolve_type("SearchResult", [](const Value& v) { return v.find("title") ? "Post" : "User"; });
  Value untyped = json(R"({"search":[{"id":"u","displayName":"Ann"},{"id":"p","title":"T"}]})");
  EXPECT_EQ(run(*schema_, q, {}, untyped),
            R"({"data":{"search":[{"__typename":"User","displayName":"Ann","id":"u"},{"__typename":"Post","title":"T","id":"p"}]}})");
  std::string bad = run(*schema_, "{ node(id: 1) { id } }", {}, json(R"({"node":{"__typename":"Nope","id":"1"}})"));
  EXPECT_NE(bad.find("must resolve to an Object type"), std::string::npos) << bad;
  EXPECT_NE(bad.find(R"("data":{"node":null})"), std::string::npos) << bad;
}

TEST_F(Executor, SkipAndIncludeDirectives) {
  Value root = json(R"({"hello":"h","color":"RED"})");
  const char* q = "query($yes: Boolean!, $no: Boolean!) { a: hello @include(if: $yes) b: hello @include(if: $no) "
                  "c: hello @skip(if: $yes) ... @skip(if: $no) { d: hello } ...F @include(if: false) color } fragment F on Query { e: hello }";
  EXPECT_EQ(run(*schema_, q, json(R"({"yes":true,"no":false})"), root), R"({"data":{"a":"h","d":"h","color":"RED"}})");
}

TEST_F(Executor, LeafSerialisationErrors) {
  std::string r = run(*schema_, "{ badInt color hello }", {}, json(R"({"badInt":"x","color":"BLUE","hello":5})"));
  EXPECT_NE(r.find("Int cannot represent non-integer value: \\\"x\\\""), std::string::npos) << r;
  EXPECT_NE(r.find("Enum \\\"Color\\\" cannot represent value"), std::string::npos) << r;
  EXPECT_NE(r.find(R"("data":{"badInt":null,"color":null,"hello":"5"})"), std::string::npos) << r;
}

class ListStream : public EventStream {
 public:
  explicit ListStream(int from) : next_(from) {}
  Task<std::optional<Value>> next() override {
    if (cancelled_ || next_ > 3) co_return std::nullopt;
    co_return Value::object().set("n", next_++);
  }
  void cancel() override { cancelled_ = true; }

 private:
  int next_;
  bool cancelled_ = false;
};

TEST_F(Executor, SubscriptionsStreamEventsThroughTheSelectionSet) {
  schema_->subscribe("ticks", [](const FieldContext& c) -> Task<Result<std::shared_ptr<EventStream>>> {
    co_return std::shared_ptr<EventStream>(std::make_shared<ListStream>(static_cast<int>(c.args.find("from")->as_int())));
  });
  schema_->resolve_sync("Tick", "label", [](const FieldContext& c) -> Result<Value> {
    return Value("tick " + std::to_string(c.parent.find("n")->as_int()));
  });
  auto prepared = prepare(*schema_, "subscription($f: Int) { ticks(from: $f) { n label } }", {}, {});
  auto op = std::get<0>(prepared);
  EXPECT_EQ(op->kind(), PreparedOperation::Kind::Subscription);
  Value vars = json(R"({"f":2})");
  auto stream = base::sync_wait(subscribe(*schema_, *op, vars, {}));
  ASSERT_TRUE(stream.ok()) << stream.status().to_string();
  std::vector<std::string> out;
  for (;;) {
    auto event = base::sync_wait((*stream)->next());
    if (!event) break;
    out.push_back(base::sync_wait(execute_event(*schema_, *op, vars, {}, *event)).to_json());
  }
  EXPECT_EQ(out, (std::vector<std::string>{R"({"data":{"ticks":{"n":2,"label":"tick 2"}}})",
                                           R"({"data":{"ticks":{"n":3,"label":"tick 3"}}})"}));
}

TEST_F(Executor, ErrorsSerialiseExtraExtensions) {
  Response r;
  Error e;
  e.message = "m";
  e.code = "RATE_LIMITED";
  e.extensions_extra = Value::object().set("retryAfter", 3).set("field", "email");
  e.path = {Value("a"), Value(0)};
  r.errors.push_back(e);
  EXPECT_EQ(r.to_json(), R"({"errors":[{"message":"m","path":["a",0],"extensions":{"code":"RATE_LIMITED","retryAfter":3,"field":"email"}}]})");
}

// ---- introspection

TEST(Introspection, StandardQueryDescribesTheSchema) {
  auto schema = make_schema(std::string(testing::kPetSchema) + R"(
    "A URL" scalar Url @specifiedBy(url: "https://url.spec.whatwg.org/")
    extend type Query { homepage: Url @deprecated(reason: "gone") old(flag: Boolean @deprecated): Int }
  )");
  std::string r = run(*schema, testing::kIntrospectionQuery);
  auto v = json(r);
  ASSERT_EQ(v.find("errors"), nullptr) << r.substr(0, 500);
  const Value& s = *v.find("data")->find("__schema");
  EXPECT_EQ(s.find("queryType")->find("name")->as_string(), "Query");
  EXPECT_EQ(s.find("mutationType")->find("name")->as_string(), "Mutation");
  EXPECT_EQ(s.find("subscriptionType")->find("name")->as_string(), "Subscription");
  auto type = [&](std::string_view name) -> const Value* {
    for (const auto& t : s.find("types")->items()) {
      if (t.find("name")->as_string() == name) return &t;
    }
    return nullptr;
  };
  ASSERT_NE(type("__Schema"), nullptr);
  ASSERT_NE(type("String"), nullptr);
  const Value* dog = type("Dog");
  ASSERT_NE(dog, nullptr);
  EXPECT_EQ(dog->find("kind")->as_string(), "OBJECT");
  EXPECT_EQ(dog->find("interfaces")->items()[0].find("name")->as_string(), "Pet");
  EXPECT_TRUE(dog->find("enumValues")->is_null());
  const Value& name_field = dog->find("fields")->items()[0];
  EXPECT_EQ(name_field.find("name")->as_string(), "name");
  EXPECT_EQ(name_field.find("type")->to_json(),
            R"({"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","name":"String","ofType":null}})");
  const Value* pet = type("Pet");
  EXPECT_EQ(pet->find("possibleTypes")->size(), 2u);
  EXPECT_TRUE(type("SearchBy")->find("isOneOf")->as_bool());
  EXPECT_FALSE(type("FindDogInput")->find("isOneOf")->as_bool());
  EXPECT_EQ(type("Url")->find("specifiedByURL")->as_string(), "https://url.spec.whatwg.org/");
  EXPECT_EQ(type("Url")->find("description")->as_string(), "A URL");
  const Value* query = type("Query");
  bool saw_homepage = false;
  for (const auto& f : query->find("fields")->items()) {
    if (f.find("name")->as_string() == "homepage") {
      saw_homepage = true;
      EXPECT_TRUE(f.find("isDeprecated")->as_bool());
      EXPECT_EQ(f.find("deprecationReason")->as_string(), "gone");
    }
    if (f.find("name")->as_string() == "old") {
      EXPECT_EQ(f.find("args")->items()[0].find("deprecationReason")->as_string(), "No longer supported");
    }
  }
  EXPECT_TRUE(saw_homepage);
  const Value* args_type = type("Arguments");
  for (const auto& f : args_type->find("fields")->items()) {
    if (f.find("name")->as_string() == "optionalNonNullBooleanArgField") {
      EXPECT_EQ(f.find("args")->items()[0].find("defaultValue")->as_string(), "false");
    }
  }
  bool saw_deprecated = false;
  for (const auto& d : s.find("directives")->items()) {
    if (d.find("name")->as_string() != "deprecated") continue;
    saw_deprecated = true;
    EXPECT_FALSE(d.find("isRepeatable")->as_bool());
    EXPECT_EQ(d.find("args")->items()[0].find("defaultValue")->as_string(), "\"No longer supported\"");
    EXPECT_EQ(d.find("locations")->size(), 4u);
  }
  EXPECT_TRUE(saw_deprecated);
}

TEST(Introspection, DeprecatedFieldsHiddenUnlessAsked) {
  auto schema = make_schema("type Query { a: Int b: Int @deprecated }");
  EXPECT_EQ(run(*schema, "{ __type(name: \"Query\") { fields { name } all: fields(includeDeprecated: true) { name isDeprecated } } __typename }"),
            R"({"data":{"__type":{"fields":[{"name":"a"}],"all":[{"name":"a","isDeprecated":false},{"name":"b","isDeprecated":true}]},"__typename":"Query"}})");
  EXPECT_EQ(run(*schema, "{ __type(name: \"Nope\") { name } }"), R"({"data":{"__type":null}})");
}

TEST(Introspection, PrintedSchemaRebuildsTheSameSchema) {
  auto schema = make_schema(testing::kPetSchema);
  std::string printed = schema->print_schema();
  auto again = Schema::from_sdl(printed);
  ASSERT_TRUE(again.ok()) << again.status().to_string() << "\n" << printed;
  EXPECT_EQ((*again)->print_schema(), printed);
  EXPECT_EQ(schema->sdl(), testing::kPetSchema);
}

TEST(SchemaErrors, InvalidSchemasAreRejectedWithClearErrors) {
  struct Case {
    const char* sdl;
    const char* error;
  } cases[] = {
      {"type Query { a: Nope }", "Unknown type \"Nope\""},
      {"type Query { a: Int } type Query { b: Int }", "only one type named \"Query\""},
      {"type Foo { a: Int }", "Query root type must be provided"},
      {"type Query { a: In }\ninput In { x: Int }", "must be Output Type"},
      {"type Query { a(x: Query): Int }", "must be Input Type"},
      {"type Query { a: I } interface I { x: Int! } type T implements I { x: Int }", "expects type Int! but T.x is type Int"},
      {"type Query { a: I } interface I { x: Int } type T implements I { y: Int }", "Interface field I.x expected but T does not provide it"},
      {"type Query { a: I } interface I { x(a: Int): Int } type T implements I { x: Int }", "I.x(a:) expected"},
      {"type Query { a: I } interface I { x: Int } type T implements I { x(b: Int!): Int }", "must not be required type"},
      {"type Query { a: J } interface I { x: Int } interface J implements I { x: Int } type T implements J { x: Int }", "T must implement I because it is implemented by J"},
      {"type Query { a: U } union U = Query | I interface I { x: Int }", "can only include Object types"},
      {"type Query { a: Int } input A { b: B! } input B { a: A! }", "within itself through a series of non-null fields"},
      {"type Query { a(x: O): Int } input O @oneOf { a: Int! b: Int }", "must be nullable"},
      {"type Query { a: Int @unknown }", "Unknown directive \"@unknown\""},
      {"type Query { a: Int @specifiedBy(url: \"x\") }", "may not be used on FIELD_DEFINITION"},
      {"type Query { a(x: Int = \"s\"): Int }", "Invalid default value"},
      {"extend type Nope { a: Int } type Query { a: Int }", "Cannot extend type \"Nope\""},
      {"type Query { __a: Int }", "reserved by GraphQL introspection"},
      {"type Query { a: Int }\nquery { a }", "Executable definitions are not allowed"},
      {"type Query { a: Int", "1:20: Syntax Error"},
      {"schema { query: Q } type Q { a: Int } type Query { a: Int } schema { query: Query }", "only one schema definition"},
  };
  for (const auto& c : cases) {
    auto r = Schema::from_sdl(c.sdl);
    ASSERT_FALSE(r.ok()) << c.sdl;
    EXPECT_NE(r.error().message().find(c.error), std::string::npos) << c.sdl << " -> " << r.error().message();
  }
  auto ok = Schema::from_sdl("schema { query: Root } type Root { a: Int } extend type Root { b: [Int!]! @deprecated }");
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ((*ok)->query_type()->name, "Root");
  EXPECT_NE((*ok)->query_type()->find_field("b"), nullptr);
  EXPECT_FALSE((*ok)->try_resolve("Root", "nope", {}).is_ok());
}

}  // namespace
}  // namespace parley::graphql
