// Internal to http/ (includes Beast): the connection classes of the server.
// accept -> (TLS) -> HTTP/1.1 keep-alive loop -> optional WebSocket upgrade.
// One coroutine per connection on the loop that accepted it; no locks on the
// per-connection path. The plain and TLS instantiations live in
// conn_plain.cpp and conn_tls.cpp so the two heavy halves compile in parallel.
#pragma once

#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "io/acceptor.hpp"
#include "io/event_loops.hpp"
#include "io/signals.hpp"
#include "io/tls.hpp"
#include "http/parse.hpp"
#include "http/static_files.hpp"

namespace parley::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace internal {

inline constexpr auto kCsp =
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

inline std::string http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached = buf;
    cached_at = now;
  }
  return cached;
}

inline std::string method_label(std::string_view m) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  for (auto k : kKnown) {
    if (k == m) return std::string(m);
  }
  return "OTHER";
}

// Lets an Asio coroutine await a base::Task<Response>. The task runs on the
// current loop (its Completions resume through the loop's executor) and the
// result is posted back to the awaiting coroutine's executor.
inline asio::awaitable<Response> await_task(base::Task<Response> task) {
  auto init = [&task](auto handler) {
    using H = decltype(handler);
    auto h = std::make_shared<H>(std::move(handler));
    auto run = [](base::Task<Response> t, std::shared_ptr<H> h) -> base::Task<void> {
      std::exception_ptr error;
      Response r;
      try {
        r = co_await std::move(t);
      } catch (...) {
        error = std::current_exception();
      }
      auto ex = asio::get_associated_executor(*h);
      asio::post(ex, [h, error, r = std::move(r)]() mutable { (*h)(error, std::move(r)); });
    };
    base::spawn(run(std::move(task), std::move(h)), [](std::exception_ptr) {});
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, Response)>(
      init, asio::use_awaitable);
}

}  // namespace internal
using namespace internal;

class ConnBase {
 public:
  virtual ~ConnBase() = default;
  virtual void drain() = 0;        // on the connection's loop
  virtual void force_close() = 0;  // on the connection's loop
};

struct Server::Impl {
  Impl(ServerOptions o, std::shared_ptr<Router> r, ops::Registry& m)
      : opts(std::move(o)),
        router(std::move(r)),
        metrics(m),
        requests(m.counter("http_requests_total", "HTTP requests by method, route and status.",
                           {"method", "route", "status"})),
        duration(m.histogram("http_request_duration_seconds", "HTTP request latency (headers read to response written).",
                             {"route"})),
        connections(m.gauge("http_connections", "Open HTTP connections (upgraded ones move to http_websockets).").get()),
        websockets(m.gauge("http_websockets", "Open WebSocket connections.").get()),
        rejections(m.counter("http_rejections_total", "Requests or connections refused, by reason.", {"reason"})),
        loops(opts.threads) {}
  // The acceptor's Asio objects must die while the io_contexts still exist.
  ~Impl() {
    alive->store(false);
    acceptor.reset();
  }
  // Cleared when the server is destroyed; WebSockets held by the app check it before posting.
  std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);

  ServerOptions opts;
  std::shared_ptr<Router> router;
  ops::Registry& metrics;
  ops::CounterFamily& requests;
  ops::HistogramFamily& duration;
  ops::Gauge& connections;
  ops::Gauge& websockets;
  ops::CounterFamily& rejections;

  std::vector<Cidr> trusted;
  std::shared_ptr<asio::ssl::context> tls;
  std::atomic<bool> ready{false};
  std::atomic<bool> draining{false};
  bool started = false;
  bool stopped = false;

  std::mutex ip_mutex;
  std::unordered_map<std::string, int> per_ip;  // GUARDED_BY(ip_mutex)

  // Live connection objects, for drain. Each set is touched only on its loop.
  std::vector<std::unordered_set<ConnBase*>> live_by_loop;
  std::mutex live_mutex;
  std::condition_variable live_cv;
  int live = 0;  // GUARDED_BY(live_mutex)

  std::unique_ptr<io::Acceptor> acceptor;
  io::EventLoops loops;  // last: destroyed first, while everything above is still valid

  void reject(std::string_view reason, std::string_view ip, std::string_view detail) {
    spdlog::info("http: rejected {} from {}: {}", reason, ip, detail);
    rejections.labels({std::string(reason)}).inc();
  }

  bool acquire_ip(const std::string& ip) {
    if (auto parsed = parse_ip(ip); parsed && contains_any(trusted, *parsed)) return true;
    std::lock_guard lock(ip_mutex);
    int& n = per_ip[ip];
    if (n >= opts.max_connections_per_ip) {
      if (n == 0) per_ip.erase(ip);
      return false;
    }
    ++n;
    return true;
  }
  void release_ip(const std::string& ip) {
    std::lock_guard lock(ip_mutex);
    auto it = per_ip.find(ip);
    if (it != per_ip.end() && --it->second <= 0) per_ip.erase(it);
  }

  void conn_started(std::size_t loop, ConnBase* c) {
    live_by_loop[loop].insert(c);
    std::lock_guard lock(live_mutex);
    ++live;
  }
  void conn_finished(std::size_t loop, ConnBase* c) {
    live_by_loop[loop].erase(c);
    std::lock_guard lock(live_mutex);
    --live;
    live_cv.notify_all();
  }

  void on_accept(tcp::socket socket, std::size_t loop);
  Response builtin_or_null(const Request& req, bool& handled);
  asio::awaitable<Response> dispatch(Request& req, std::string& route);
  void finish_response(Response& r);
  void shutdown(bool graceful);
};

