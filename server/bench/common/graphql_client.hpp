// Shared by Parley's load generators: GraphQL over one keep-alive HTTP
// connection, and opening a graphql-transport-ws socket (TCP connect,
// WebSocket upgrade with the subprotocol, connection_init with the access
// token, connection_ack). Header-only, Beast inside: include it from one
// translation unit per load generator.
//
// Threading: every object here lives on one io_context run by one thread.
// Errors: GraphqlHttp::post throws (a bench is a tool, not a module);
// open_graphql_ws reports failures as a string so thousands of sockets can
// fail without unwinding.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "process.hpp"

namespace parley::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Json = nlohmann::json;
using WsStream = websocket::stream<beast::tcp_stream>;

inline asio::awaitable<void> sleep_ms(int ms) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(asio::use_awaitable);
}

// Polls `done` every millisecond until it holds or `timeout_ms` passes.
template <typename Pred>
asio::awaitable<bool> wait_until(Pred done, int timeout_ms) {
  auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (SteadyClock::now() >= deadline) co_return false;
    co_await sleep_ms(1);
  }
  co_return true;
}

// {"query": ..., "variables": ...} (a plain function: g++ 12 mishandles
// braced temporaries inside coroutine bodies).
inline std::string graphql_request_body(std::string_view query, const Json& variables) {
  Json body;
  body["query"] = query;
  body["variables"] = variables;
  return body.dump();
}

// The graphql-transport-ws connection_init frame carrying `token`.
inline std::string connection_init_frame(const std::string& token) {
  Json init;
  init["type"] = "connection_init";
  init["payload"]["authToken"] = token;
  return init.dump();
}

// GraphQL over HTTP on one keep-alive connection (reconnects once if the
// server closed it).
class GraphqlHttp {
 public:
  GraphqlHttp(asio::io_context& io, tcp::endpoint endpoint, std::string host)
      : stream_(io), endpoint_(endpoint), host_(std::move(host)) {}

  // Returns the response's "data"; throws on transport errors and GraphQL
  // errors. The referenced arguments must outlive the co_await (callers
  // await at once).
  asio::awaitable<Json> post(std::string_view query, Json variables, const std::string& token,
                             std::string_view user_agent) {
    http::request<http::string_body> req{http::verb::post, "/graphql", 11};
    req.set(http::field::host, host_);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::user_agent, user_agent);
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    req.keep_alive(true);
    req.body() = graphql_request_body(query, variables);
    req.prepare_payload();

    for (int attempt = 0;; ++attempt) {
      beast::error_code ec;
      if (!connected_) {
        co_await stream_.async_connect(endpoint_, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) throw std::runtime_error("HTTP connect: " + ec.message());
        stream_.socket().set_option(tcp::no_delay(true));
        connected_ = true;
      }
      co_await http::async_write(stream_, req, asio::redirect_error(asio::use_awaitable, ec));
      http::response<http::string_body> res;
      if (!ec) co_await http::async_read(stream_, buffer_, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        connected_ = false;
        beast::error_code ignored;
        stream_.socket().close(ignored);
        buffer_.clear();
        if (attempt == 0) continue;  // the server may have closed an idle keep-alive
        throw std::runtime_error("HTTP: " + ec.message());
      }
      if (!res.keep_alive()) {
        connected_ = false;
        beast::error_code ignored;
        stream_.socket().close(ignored);
      }
      Json body = Json::parse(res.body(), nullptr, false);
      if (body.is_discarded()) throw std::runtime_error("HTTP " + std::to_string(res.result_int()) + ": " + res.body());
      if (body.contains("errors")) throw std::runtime_error("GraphQL errors: " + body["errors"].dump());
      co_return body["data"];
    }
  }

 private:
  beast::tcp_stream stream_;
  tcp::endpoint endpoint_;
  std::string host_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

// The close code and reason of a socket that was closed by its peer, for
// error messages ("" when there was none).
inline std::string close_reason(const WsStream& ws) {
  if (ws.reason().code == 0) return {};
  return " (close " + std::to_string(ws.reason().code) + " " + std::string(ws.reason().reason.c_str()) + ")";
}

// Connects `ws`, upgrades with subprotocol graphql-transport-ws, sends
// connection_init {authToken} and waits for connection_ack (read into
// `buffer`, consumed on success). Returns "" on success, else
// "<step>: <error>". `ws` and `buffer` must outlive the co_await.
inline asio::awaitable<std::string> open_graphql_ws(WsStream& ws, beast::flat_buffer& buffer, tcp::endpoint endpoint,
                                                    std::string host, std::string token) {
  beast::error_code ec;
  co_await beast::get_lowest_layer(ws).async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return "connect: " + ec.message();
  beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true));
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(http::field::sec_websocket_protocol, "graphql-transport-ws"); }));
  websocket::response_type res;
  co_await ws.async_handshake(res, host + ":" + std::to_string(endpoint.port()), "/graphql",
                              asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return "handshake: " + ec.message();
  std::string init = connection_init_frame(token);
  ws.text(true);
  co_await ws.async_write(asio::buffer(init), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return "connection_init: " + ec.message();
  co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return "connection_ack: " + ec.message() + close_reason(ws);
  std::string_view ack(static_cast<const char*>(buffer.data().data()), buffer.size());
  if (ack.find("\"connection_ack\"") == std::string_view::npos) {
    co_return "connection_ack: unexpected " + std::string(ack.substr(0, 200));
  }
  buffer.consume(buffer.size());
  co_return std::string();
}

}  // namespace parley::bench
