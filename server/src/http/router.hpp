// Routes: exact paths, prefixes, WebSocket endpoints and an optional static root.
//
// Threading: configure before Server::start(); afterwards the router is only
// read (from every loop thread) and must not be modified.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/task.hpp"
#include "http/message.hpp"
#include "http/websocket.hpp"

namespace parley::http {

class StaticFiles;

// Runs on the connection's io thread; the Request lives until the Task ends.
using Handler = std::function<base::Task<Response>(Request&)>;

class Router {
 public:
  Router();
  ~Router();

  void add(std::string method, std::string path, Handler h);            // exact path
  void add_prefix(std::string method, std::string prefix, Handler h);   // longest prefix wins
  // Clients must offer one of `subprotocols` (when non-empty); the first of
  // the client's offers that is in the list is chosen and echoed.
  void add_websocket(std::string path, std::vector<std::string> subprotocols, WebSocketFactory f);
  void set_static_root(std::filesystem::path dir);                      // optional; SPA fallback

  enum class MatchKind { Found, MethodNotAllowed, NotFound };
  struct Match {
    MatchKind kind = MatchKind::NotFound;
    const Handler* handler = nullptr;  // when Found
    std::string allow;                 // when MethodNotAllowed: "GET, HEAD, POST"
    std::string route;                 // metrics label: the registered pattern ("/api/*")
  };
  // HEAD matches GET routes. Does not consider WebSocket routes or static files.
  Match match(std::string_view method, std::string_view path) const;

  struct WebSocketRoute {
    std::string path;
    std::vector<std::string> subprotocols;
    WebSocketFactory factory;
  };
  const WebSocketRoute* websocket(std::string_view path) const;
  const StaticFiles* static_files() const { return static_.get(); }

 private:
  struct Route {
    std::string method, path;
    bool prefix;
    Handler handler;
  };
  std::vector<Route> routes_;
  std::vector<WebSocketRoute> websockets_;
  std::unique_ptr<StaticFiles> static_;
};

}  // namespace parley::http