// Holds one per-IP connection slot; released on destruction.
class IpSlot {
 public:
  IpSlot() = default;
  IpSlot(Server::Impl* impl, std::string ip) : impl_(impl), ip_(std::move(ip)) {}
  IpSlot(IpSlot&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)), ip_(std::move(o.ip_)) {}
  IpSlot& operator=(IpSlot&&) = delete;
  ~IpSlot() {
    if (impl_) impl_->release_ip(ip_);
  }

 private:
  Server::Impl* impl_ = nullptr;
  std::string ip_;
};

namespace internal {
template <typename Stream>
inline constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

template <typename Stream>
void close_socket(Stream& s) {
  error_code ec;
  beast::get_lowest_layer(s).socket().shutdown(tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(s).socket().close(ec);
}
}  // namespace internal

// ---------------------------------------------------------------------------
// WebSocket connection.
template <typename Stream>
class WsConn final : public WebSocket, public ConnBase, public std::enable_shared_from_this<WsConn<Stream>> {
 public:
  WsConn(Server::Impl* impl, std::size_t loop, Stream stream, std::string client_ip, std::string subprotocol,
         IpSlot slot)
      : impl_(impl),
        loop_(loop),
        ws_(std::in_place, std::move(stream)),
        client_ip_(std::move(client_ip)),
        subprotocol_(std::move(subprotocol)),
        slot_(std::make_unique<IpSlot>(std::move(slot))),
        server_alive_(impl->alive) {}

  static asio::awaitable<void> run(std::shared_ptr<WsConn> self, bhttp::request<bhttp::string_body> upgrade,
                                   Request request, const Router::WebSocketRoute* route) {
    auto& impl = *self->impl_;
    auto& ws = *self->ws_;
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(impl.opts.header_timeout_s);
    t.idle_timeout = std::chrono::seconds(impl.opts.ws_idle_timeout_s);
    t.keep_alive_pings = true;
    ws.set_option(t);
    ws.read_message_max(impl.opts.max_ws_message_bytes);
    ws.set_option(websocket::stream_base::decorator([sub = self->subprotocol_](websocket::response_type& res) {
      res.set(bhttp::field::server, "parley");
      if (!sub.empty()) res.set(bhttp::field::sec_websocket_protocol, sub);
    }));
    error_code ec;
    co_await ws.async_accept(upgrade, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      impl.reject("ws_handshake", self->client_ip_, ec.message());
      close_socket(beast::get_lowest_layer(ws));
      self->done_ = true;
      self->ws_.reset();
      self->slot_.reset();
      co_return;
    }
    // The handshake is over: its request and decorator would otherwise live
    // (in this frame and the stream) as long as the socket.
    upgrade = {};
    ws.set_option(websocket::stream_base::decorator([](websocket::response_type&) {}));
    impl.conn_started(self->loop_, self.get());
    impl.websockets.inc();
    ws.text(true);
    self->handler_ = route->factory(self, request);
    request = Request{};
    if (!self->handler_) self->enqueue_close(websocket::close_code::internal_error, "no handler");

    beast::flat_buffer buffer;
    std::uint16_t code = websocket::close_code::abnormal;
    for (;;) {
      co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      if (!ws.got_text()) {
        self->enqueue_close(websocket::close_code::unknown_data, "binary frames are not supported");
      } else if (!self->closed_ && self->handler_) {
        auto data = buffer.data();
        self->handler_->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
      }
      buffer.consume(buffer.size());
      // Idle sockets are the common case: do not keep the last message's buffer.
      buffer.shrink_to_fit();
    }
    if (ec == websocket::error::message_too_big) {
      code = websocket::close_code::too_big;
      impl.reject("ws_message_too_big", self->client_ip_, "message over max_ws_message_bytes");
    } else if (self->our_close_code_) {
      code = *self->our_close_code_;
    } else if (ec == websocket::error::closed) {
      code = ws.reason().code;
    } else if (ec == beast::error::timeout) {
      impl.reject("ws_idle_timeout", self->client_ip_, "no traffic");
    }
    self->finish(code);
    close_socket(beast::get_lowest_layer(ws));
    impl.websockets.dec();
    self->done_ = true;
    if (!self->writing_) self->ws_.reset();  // the app may hold us longer than the io_context lives
    self->slot_.reset();
    impl.conn_finished(self->loop_, self.get());
  }

