// Benchmarks of the GraphQL engine: parse+validate of a typical ~1 KB query
// against a realistic schema (bytes/s), parse alone, and executing a tiny
// query with synchronous resolvers.
#include <benchmark/benchmark.h>

#include "graphql/graphql.hpp"
#include "graphql/parser.hpp"

namespace parley::graphql {
namespace {

constexpr std::string_view kSchema = R"(
scalar DateTime
enum Presence { ONLINE AWAY BUSY OFFLINE }
enum ConversationKind { DIRECT GROUP }
interface Node { id: ID! }
type User implements Node {
  id: ID! displayName: String! email: String avatarUrl: String presence: Presence!
  contacts(first: Int = 20, after: String): UserConnection!
}
type UserEdge { cursor: String! node: User! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! }
type Message implements Node {
  id: ID! seq: Int! body: String! sender: User! sentAt: DateTime! editedAt: DateTime
  attachments: [Attachment!]! reactions: [Reaction!]!
}
type Attachment { id: ID! name: String! size: Int! url(expiresIn: Int = 300): String! }
type Reaction { emoji: String! count: Int! mine: Boolean! }
type Conversation implements Node {
  id: ID! kind: ConversationKind! title: String members: [User!]! unreadCount: Int!
  messages(first: Int = 50, before: Int): [Message!]!
}
union SearchResult = User | Message | Conversation
input SendMessageInput { conversationId: ID! body: String! clientId: ID! attachmentIds: [ID!] }
type Query {
  me: User!
  node(id: ID!): Node
  conversations(first: Int = 20, after: String): [Conversation!]!
  conversation(id: ID!): Conversation
  search(text: String!, first: Int = 10): [SearchResult!]!
}
type Mutation { sendMessage(input: SendMessageInput!): Message! }
)";

// ~1 KB: fragments, variables, nested selections, an inline fragment.
constexpr std::string_view kQuery = R"(query Inbox($first: Int = 20, $messages: Int!, $withContacts: Boolean!, $after: String) {
  me {
    ...UserSummary
    contacts(first: 10) @include(if: $withContacts) {
      edges { cursor node { ...UserSummary } }
      pageInfo { hasNextPage endCursor }
    }
  }
  conversations(first: $first, after: $after) {
    id
    kind
    title
    unreadCount
    members { ...UserSummary }
    messages(first: $messages) {
      ...MessageFields
    }
  }
  search(text: "hello world", first: 5) {
    __typename
    ... on User { ...UserSummary }
    ... on Message { id body }
    ... on Conversation { id title }
  }
}

fragment UserSummary on User {
  id
  displayName
  avatarUrl
  presence
}

fragment MessageFields on Message {
  id
  seq
  body
  sentAt
  editedAt
  sender { ...UserSummary }
  attachments { id name size url(expiresIn: 600) }
  reactions { emoji count mine }
}
)";

const Schema& schema() {
  static std::shared_ptr<Schema> s = *Schema::from_sdl(kSchema);
  return *s;
}

void BM_ParseValidate(benchmark::State& state) {
  const Schema& s = schema();
  Limits limits;
  for (auto _ : state) {
    auto r = prepare(s, kQuery, {}, limits);
    if (!std::holds_alternative<std::shared_ptr<const PreparedOperation>>(r)) {
      state.SkipWithError(std::get<1>(r)[0].message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kQuery.size()));
  state.counters["query_bytes"] = static_cast<double>(kQuery.size());
}
BENCHMARK(BM_ParseValidate);

void BM_ParseOnly(benchmark::State& state) {
  for (auto _ : state) {
    ast::Arena arena;
    auto r = parse(kQuery, arena);
    benchmark::DoNotOptimize(r.document);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kQuery.size()));
}
BENCHMARK(BM_ParseOnly);

// Validation alone (the document is parsed once; validation is idempotent).
void BM_ValidateOnly(benchmark::State& state) {
  const Schema& s = schema();
  ast::Arena arena;
  auto parsed = parse(kQuery, arena);
  std::vector<Error> errors;
  for (auto _ : state) {
    errors.clear();
    validate_document(s, *parsed.document, kQuery, errors);
    benchmark::DoNotOptimize(errors);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kQuery.size()));
}
BENCHMARK(BM_ValidateOnly);

void BM_ExecuteMeSync(benchmark::State& state) {
  auto s = *Schema::from_sdl(kSchema);
  Value me = Value::object().set("id", "01HXYZ").set("displayName", "Ann Example").set("presence", Value::enum_value("ONLINE"));
  s->resolve_sync("Query", "me", [me](const FieldContext&) -> base::Result<Value> { return me; });
  auto op = std::get<0>(prepare(*s, "{ me { id displayName } }", {}, {}));
  Value vars;
  std::string out;
  for (auto _ : state) {
    Response r = base::sync_wait(execute(*s, *op, vars, {}));
    out.clear();
    r.write_json(out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ExecuteMeSync);

void BM_SerialiseResponse(benchmark::State& state) {
  Value list = Value::list();
  for (int i = 0; i < 100; ++i) {
    list.push(Value::object().set("id", "01HXYZ" + std::to_string(i)).set("body", "Hello \"world\" \xC3\xA9\n").set("seq", i).set("score", i * 0.25));
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    list.write_json(out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_SerialiseResponse);

}  // namespace
}  // namespace parley::graphql
