// The GraphQL API of Parley: the schema (schema.graphql, compiled in), its
// resolvers, and the two transports that carry it (HTTP POST/GET /graphql and
// the graphql-transport-ws WebSocket protocol on the same path).
//
// This is the one place where domain errors (base::Status) become GraphQL
// errors: resolvers return Status, the engine turns it into
// {message, path, locations, extensions.code}.
//
// Threading: an Api is shared by every event-loop thread; its methods are
// thread-safe. Resolvers run on the loop thread of the request's connection.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>

#include "api/context.hpp"
#include "auth/auth_service.hpp"
#include "base/clock.hpp"
#include "base/ulid.hpp"
#include "bus/bus.hpp"
#include "calls/call_service.hpp"
#include "chat/chat_service.hpp"
#include "graphql/graphql.hpp"

namespace parley::http {
class Router;
}

namespace parley::api {

struct ApiOptions {
  graphql::Limits limits;
  int ws_init_timeout_s = 10;
  int max_subscriptions_per_socket = 100;
};

class Api {
 public:
  using Prepared = std::variant<std::shared_ptr<const graphql::PreparedOperation>, std::vector<graphql::Error>>;

  // Builds the schema and binds every resolver. Fails only on a broken schema.
  // `calls` may be null (no media: the call API answers UNAVAILABLE).
  static base::Result<std::unique_ptr<Api>> create(ApiOptions options, auth::AuthService& auth,
                                                   chat::ChatService& chat, bus::Bus& bus, base::Clock& clock,
                                                   base::UlidGenerator& ids, calls::CallService* calls = nullptr);

  // Routes POST/GET /graphql and the WebSocket on /graphql.
  void install(http::Router& router);

  // Parses and validates `query`, from a cache keyed by the text (operations
  // are immutable, so one parse serves every later identical request).
  Prepared prepare(std::string_view query, std::string_view operation_name);

  // Builds the context for a request that presented `bearer_token` (may be empty).
  ContextPtr authenticate(std::string_view bearer_token, auth::ClientInfo client) const;

  const graphql::Schema& schema() const { return *schema_; }
  const ApiOptions& options() const { return options_; }
  bus::Bus& bus() { return bus_; }
  chat::ChatService& chat() { return chat_; }

 private:
  Api(ApiOptions options, auth::AuthService& auth, chat::ChatService& chat, bus::Bus& bus, base::Clock& clock,
      base::UlidGenerator& ids)
      : options_(options), auth_(auth), chat_(chat), bus_(bus), clock_(clock), ids_(ids) {}
  void bind_resolvers();
  void bind_chat_resolvers();  // chat_resolvers.cpp
  void bind_call_resolvers();  // call_resolvers.cpp
  void publish_user_event(const std::string& user_id, std::string type, std::string payload_json);

  ApiOptions options_;
  auth::AuthService& auth_;
  chat::ChatService& chat_;
  calls::CallService* calls_ = nullptr;
  bus::Bus& bus_;
  base::Clock& clock_;
  base::UlidGenerator& ids_;
  std::shared_ptr<graphql::Schema> schema_;

  std::mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const graphql::PreparedOperation>> cache_;  // GUARDED_BY
};

}  // namespace parley::api
