// The server's control side: dispatch, accept hand-off, drain, start/stop.
// The connection classes are in server_conn.hpp.
#include "http/server_conn.hpp"

namespace parley::http {
// ---------------------------------------------------------------------------

void Server::Impl::finish_response(Response& r) {
  r.set_header("Server", "parley");
  r.set_header("Date", http_date());
  r.set_header("X-Content-Type-Options", "nosniff");
  if (r.header("Content-Type").substr(0, 9) == "text/html") {
    r.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
    r.set_header("Content-Security-Policy", kCsp);
  }
}

asio::awaitable<Response> Server::Impl::dispatch(Request& req, std::string& route) {
  bool get_like = req.method == "GET" || req.method == "HEAD";
  auto builtin = [&](const char* path) {
    route = path;
    if (get_like) return true;
    return false;
  };
  if (req.path == "/healthz" || req.path == "/readyz" || req.path == "/metrics") {
    if (!builtin(req.path.c_str())) {
      Response r = Response::text(405, "method not allowed\n");
      r.set_header("Allow", "GET, HEAD");
      co_return r;
    }
    if (req.path == "/healthz") co_return Response::text(200, "ok\n");
    if (req.path == "/readyz") {
      if (ready && !draining) co_return Response::text(200, "ready\n");
      co_return Response::text(503, draining ? "draining\n" : "starting\n");
    }
    co_return Response::text(200, metrics.render(), std::string(ops::kPrometheusContentType));
  }
  if (router) {
    auto m = router->match(req.method, req.path);
    if (m.kind == Router::MatchKind::Found) {
      route = m.route;
      try {
        co_return co_await await_task((*m.handler)(req));
      } catch (const std::exception& e) {
        spdlog::error("http: handler for {} {} threw: {}", req.method, req.path, e.what());
        co_return Response::text(500, "internal error\n");
      }
    }
    if (m.kind == Router::MatchKind::MethodNotAllowed) {
      route = "405";
      Response r = Response::text(405, "method not allowed\n");
      r.set_header("Allow", m.allow);
      co_return r;
    }
    if (const auto* files = router->static_files(); files && get_like) {
      if (auto r = files->serve(req)) {
        route = "static";
        co_return std::move(*r);
      }
    }
  }
  route = "404";
  co_return Response::text(404, "not found\n");
}

void Server::Impl::on_accept(tcp::socket socket, std::size_t loop) {
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto ep = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
  std::string peer = addr.to_string();
  if (draining) return;
  if (tls) {
    start_tls_connection(this, loop, std::move(socket), std::move(peer));
  } else {
    start_plain_connection(this, loop, std::move(socket), std::move(peer));
  }
}

void Server::Impl::shutdown(bool graceful) {
  if (!started || stopped) return;
  stopped = true;
  draining = true;
  if (acceptor) acceptor->close();
  auto for_each_conn = [this](bool force) {
    for (std::size_t i = 0; i < loops.size(); ++i) {
      asio::post(loops.context(i), [this, i, force] {
        auto copy = live_by_loop[i];
        for (auto* c : copy) force ? c->force_close() : c->drain();
      });
    }
  };
  if (graceful) {
    for_each_conn(false);
    std::unique_lock lock(live_mutex);
    if (!live_cv.wait_for(lock, std::chrono::seconds(opts.drain_timeout_s), [this] { return live == 0; })) {
      spdlog::warn("http: drain deadline passed with {} connection(s) open; closing them", live);
    }
  }
  for_each_conn(true);
  {
    std::unique_lock lock(live_mutex);
    live_cv.wait_for(lock, std::chrono::seconds(2), [this] { return live == 0; });
  }
  loops.stop();
}

// ---------------------------------------------------------------------------

Server::Server(ServerOptions opts, std::shared_ptr<Router> router, ops::Registry& metrics)
    : impl_(std::make_unique<Impl>(std::move(opts), std::move(router), metrics)) {}

Server::~Server() { impl_->shutdown(false); }

base::Status Server::start() {
  auto& impl = *impl_;
  if (impl.started) return base::Status::conflict("server already started");
  for (const auto& c : impl.opts.trusted_proxies) {
    auto cidr = parse_cidr(c);
    if (!cidr.ok()) return cidr.error();
    impl.trusted.push_back(*cidr);
  }
  if (!impl.opts.tls_cert_file.empty() || !impl.opts.tls_key_file.empty()) {
    auto ctx = io::make_tls_server_context(impl.opts.tls_cert_file, impl.opts.tls_key_file);
    if (!ctx.ok()) return ctx.error();
    impl.tls = *ctx;
  }
  impl.live_by_loop.resize(impl.loops.size());
  impl.loops.start();
  impl.acceptor = std::make_unique<io::Acceptor>(
      impl.loops, [this](tcp::socket s, std::size_t loop) { impl_->on_accept(std::move(s), loop); });
  auto st = impl.acceptor->listen(impl.opts.host, impl.opts.port);
  if (!st.is_ok()) {
    impl.loops.stop();
    impl.acceptor.reset();
    return st;
  }
  impl.started = true;
  spdlog::info("http: listening on {}:{} ({} loop threads{})", impl.opts.host, impl.acceptor->port(),
               impl.loops.size(), impl.tls ? ", TLS" : "");
  return base::Status::ok();
}

std::uint16_t Server::port() const { return impl_->acceptor ? impl_->acceptor->port() : 0; }
void Server::set_ready(bool ready) { impl_->ready = ready; }
void Server::drain() { impl_->shutdown(true); }

void Server::wait() {
  io::SignalWatcher watcher;
  watcher.start([](int sig) { spdlog::info("http: signal {} received, draining", sig); });
  watcher.wait();
}

std::vector<base::Executor*> Server::executors() {
  std::vector<base::Executor*> out;
  for (std::size_t i = 0; i < impl_->loops.size(); ++i) out.push_back(&impl_->loops.executor(i));
  return out;
}

}  // namespace parley::http
