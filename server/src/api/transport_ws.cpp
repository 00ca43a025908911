// graphql-transport-ws, the protocol of the npm package graphql-ws
// (PROTOCOL.md in that project), on the WebSocket at /graphql:
//
//   client                                server
//   connection_init {authToken?}  ---->
//                                 <----   connection_ack      (or close 4403)
//   subscribe {id, payload}       ---->
//                                 <----   next {id, payload}*  complete {id}
//                                         (or error {id, payload: [errors]})
//   complete {id}                 ---->   (stops a running subscription)
//   ping / pong at any time in both directions.
//
// Close codes: 4400 invalid message, 4401 subscribe before connection_ack,
// 4403 connection_init refused (bad token), 4408 no connection_init in time,
// 4409 duplicate operation id, 4429 more than one connection_init.
//
// Threading: everything here runs on the socket's event loop, so the session
// state needs no locks. Operations are coroutines that hold a shared_ptr to
// the state; after the socket closes they notice `closed` and stop.
#include <spdlog/spdlog.h>

#include <mutex>
#include <set>
#include <unordered_map>

#include "api/api.hpp"
#include "api/event_stream.hpp"
#include "api/transports.hpp"
#include "graphql/ast.hpp"
#include "http/router.hpp"

namespace parley::api {

using graphql::Value;

namespace {

struct Operation {
  std::shared_ptr<graphql::EventStream> stream;  // set for running subscriptions
  bool completed_by_client = false;
};

struct Session : std::enable_shared_from_this<Session> {
  Api& api;
  std::shared_ptr<http::WebSocket> socket;
  auth::ClientInfo client;  // moved into `context` at connection_init
  bool init_received = false;
  bool acknowledged = false;
  bool closed = false;
  std::string online_user;  // set while this socket counts toward its user's presence
  ContextPtr context;
  std::unordered_map<std::string, std::shared_ptr<Operation>> operations;

  Session(Api& a, std::shared_ptr<http::WebSocket> s, auth::ClientInfo c)
      : api(a), socket(std::move(s)), client(std::move(c)) {}

  void close(std::uint16_t code, std::string reason) {
    if (closed) return;
    socket->close(code, std::move(reason));
    shut_down();
  }

  void shut_down() {
    closed = true;
    if (!online_user.empty()) api.chat().disconnected(std::exchange(online_user, {}));
    auto ops = std::move(operations);
    operations.clear();
    for (auto& [id, op] : ops) {
      op->completed_by_client = true;  // nobody to tell any more
      if (op->stream) op->stream->cancel();
    }
  }

  static std::string frame_prefix(const std::string& id, std::string_view type) {
    std::string s = "{\"id\":";
    graphql::write_json_string(s, id);
    s += ",\"type\":\"";
    s += type;
    s += "\",\"payload\":";
    return s;
  }

  void send_next(const std::string& id, std::shared_ptr<const std::string> payload) {
    if (closed) return;
    socket->send_shared(frame_prefix(id, "next"), std::move(payload), "}");
  }

  void send_complete(const std::string& id) {
    if (closed) return;
    std::string s = "{\"id\":";
    graphql::write_json_string(s, id);
    s += ",\"type\":\"complete\"}";
    socket->send_text(std::move(s));
  }

  void send_errors(const std::string& id, const std::vector<graphql::Error>& errors) {
    if (closed) return;
    // Render the errors through a Response so they share the engine's format.
    graphql::Response r;
    r.errors = errors;
    std::string body;
    r.write_json(body);  // {"errors":[...]}
    auto start = body.find('[');
    auto end = body.rfind(']');
    std::string s = frame_prefix(id, "error");
    s.append(body, start, end - start + 1);
    s += "}";
    socket->send_text(std::move(s));
  }

