// The transports that carry the GraphQL API (implemented in transport_*.cpp).
#pragma once

#include <memory>

#include "base/task.hpp"
#include "http/message.hpp"
#include "http/websocket.hpp"

namespace parley::api {

class Api;

// POST/GET /graphql.
base::Task<http::Response> handle_graphql_http(Api& api, http::Request& req);

// One graphql-transport-ws connection (the protocol of the npm package graphql-ws).
std::unique_ptr<http::WebSocketHandler> make_graphql_ws_handler(Api& api, std::shared_ptr<http::WebSocket> socket,
                                                                const http::Request& upgrade);

}  // namespace parley::api
