// GraphQL over HTTP: POST /graphql with a JSON body, GET /graphql?query=...
// for queries, following the GraphQL-over-HTTP specification (checked by the
// graphql-http audit suite in e2e/). A request that is not well-formed (bad
// JSON, no query, wrong content type) gets 4xx. A well-formed request whose
// document fails to parse or validate, or whose variables do not coerce,
// gets 4xx with application/graphql-response+json (when the client accepts
// it) and 200 with application/json, as the specification recommends for
// each media type. An executed request gets 200 even when fields failed.
#include <strings.h>

#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "api/auth_cookie.hpp"
#include "api/transports.hpp"
#include "http/router.hpp"

namespace parley::api {

using graphql::Value;

namespace {

constexpr std::string_view kGraphqlResponse = "application/graphql-response+json";

struct ParsedRequest {
  std::string query;
  std::string operation_name;
  Value variables = Value::object();
};

graphql::Error request_error(std::string message, std::string code = "BAD_REQUEST") {
  graphql::Error e;
  e.message = std::move(message);
  e.code = std::move(code);
  return e;
}

bool accepts_graphql_response(const http::Request& req) {
  return req.header("accept").find(kGraphqlResponse) != std::string_view::npos;
}

// `status` applies to application/graphql-response+json; legacy
// application/json clients get 200 for any well-formed request.
http::Response respond(const http::Request& req, int status, const graphql::Response& response,
                       bool well_formed = true) {
  bool modern = accepts_graphql_response(req);
  http::Response res;
  res.status = (modern || !well_formed) ? status : 200;
  res.set_header("Content-Type", modern ? std::string(kGraphqlResponse) + "; charset=utf-8"
                                        : "application/json; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  response.write_json(res.body);
  return res;
}

// A request that is not well-formed: 4xx for every media type.
http::Response fail(const http::Request& req, int status, std::string message, std::string code = "BAD_REQUEST") {
  graphql::Response r;
  r.errors.push_back(request_error(std::move(message), std::move(code)));
  return respond(req, status, r, /*well_formed=*/false);
}

// Reads {query, variables, operationName} from a JSON body or the query string.
base::Result<ParsedRequest> parse_request(const http::Request& req) {
  ParsedRequest out;
  auto take = [&](const Value* query, const Value* variables, const Value* op,
                  const Value* extensions) -> base::Status {
    if (query == nullptr || query->kind() != Value::Kind::String) {
      return base::Status::bad_request("the request must have a 'query' string");
    }
    out.query = query->as_string();
    if (op != nullptr && !op->is_null()) {
      if (op->kind() != Value::Kind::String) return base::Status::bad_request("'operationName' must be a string");
      out.operation_name = op->as_string();
    }
    if (variables != nullptr && !variables->is_null()) {
      if (!variables->is_object()) return base::Status::bad_request("'variables' must be an object");
      out.variables = *variables;
    }
    if (extensions != nullptr && !extensions->is_null() && !extensions->is_object()) {
      return base::Status::bad_request("'extensions' must be an object");
    }
    return base::Status::ok();
  };
  if (req.method == "POST") {
    auto body = Value::from_json(req.body);
    if (!body.ok()) return base::Status::bad_request("the body is not valid JSON: " + body.error().message());
    if (!body->is_object()) return base::Status::bad_request("the body must be a JSON object");
    PARLEY_RETURN_IF_ERROR(
        take(body->find("query"), body->find("variables"), body->find("operationName"), body->find("extensions")));
    return out;
  }
  auto query = req.query_param("query");
  auto variables_text = req.query_param("variables");
  auto op = req.query_param("operationName");
  Value query_v = query ? Value(*query) : Value();
  Value op_v = op ? Value(*op) : Value();
  auto json_param = [&](const char* name, Value& out) -> base::Status {
    auto text = req.query_param(name);
    if (!text || text->empty()) return base::Status::ok();
    auto parsed = Value::from_json(*text);
    if (!parsed.ok()) return base::Status::bad_request(std::string("'") + name + "' is not valid JSON");
    out = std::move(*parsed);
    return base::Status::ok();
  };
  Value variables_v, extensions_v;
  PARLEY_RETURN_IF_ERROR(json_param("variables", variables_v));
  PARLEY_RETURN_IF_ERROR(json_param("extensions", extensions_v));
  PARLEY_RETURN_IF_ERROR(take(query ? &query_v : nullptr, &variables_v, op ? &op_v : nullptr, &extensions_v));
  return out;
}

std::string_view bearer_token(const http::Request& req) {
  std::string_view h = req.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (h.size() > kBearer.size() && strncasecmp(h.data(), kBearer.data(), kBearer.size()) == 0) {
    return h.substr(kBearer.size());
  }
  return {};
}

auth::ClientInfo client_info(const http::Request& req) {
  auth::ClientInfo client;
  client.ip = req.client_ip;
  client.user_agent = std::string(req.header("user-agent"));
  return client;
}

}  // namespace

base::Task<http::Response> handle_graphql_http(Api& api, http::Request& req) {
  if (req.method == "POST") {
    std::string_view type = req.header("content-type");
    if (type.find("application/json") == std::string_view::npos) {
      co_return fail(req, 415, "POST /graphql needs Content-Type: application/json");
    }
  }
  auto parsed = parse_request(req);
  if (!parsed.ok()) co_return fail(req, 400, parsed.error().message());

  auto prepared = api.prepare(parsed->query, parsed->operation_name);
  if (auto* errors = std::get_if<std::vector<graphql::Error>>(&prepared)) {
    graphql::Response r;
    r.errors = std::move(*errors);
    co_return respond(req, 400, r);
  }
  const auto& op = std::get<std::shared_ptr<const graphql::PreparedOperation>>(prepared);
  if (op->kind() == graphql::PreparedOperation::Kind::Subscription) {
    co_return fail(req, 400, "subscriptions need the WebSocket on /graphql (graphql-transport-ws)");
  }
  if (req.method == "GET" && op->kind() == graphql::PreparedOperation::Kind::Mutation) {
    auto res = fail(req, 405, "mutations need POST");
    res.set_header("Allow", "POST");
    co_return res;
  }

  auto context = api.authenticate(bearer_token(req), client_info(req));
  auto cookie = refresh_cookie_mode(req);  // the browser's HttpOnly refresh cookie (api/auth_cookie.hpp)
  if (cookie.enabled) {
    auto with_cookie = std::make_shared<RequestContext>(*context);
    with_cookie->refresh_cookie = std::move(cookie.token);
    context = std::move(with_cookie);
  }
  graphql::Response response = co_await graphql::execute(api.schema(), *op, parsed->variables, std::any(context));
  auto set_cookie = cookie.enabled ? take_refresh_tokens(response) : std::nullopt;
  // No data at all means the variables did not coerce: a request error.
  auto res = respond(req, response.data ? 200 : 400, response);
  if (set_cookie) res.set_header("Set-Cookie", std::move(*set_cookie));
  co_return res;
}

}  // namespace parley::api