  // WebSocket
  void send_text(std::string text) override {
    post([text = std::move(text)](WsConn& c) mutable { c.enqueue(Out{std::move(text), nullptr, {}}); });
  }
  void send_shared(std::string prefix, std::shared_ptr<const std::string> shared, std::string suffix) override {
    post([p = std::move(prefix), s = std::move(shared), x = std::move(suffix)](WsConn& c) mutable {
      c.enqueue(Out{std::move(p), std::move(s), std::move(x)});
    });
  }
  void close(std::uint16_t code, std::string reason) override {
    post([code, reason = std::move(reason)](WsConn& c) mutable { c.enqueue_close(code, std::move(reason)); });
  }
  base::Executor& executor() override { return impl_->loops.executor(loop_); }
  const std::string& client_ip() const override { return client_ip_; }
  const std::string& subprotocol() const override { return subprotocol_; }

  // ConnBase
  void drain() override { enqueue_close(websocket::close_code::going_away, "server shutting down"); }
  void force_close() override {
    if (ws_) close_socket(beast::get_lowest_layer(*ws_));
  }

 private:
  // One queued message. Kept small: thousands of idle sockets each hold a
  // queue, and a fan-out queues one Out per socket.
  struct Out {
    std::string prefix;
    std::shared_ptr<const std::string> shared;
    std::string suffix;
    bool close = false;
    std::uint16_t close_code = 0;
    std::string close_text;
    std::size_t size() const { return prefix.size() + (shared ? shared->size() : 0) + suffix.size(); }
  };

  template <typename Fn>
  void post(Fn fn) {
    if (!server_alive_->load()) return;  // the server (and its loops) are gone
    // Already on the socket's loop (event delivery, replies to a message):
    // act now; a post per send cost a closure and a queue hop per socket.
    if (impl_->loops.on_loop(loop_)) {
      fn(*this);
      return;
    }
    asio::post(impl_->loops.context(loop_),
               [self = this->shared_from_this(), fn = std::move(fn)]() mutable { fn(*self); });
  }

  void enqueue(Out o) {
    if (closed_) return;
    queued_bytes_ += o.size();
    if (queued_bytes_ > impl_->opts.ws_max_queued_bytes) {
      impl_->reject("ws_slow_reader", client_ip_, "send queue over ws_max_queued_bytes");
      queue_.clear();
      queue_head_ = 0;
      queued_bytes_ = 0;
      enqueue_close(websocket::close_code::policy_error, "too slow");
      return;
    }
    queue_.push_back(std::move(o));
    start_writer();
  }

  void enqueue_close(std::uint16_t code, std::string reason) {
    if (closed_) return;
    closed_ = true;  // no more sends after a close frame
    Out o;
    o.close = true;
    o.close_code = code;
    o.close_text = std::move(reason);
    queue_.push_back(std::move(o));
    start_writer();
  }

  void start_writer() {
    if (writing_ || done_ || !ws_) return;
    writing_ = true;
    write_next();
  }

