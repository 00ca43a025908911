#include "http/router.hpp"

#include "http/static_files.hpp"

namespace parley::http {

Router::Router() = default;
Router::~Router() = default;

void Router::add(std::string method, std::string path, Handler h) {
  routes_.push_back({std::move(method), std::move(path), false, std::move(h)});
}
void Router::add_prefix(std::string method, std::string prefix, Handler h) {
  routes_.push_back({std::move(method), std::move(prefix), true, std::move(h)});
}
void Router::add_websocket(std::string path, std::vector<std::string> subprotocols, WebSocketFactory f) {
  websockets_.push_back({std::move(path), std::move(subprotocols), std::move(f)});
}
void Router::set_static_root(std::filesystem::path dir) { static_ = std::make_unique<StaticFiles>(std::move(dir)); }

Router::Match Router::match(std::string_view method, std::string_view path) const {
  // Exact routes first, then the longest matching prefix.
  const Route* best = nullptr;
  bool path_known = false;
  std::string allow;
  auto method_ok = [&](const Route& r) { return r.method == method || (method == "HEAD" && r.method == "GET"); };
  auto note_allow = [&](const Route& r) {
    auto add_one = [&](std::string_view m) {
      if (allow.find(m) == std::string::npos) allow += allow.empty() ? std::string(m) : ", " + std::string(m);
    };
    add_one(r.method);
    if (r.method == "GET") add_one("HEAD");
  };
  for (const auto& r : routes_) {
    if (!r.prefix && r.path == path) {
      path_known = true;
      note_allow(r);
      if (method_ok(r)) best = &r;
    }
  }
  if (!best && !path_known) {
    std::size_t best_len = 0;
    std::size_t known_len = 0;
    for (const auto& r : routes_) {
      if (!r.prefix || path.substr(0, r.path.size()) != r.path) continue;
      if (r.path.size() > known_len) {
        known_len = r.path.size();
        allow.clear();
      }
      if (r.path.size() == known_len) {
        path_known = true;
        note_allow(r);
      }
      if (method_ok(r) && r.path.size() >= best_len) {
        best = &r;
        best_len = r.path.size();
      }
    }
    if (best && best->path.size() < known_len) best = nullptr;  // a longer prefix owns this path
  }
  Match m;
  if (best) {
    m.kind = MatchKind::Found;
    m.handler = &best->handler;
    m.route = best->prefix ? best->path + "*" : best->path;
  } else if (path_known) {
    m.kind = MatchKind::MethodNotAllowed;
    m.allow = std::move(allow);
  }
  return m;
}

const Router::WebSocketRoute* Router::websocket(std::string_view path) const {
  for (const auto& w : websockets_) {
    if (w.path == path) return &w;
  }
  return nullptr;
}

}  // namespace parley::http