  void on_message(std::string_view text);
  void on_subscribe(const Value& message);
};

// Variables that can change how an event renders. A variable used only as an
// argument of the subscription's root field (events(since: $cursor)) picks
// where the stream starts, not what an event looks like: sockets that differ
// only in it share rendered bytes. Anything used below the root field or in a
// directive (e.g. @include(if: $x)) counts.
void collect_value_vars(const graphql::ast::ValueNode* v, std::set<std::string>& out) {
  if (v == nullptr) return;
  using K = graphql::ast::ValueNode::Kind;
  if (v->kind == K::Variable) out.emplace(v->text);
  for (const auto* item : v->list) collect_value_vars(item, out);
  for (const auto& f : v->fields) collect_value_vars(f.value, out);
}

void collect_selection_vars(const graphql::ast::SelectionSet& set, std::set<std::string>& out,
                            std::set<const graphql::ast::FragmentDefinition*>& seen) {
  for (const auto* sel : set) {
    for (const auto& a : sel->arguments) collect_value_vars(a.value, out);
    for (const auto& d : sel->directives) {
      for (const auto& a : d.arguments) collect_value_vars(a.value, out);
    }
    collect_selection_vars(sel->selections, out, seen);
    if (sel->fragment != nullptr && seen.insert(sel->fragment).second) {
      for (const auto& d : sel->fragment->directives) {
        for (const auto& a : d.arguments) collect_value_vars(a.value, out);
      }
      collect_selection_vars(sel->fragment->selections, out, seen);
    }
  }
}

std::set<std::string> render_variables(const graphql::PreparedOperation& op) {
  std::set<std::string> out;
  std::set<const graphql::ast::FragmentDefinition*> seen;
  const auto& operation = op.operation();
  for (const auto& d : operation.directives) {
    for (const auto& a : d.arguments) collect_value_vars(a.value, out);
  }
  for (const auto* root : operation.selections) {
    if (root->kind != graphql::ast::Selection::Kind::Field) {
      // Not the usual shape: count everything.
      graphql::ast::SelectionSet one{const_cast<graphql::ast::Selection**>(&root), 1};
      collect_selection_vars(one, out, seen);
      continue;
    }
    for (const auto& d : root->directives) {
      for (const auto& a : d.arguments) collect_value_vars(a.value, out);
    }
    collect_selection_vars(root->selections, out, seen);
  }
  return out;
}

// One copy of each distinct memo key, shared by every subscription that has
// it: a key holds the whole query text, and a copy per socket cost about a
// kilobyte of every idle subscription.
std::shared_ptr<const std::string> intern_memo_key(std::string key) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::weak_ptr<const std::string>> table;  // GUARDED_BY(mutex)
  static std::size_t inserted = 0;                                                 // GUARDED_BY(mutex)
  std::lock_guard lock(mutex);
  auto it = table.find(key);
  if (it != table.end()) {
    if (auto live = it->second.lock()) return live;
  }
  auto owned = std::make_shared<const std::string>(key);
  table.insert_or_assign(std::move(key), owned);
  if (++inserted % 1024 == 0) std::erase_if(table, [](const auto& e) { return e.second.expired(); });
  return owned;
}

graphql::Error make_error(std::string message, std::string code) {
  graphql::Error e;
  e.message = std::move(message);
  e.code = std::move(code);
  return e;
}

// Runs one operation to its end. Holds the session alive meanwhile.
base::Task<void> run_operation(std::shared_ptr<Session> session, std::string id, std::shared_ptr<Operation> op,
                               std::shared_ptr<const graphql::PreparedOperation> prepared, Value variables,
                               std::shared_ptr<const std::string> memo_key) {
  Api& api = session->api;
  std::any context(session->context);
  if (prepared->kind() != graphql::PreparedOperation::Kind::Subscription) {
    graphql::Response response = co_await graphql::execute(api.schema(), *prepared, variables, context);
    if (session->closed || op->completed_by_client) co_return;
    auto bytes = std::make_shared<std::string>();
    response.write_json(*bytes);
    session->send_next(id, std::move(bytes));
    session->send_complete(id);
    session->operations.erase(id);
    co_return;
  }

  auto stream = co_await graphql::subscribe(api.schema(), *prepared, variables, context);
  if (!stream.ok()) {
    graphql::Error e = make_error(stream.error().code() == base::Code::Internal ? "Internal error"
                                                                                 : stream.error().message(),
                                  std::string(base::code_name(stream.error().code())));
    std::vector<graphql::Error> errors;  // not a braced list: see api.cpp on g++ 12 coroutines
    errors.push_back(std::move(e));
    if (!session->closed && !op->completed_by_client) session->send_errors(id, errors);
    session->operations.erase(id);
    co_return;
  }
  op->stream = *stream;
  if (session->closed || op->completed_by_client) {
    op->stream->cancel();
    co_return;
  }
  // Bus streams (every subscription today) render each event once per
  // distinct operation: every socket with the same operation sends the same
  // bytes, found in the event's memo before any value is built.
  auto* bus_stream = dynamic_cast<BusEventStream*>(op->stream.get());
  const std::uint64_t memo_hash = bus::memo_hash(*memo_key);
  for (;;) {
    bus::EventPtr event;
    std::optional<Value> value;
    if (bus_stream) {
      event = co_await bus_stream->next_event();
      if (!event) break;
    } else {
      value = co_await op->stream->next();
      if (!value) break;
    }
    if (session->closed || op->completed_by_client) break;
    std::shared_ptr<const std::string> bytes;
    if (event) bytes = std::static_pointer_cast<const std::string>(event->memo_get(memo_hash, *memo_key));
    if (!bytes) {
      Value root = event ? event_value(*event) : std::move(*value);
      graphql::Response response = co_await graphql::execute_event(api.schema(), *prepared, variables, context, root);
      auto rendered = std::make_shared<std::string>();
      response.write_json(*rendered);
      bytes = rendered;
      if (event) bytes = std::static_pointer_cast<const std::string>(event->memo_put(memo_hash, *memo_key, rendered));
    }
    if (session->closed || op->completed_by_client) break;
    session->send_next(id, std::move(bytes));
  }
  if (!session->closed && !op->completed_by_client) {
    session->send_complete(id);
    session->operations.erase(id);
  }
}

void Session::on_message(std::string_view text) {
  if (closed) return;
  auto parsed = Value::from_json(text);
  if (!parsed.ok() || !parsed->is_object()) return close(4400, "Invalid message received");
  const Value& message = *parsed;
  const Value* type = message.find("type");
  if (type == nullptr || type->kind() != Value::Kind::String) return close(4400, "Invalid message received");
  const std::string& kind = type->as_string();

  if (kind == "connection_init") {
    if (init_received) return close(4429, "Too many initialisation requests");
    init_received = true;
    const Value* payload = message.find("payload");
    if (payload != nullptr && !payload->is_null() && !payload->is_object()) {
      return close(4400, "Invalid message received");
    }
    std::string token;
    if (payload != nullptr) {
      if (const Value* t = payload->find("authToken"); t != nullptr && !t->is_null()) {
        if (t->kind() != Value::Kind::String) return close(4400, "Invalid message received");
        token = t->as_string();
      }
    }
    context = api.authenticate(token, std::move(client));  // only needed until now
    if (!token.empty() && !context->principal) {
      // The client must sign in (or refresh) and reconnect.
      return close(4403, "Forbidden");
    }
    acknowledged = true;
    socket->send_text(R"({"type":"connection_ack"})");
    if (context->principal) {
      online_user = context->principal->user_id;
      api.chat().connected(online_user);
    }
    return;
  }
  if (kind == "ping") {
    const Value* payload = message.find("payload");
    std::string pong = R"({"type":"pong")";
    if (payload != nullptr && payload->is_object()) {
      pong += ",\"payload\":";
      payload->write_json(pong);
    }
    pong += "}";
    socket->send_text(std::move(pong));
    return;
  }
  if (kind == "pong") return;
  if (kind == "subscribe") return on_subscribe(message);
  if (kind == "complete") {
    const Value* id = message.find("id");
    if (id == nullptr || id->kind() != Value::Kind::String || id->as_string().empty()) {
      return close(4400, "Invalid message received");
    }
    auto it = operations.find(id->as_string());
    if (it == operations.end()) return;  // already finished: nothing to do
    auto op = it->second;
    operations.erase(it);
    op->completed_by_client = true;
    if (op->stream) op->stream->cancel();
    return;
  }
  close(4400, "Invalid message received");
}

void Session::on_subscribe(const Value& message) {
  if (!acknowledged) return close(4401, "Unauthorized");
  const Value* id = message.find("id");
  const Value* payload = message.find("payload");
  if (id == nullptr || id->kind() != Value::Kind::String || id->as_string().empty() || payload == nullptr ||
      !payload->is_object()) {
    return close(4400, "Invalid message received");
  }
  const Value* query = payload->find("query");
  const Value* variables = payload->find("variables");
  const Value* operation_name = payload->find("operationName");
  if (query == nullptr || query->kind() != Value::Kind::String ||
      (variables != nullptr && !variables->is_null() && !variables->is_object()) ||
      (operation_name != nullptr && !operation_name->is_null() && operation_name->kind() != Value::Kind::String)) {
    return close(4400, "Invalid message received");
  }
  const std::string& op_id = id->as_string();
  if (operations.count(op_id)) return close(4409, "Subscriber for " + op_id + " already exists");
  if (static_cast<int>(operations.size()) >= api.options().max_subscriptions_per_socket) {
    send_errors(op_id, {make_error("too many operations on this connection", "LIMIT_EXCEEDED")});
    return;
  }
  std::string name = operation_name != nullptr ? operation_name->as_string() : std::string();
  auto prepared = api.prepare(query->as_string(), name);
  if (auto* errors = std::get_if<std::vector<graphql::Error>>(&prepared)) {
    send_errors(op_id, *errors);
    return;
  }
  Value vars = (variables != nullptr && variables->is_object()) ? *variables : Value::object();
  // The memo key names the operation and the variables that shape its
  // rendering: events rendered for one socket are reused for every socket
  // whose key is equal.
  const auto& prepared_op = *std::get<std::shared_ptr<const graphql::PreparedOperation>>(prepared);
  std::string memo_key = "op:" + name;
  memo_key.append(1, '\0').append(query->as_string()).append(1, '\0');
  for (const auto& var : render_variables(prepared_op)) {
    memo_key.append(var).append(1, '=');
    if (const Value* v = vars.find(var)) {
      v->write_json(memo_key);
    } else {
      memo_key += "(absent)";
    }
    memo_key.append(1, '\0');
  }
  auto op = std::make_shared<Operation>();
  operations.emplace(op_id, op);
  base::spawn(run_operation(shared_from_this(), op_id, op,
                            std::get<std::shared_ptr<const graphql::PreparedOperation>>(prepared), std::move(vars),
                            intern_memo_key(std::move(memo_key))),
              [](std::exception_ptr e) {
                if (!e) return;
                try {
                  std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                  spdlog::error("graphql-ws operation failed: {}", ex.what());
                }
              });
}

class Handler final : public http::WebSocketHandler {
 public:
  explicit Handler(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  ~Handler() override {
    if (!session_->closed) session_->shut_down();
  }
  void on_message(std::string_view text) override { session_->on_message(text); }
  void on_close(std::uint16_t) override { session_->shut_down(); }

 private:
  std::shared_ptr<Session> session_;
};

}  // namespace

std::unique_ptr<http::WebSocketHandler> make_graphql_ws_handler(Api& api, std::shared_ptr<http::WebSocket> socket,
                                                                const http::Request& upgrade) {
  auth::ClientInfo client{upgrade.client_ip, std::string(upgrade.header("user-agent"))};
  auto session = std::make_shared<Session>(api, std::move(socket), std::move(client));
  // connection_init must arrive within the configured time (4408).
  std::weak_ptr<Session> weak = session;
  session->socket->executor().post_after(api.options().ws_init_timeout_s * 1000LL, [weak] {
    if (auto s = weak.lock(); s && !s->init_received && !s->closed) {
      s->close(4408, "Connection initialisation timeout");
    }
  });
  return std::make_unique<Handler>(std::move(session));
}

void Api::install(http::Router& router) {
  auto handler = [this](http::Request& req) { return handle_graphql_http(*this, req); };
  router.add("POST", "/graphql", handler);
  router.add("GET", "/graphql", handler);
  router.add_websocket("/graphql", {"graphql-transport-ws"},
                       [this](std::shared_ptr<http::WebSocket> socket, const http::Request& req) {
                         return make_graphql_ws_handler(*this, std::move(socket), req);
                       });
}

}  // namespace parley::api