  // The writer: one async_write at a time, chained by plain completion
  // handlers (a coroutine per message cost a frame and an executor copy per
  // delivery in fan-outs). `current_` owns the message while it is written.
  void write_next() {
    if (queue_head_ == queue_.size() || finished_) {
      stop_writer();
      return;
    }
    current_ = std::move(queue_[queue_head_++]);
    if (queue_head_ == queue_.size()) {
      queue_.clear();
      queue_head_ = 0;
    }
    auto self = this->shared_from_this();
    if (current_.close) {
      our_close_code_ = current_.close_code;
      websocket::close_reason reason(static_cast<websocket::close_code>(current_.close_code), current_.close_text);
      ws_->async_close(reason, [self](error_code) { self->stop_writer(); });
      return;
    }
    queued_bytes_ -= std::min(queued_bytes_, current_.size());
    std::array<asio::const_buffer, 3> bufs{asio::buffer(current_.prefix),
                                           current_.shared ? asio::buffer(*current_.shared) : asio::const_buffer(),
                                           asio::buffer(current_.suffix)};
    ws_->async_write(bufs, [self](error_code ec, std::size_t) {
      if (ec) {
        self->stop_writer();
      } else {
        self->write_next();
      }
    });
  }

  void stop_writer() {
    current_ = Out{};
    queue_.clear();
    queue_.shrink_to_fit();
    queue_head_ = 0;
    writing_ = false;
    if (done_) ws_.reset();
  }

  void finish(std::uint16_t code) {
    closed_ = true;
    if (finished_) return;
    finished_ = true;
    queue_.clear();
    queue_head_ = 0;
    if (handler_) {
      auto h = std::move(handler_);  // the handler may own a reference to us: break the cycle
      h->on_close(code);
    }
  }

  Server::Impl* impl_;
  std::size_t loop_;
  std::optional<websocket::stream<Stream>> ws_;  // reset on the loop once run() and the writer are done
  std::string client_ip_, subprotocol_;
  std::unique_ptr<IpSlot> slot_;  // released on the loop when run() ends
  std::shared_ptr<std::atomic<bool>> server_alive_;
  std::unique_ptr<WebSocketHandler> handler_;
  std::vector<Out> queue_;  // pending from queue_head_ on; no allocation while idle
  std::size_t queue_head_ = 0;
  Out current_;             // being written
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closed_ = false;    // a close frame is queued/sent or the socket is done: sends are ignored
  bool finished_ = false;  // on_close has run
  bool done_ = false;      // run() has ended
  std::optional<std::uint16_t> our_close_code_;
};

// ---------------------------------------------------------------------------
// HTTP connection.
template <typename Stream>
class HttpConn final : public ConnBase, public std::enable_shared_from_this<HttpConn<Stream>> {
 public:
  HttpConn(Server::Impl* impl, std::size_t loop, Stream stream, std::string peer_ip)
      : impl_(impl), loop_(loop), stream_(std::move(stream)), peer_ip_(std::move(peer_ip)) {
    impl_->connections.inc();
  }
  ~HttpConn() override { impl_->connections.dec(); }

  static asio::awaitable<void> run(std::shared_ptr<HttpConn> self) {
    auto& impl = *self->impl_;
    impl.conn_started(self->loop_, self.get());
    co_await self->serve();
    if (!self->upgraded_) {
      if (self->linger_) co_await self->linger();
      close_socket(self->stream_);
    }
    impl.conn_finished(self->loop_, self.get());
  }

  void drain() override {
    draining_ = true;
    if (idle_) {
      error_code ec;
      beast::get_lowest_layer(stream_).socket().cancel(ec);
    }
  }
  void force_close() override {
    if (!upgraded_) close_socket(stream_);
  }

 private:
  asio::awaitable<void> serve() {
    auto& impl = *impl_;
    auto& lowest = beast::get_lowest_layer(stream_);
    error_code ec;
    if constexpr (kIsTls<Stream>) {
      lowest.expires_after(std::chrono::seconds(impl.opts.header_timeout_s));
      co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        impl.reject("tls_handshake", peer_ip_, ec.message());
        co_return;
      }
    }
    if (!impl.acquire_ip(peer_ip_)) {
      impl.reject("too_many_connections", peer_ip_, "max_connections_per_ip reached");
      co_await write_error(429, "too many connections\n");
      co_return;
    }
    slot_ = std::make_unique<IpSlot>(impl_, peer_ip_);

    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      if (draining_ || impl.draining) co_return;
      // Wait for the first byte of the next request (idle keep-alive).
      if (buffer.size() == 0) {
        idle_ = true;
        lowest.expires_after(std::chrono::seconds(first ? impl.opts.header_timeout_s : impl.opts.idle_timeout_s));
        std::size_t n = co_await stream_.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
        idle_ = false;
        if (ec) {
          if (ec == beast::error::timeout) impl.reject(first ? "header_timeout" : "idle_timeout", peer_ip_, "closed");
          co_return;
        }
        buffer.commit(n);
      }
      first = false;

      // Headers, bounded in size and time (slowloris).
      lowest.expires_after(std::chrono::seconds(impl.opts.header_timeout_s));
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(impl.opts.max_header_bytes, UINT32_MAX)));
      parser.body_limit(impl.opts.max_body_bytes);
      co_await bhttp::async_read_header(stream_, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::body_limit) {  // Beast checks Content-Length against body_limit with the headers
        impl.reject("body_too_large", peer_ip_, "Content-Length over max_body_bytes");
        co_await write_error(413, "content too large\n");
        co_return;
      }
      if (ec == bhttp::error::header_limit) {
        impl.reject("header_too_large", peer_ip_, "headers over max_header_bytes");
        co_await write_error(431, "request header fields too large\n");
        co_return;
      }
      if (ec == beast::error::timeout) {
        impl.reject("header_timeout", peer_ip_, "headers not complete in time");
        co_return;
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
          ec == asio::error::operation_aborted || ec == asio::ssl::error::stream_truncated) {
        co_return;
      }
      if (ec) {
        impl.reject("malformed", peer_ip_, ec.message());
        co_await write_error(400, "bad request\n");
        co_return;
      }
      auto& hdr = parser.get();
      if (auto len = parser.content_length(); len && *len > impl.opts.max_body_bytes) {
        impl.reject("body_too_large", peer_ip_, "Content-Length over max_body_bytes");
        co_await write_error(413, "content too large\n");
        co_return;
      }
      if (beast::iequals(hdr[bhttp::field::expect], "100-continue") && !parser.is_done()) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
        co_await bhttp::async_write(stream_, cont, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
      }
      if (!parser.is_done()) {
        lowest.expires_after(std::chrono::seconds(impl.opts.idle_timeout_s));
        co_await bhttp::async_read(stream_, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == bhttp::error::body_limit) {
          impl.reject("body_too_large", peer_ip_, "chunked body over max_body_bytes");
          co_await write_error(413, "content too large\n");
          co_return;
        }
        if (ec == beast::error::timeout) {
          impl.reject("body_timeout", peer_ip_, "body not complete in time");
          co_return;
        }
        if (ec) {
          impl.reject("malformed", peer_ip_, ec.message());
          co_await write_error(400, "bad request\n");
          co_return;
        }
      }
      auto started = std::chrono::steady_clock::now();
      auto msg = parser.release();
      std::vector<Header> headers;
      headers.reserve(16);
      for (const auto& f : msg) headers.push_back({std::string(f.name_string()), std::string(f.value())});
      auto built = build_request(std::string(msg.method_string()), msg.target(), std::move(headers),
                                 std::move(msg.body()), peer_ip_, kIsTls<Stream>, impl.trusted);
      if (!built.ok()) {
        impl.reject("malformed", peer_ip_, built.error().message());
        co_await write_error(400, "bad request\n");
        co_return;
      }
      Request request = std::move(built).value();

      if (websocket::is_upgrade(msg)) {
        co_await upgrade(std::move(msg), std::move(request));
        co_return;
      }

      std::string route;
      Response resp = co_await impl.dispatch(request, route);
      bool keep_alive = msg.keep_alive() && !draining_ && !impl.draining;
      ec = co_await write_response(std::move(resp), request.method == "HEAD", keep_alive, msg.version(), request,
                                   route, started);
      if (ec || !keep_alive) co_return;
    }
  }

  asio::awaitable<void> upgrade(bhttp::request<bhttp::string_body> msg, Request request) {
    auto& impl = *impl_;
    auto started = std::chrono::steady_clock::now();
    const auto* route = impl.router ? impl.router->websocket(request.path) : nullptr;
    // No coroutine lambdas here: g++ 12 miscompiles capturing lambda coroutines awaited in a coroutine.
    std::optional<Response> refusal;
    std::string chosen;
    if (!route) {
      refusal = Response::text(404, "not found\n");
    } else if (impl.draining) {
      refusal = Response::text(503, "shutting down\n");
    } else if (!route->subprotocols.empty()) {
      for (auto offer : split_list(msg[bhttp::field::sec_websocket_protocol])) {
        for (const auto& s : route->subprotocols) {
          if (offer == s) {
            chosen = s;
            break;
          }
        }
        if (!chosen.empty()) break;
      }
      if (chosen.empty()) {
        impl.reject("ws_subprotocol", request.client_ip, "no acceptable subprotocol offered");
        refusal = Response::text(400, "no acceptable WebSocket subprotocol\n");
      }
    }
    if (refusal) {
      std::string label = route ? route->path : std::string("404");
      co_await write_response(std::move(*refusal), false, false, msg.version(), request, label, started);
      co_return;
    }
    upgraded_ = true;
    impl.requests.labels({method_label(request.method), route->path, "101"}).inc();
    auto ws = std::make_shared<WsConn<Stream>>(impl_, loop_, std::move(stream_), request.client_ip, std::move(chosen),
                                               std::move(*slot_));
    slot_.reset();
    asio::co_spawn(impl.loops.context(loop_), WsConn<Stream>::run(ws, std::move(msg), std::move(request), route),
                   asio::detached);
  }

  // After an error response the client may still be sending (a refused upload): closing now
  // would reset the connection and could destroy the response in the client's receive
  // buffer. Half-close, then discard what arrives for a short while.
  asio::awaitable<void> linger() {
    auto& lowest = beast::get_lowest_layer(stream_);
    error_code ec;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    // One deadline for the whole drain; enough bytes that an ordinary client
    // sending a too-large upload reads our answer instead of a reset.
    lowest.expires_after(std::chrono::seconds(1));
    std::array<char, 16384> sink;
    std::size_t total = 0;
    while (total < 64 * 1024 * 1024) {
      total += co_await lowest.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
  }

  asio::awaitable<void> write_error(int status, std::string body) {
    linger_ = true;
    Response r = Response::text(status, std::move(body));
    co_await write_raw(std::move(r), false, false, 11);
  }

  asio::awaitable<error_code> write_raw(Response resp, bool head, bool keep_alive, unsigned version) {
    auto& impl = *impl_;
    impl.finish_response(resp);
    bhttp::response<bhttp::string_body> res;
    res.version(version == 10 ? 10 : 11);
    res.result(static_cast<unsigned>(resp.status));
    for (auto& h : resp.headers) {
      if (beast::iequals(h.name, "Content-Length") || beast::iequals(h.name, "Connection") ||
          beast::iequals(h.name, "Transfer-Encoding")) {
        continue;
      }
      res.insert(h.name, h.value);
    }
    bool no_body = resp.status == 204 || resp.status == 304 || resp.status < 200;
    if (head) {
      res.content_length(resp.body.size());
    } else if (!no_body) {
      res.body() = std::move(resp.body);
      res.prepare_payload();
    }
    res.keep_alive(keep_alive);
    error_code ec;
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(impl.opts.idle_timeout_s));
    bhttp::response_serializer<bhttp::string_body> sr{res};
    if (head) sr.split(true);
    if (head) {
      co_await bhttp::async_write_header(stream_, sr, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await bhttp::async_write(stream_, sr, asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return ec;
  }

  asio::awaitable<error_code> write_response(Response resp, bool head, bool keep_alive, unsigned version,
                                              const Request& req, const std::string& route,
                                              std::chrono::steady_clock::time_point started) {
    auto& impl = *impl_;
    int status = resp.status;
    auto ec = co_await write_raw(std::move(resp), head, keep_alive, version);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    impl.requests.labels({method_label(req.method), route, std::to_string(status)}).inc();
    impl.duration.labels({route}).observe(secs);
    co_return ec;
  }

  Server::Impl* impl_;
  std::size_t loop_;
  Stream stream_;
  std::string peer_ip_;
  std::unique_ptr<IpSlot> slot_;
  bool idle_ = false;      // waiting for the next request: drain may close at once
  bool draining_ = false;
  bool upgraded_ = false;  // stream_ moved into a WsConn
  bool linger_ = false;    // an error response was sent: half-close and drain before closing
};

// Start serving an accepted socket on its loop (called on that loop's thread).
void start_plain_connection(Server::Impl* impl, std::size_t loop, tcp::socket socket, std::string peer);
void start_tls_connection(Server::Impl* impl, std::size_t loop, tcp::socket socket, std::string peer);

inline void log_connection_failure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("http: connection coroutine failed: {}", ex.what());
  }
}

}  // namespace parley::http
