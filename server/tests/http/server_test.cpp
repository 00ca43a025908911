// End-to-end tests of the server over real sockets on 127.0.0.1, port 0.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace parley::http {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions o = {}) {
    o.host = "127.0.0.1";
    o.port = 0;
    if (o.threads == 0) o.threads = 2;
    server_ = std::make_unique<Server>(o, router_, metrics_);
    auto st = server_->start();
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override { server_.reset(); }

  tcp::socket connect() {
    tcp::socket s(ioc_);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return s;
  }
  static void send(tcp::socket& s, const std::string& bytes) { asio::write(s, asio::buffer(bytes)); }
  static bhttp::response<bhttp::string_body> read(tcp::socket& s, beast::flat_buffer& buf, bool head = false) {
    bhttp::response_parser<bhttp::string_body> p;
    p.skip(head);
    p.body_limit(64 * 1024 * 1024);
    bhttp::read(s, buf, p);
    return p.release();
  }
  bhttp::response<bhttp::string_body> roundtrip(const std::string& bytes, bool head = false) {
    auto s = connect();
    send(s, bytes);
    beast::flat_buffer buf;
    return read(s, buf, head);
  }
  // True when the server closed the connection (EOF or reset), reading what is left.
  static bool closed_by_peer(tcp::socket& s) {
    char c[256];
    boost::system::error_code ec;
    for (;;) {
      s.read_some(asio::buffer(c), ec);
      if (ec) return ec == asio::error::eof || ec == asio::error::connection_reset;
    }
  }
  std::string metrics_text() {
    return roundtrip("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").body();
  }

  asio::io_context ioc_;
  ops::Registry metrics_;
  std::shared_ptr<Router> router_ = std::make_shared<Router>();
  std::unique_ptr<Server> server_;
};

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  auto s = connect();
  beast::flat_buffer buf;
  for (int i = 0; i < 3; ++i) {
    send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = read(s, buf);
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "ok\n");
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(r[bhttp::field::server], "parley");
    EXPECT_FALSE(r[bhttp::field::date].empty());
  }
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  router_->add("GET", "/a", [](Request&) -> base::Task<Response> { co_return Response::text(200, "A"); });
  router_->add("GET", "/b", [](Request&) -> base::Task<Response> { co_return Response::text(200, "B"); });
  start();
  auto s = connect();
  send(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(read(s, buf).body(), "A");
  EXPECT_EQ(read(s, buf).body(), "B");
  EXPECT_EQ(read(s, buf).body(), "A");
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowed) {
  router_->add("POST", "/graphql", [](Request&) -> base::Task<Response> { co_return Response::json(200, "{}"); });
  start();
  auto nf = roundtrip("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(nf.result_int(), 404);
  auto na = roundtrip("GET /graphql HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(na.result_int(), 405);
  EXPECT_EQ(na[bhttp::field::allow], "POST");
}

TEST_F(ServerTest, HandlerSeesDecodedRequestAndRunsAcrossThreads) {
  router_->add("POST", "/echo", [](Request& req) -> base::Task<Response> {
    // Complete on a foreign thread: the coroutine must resume on its loop and answer.
    auto op = std::make_shared<base::Completion<std::string>>();
    std::thread([op, body = req.body] { op->complete(body); }).detach();
    std::string body = co_await *op;
    co_return Response::json(201, req.path + "|" + req.query_param("q").value_or("-") + "|" + body + "|" +
                                      std::string(req.header("x-test")) + "|" + req.client_ip);
  });
  start();
  auto r = roundtrip(
      "POST /ec%68o?q=a+b%21 HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(r.result_int(), 201);
  EXPECT_EQ(r[bhttp::field::content_type], "application/json");
  EXPECT_EQ(r.body(), "/echo|a b!|hello|yes|127.0.0.1");
}

TEST_F(ServerTest, ChunkedBodyIsAssembled) {
  router_->add("POST", "/len", [](Request& req) -> base::Task<Response> {
    co_return Response::text(200, std::to_string(req.body.size()));
  });
  start();
  auto r = roundtrip("POST /len HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_EQ(r.body(), "5");
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  start();
  auto s = connect();
  send(s, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  auto h = read(s, buf, true);
  EXPECT_EQ(h.result_int(), 200);
  EXPECT_EQ(h[bhttp::field::content_length], "3");
  EXPECT_TRUE(h.body().empty());
  // The next response on the same connection parses cleanly: no stray body bytes.
  EXPECT_EQ(read(s, buf).body(), "ok\n");
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  start(o);
  auto r = roundtrip("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  EXPECT_EQ(r.result_int(), 431);
  EXPECT_TRUE(has_line(metrics_text(), "http_rejections_total{reason=\"header_too_large\"} 1"));
}

TEST_F(ServerTest, OversizedBodyGets413BeforeItIsSent) {
  ServerOptions o;
  o.max_body_bytes = 100;
  router_->add("POST", "/p", [](Request&) -> base::Task<Response> { co_return Response::text(200, "took it"); });
  start(o);
  // Only the headers are sent: the answer must not wait for the body.
  auto r = roundtrip("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_EQ(r.result_int(), 413);
  auto chunked = roundtrip("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" "C8\r\n" +
                           std::string(200, 'z') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.result_int(), 413);
  auto fits = roundtrip("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'z'));
  EXPECT_EQ(fits.result_int(), 200);
}

TEST_F(ServerTest, MalformedRequestGets400AndClose) {
  start();
  auto s = connect();
  send(s, "GARBAGE\x01 / HTTP/1.1\r\n\r\n");
  beast::flat_buffer buf;
  auto r = read(s, buf);
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(closed_by_peer(s));
  auto bad_escape = roundtrip("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(bad_escape.result_int(), 400);
}

TEST_F(ServerTest, SlowHeadersAreCut) {
  ServerOptions o;
  o.header_timeout_s = 1;
  start(o);
  auto s = connect();
  send(s, "GET / HTTP/1.1\r\nHost: x\r\n");  // never finishes the header block
  EXPECT_TRUE(closed_by_peer(s));
  EXPECT_TRUE(has_line(metrics_text(), "http_rejections_total{reason=\"header_timeout\"} 1"));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.idle_timeout_s = 1;
  start(o);
  auto s = connect();
  send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(read(s, buf).result_int(), 200);
  EXPECT_TRUE(closed_by_peer(s));
}

TEST_F(ServerTest, TooManyConnectionsFromOneIpGet429) {
  ServerOptions o;
  o.max_connections_per_ip = 2;
  start(o);
  auto a = connect(), b = connect();
  beast::flat_buffer ba, bb;
  send(a, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  send(b, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(read(a, ba).result_int(), 200);
  ASSERT_EQ(read(b, bb).result_int(), 200);
  auto c = connect();
  send(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer bc;
  EXPECT_EQ(read(c, bc).result_int(), 429);
  EXPECT_TRUE(closed_by_peer(c));
  // Closing one frees a slot.
  a.close();
  std::string text;
  for (int i = 0; i < 200; ++i) {  // the server notices the close asynchronously
    auto d = connect();
    send(d, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    beast::flat_buffer bd;
    if (read(d, bd).result_int() == 200) {
      text = "ok";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(text, "ok");
}

TEST_F(ServerTest, ClientIpFromTrustedProxyOnly) {
  router_->add("GET", "/ip", [](Request& req) -> base::Task<Response> {
    co_return Response::text(200, req.client_ip + (req.secure ? " https" : " http"));
  });
  ServerOptions o;
  o.trusted_proxies = {"127.0.0.1/32", "10.0.0.0/8"};
  start(o);
  auto r = roundtrip(
      "GET /ip HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6, 203.0.113.9, 10.0.0.2\r\nX-Forwarded-Proto: "
      "https\r\n\r\n");
  EXPECT_EQ(r.body(), "203.0.113.9 https");
}

TEST_F(ServerTest, ForwardedForIgnoredFromUntrustedPeer) {
  router_->add("GET", "/ip", [](Request& req) -> base::Task<Response> { co_return Response::text(200, req.client_ip); });
  start();
  auto r = roundtrip("GET /ip HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
  EXPECT_EQ(r.body(), "127.0.0.1");
}

TEST_F(ServerTest, ReadyzFollowsTheFlagAndMetricsAreExposed) {
  start();
  EXPECT_EQ(roundtrip("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n").result_int(), 503);
  server_->set_ready(true);
  EXPECT_EQ(roundtrip("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n").result_int(), 200);
  auto s = connect();
  beast::flat_buffer buf;
  send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  read(s, buf);
  send(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  auto m = read(s, buf);
  EXPECT_EQ(m[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = m.body();
  EXPECT_TRUE(has_line(text, "# TYPE http_requests_total counter")) << text;
  EXPECT_TRUE(has_line(text, "http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "http_requests_total{method=\"GET\",route=\"/readyz\",status=\"503\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "http_request_duration_seconds_count{route=\"/healthz\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE http_request_duration_seconds histogram")) << text;
  EXPECT_TRUE(has_line(text, "http_websockets 0")) << text;
  EXPECT_NE(text.find("\nhttp_connections "), std::string::npos) << text;
}

TEST_F(ServerTest, HtmlGetsSecurityHeaders) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("parley_srv_static_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "index.html") << "<html>hi</html>";
  std::ofstream(dir.parent_path() / ("parley_srv_secret_" + std::to_string(::getpid()))) << "secret";
  router_->set_static_root(dir);
  start();
  auto r = roundtrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "<html>hi</html>");
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_NE(r["Content-Security-Policy"].find("connect-src 'self' ws: wss:"), std::string::npos);
  EXPECT_FALSE(r["Referrer-Policy"].empty());
  auto etag = std::string(r[bhttp::field::etag]);
  auto nm = roundtrip("GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
  EXPECT_EQ(nm.result_int(), 304);
  auto trav = roundtrip("GET /%2e%2e/parley_srv_secret_" + std::to_string(::getpid()) + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(trav.result_int(), 404);
  auto trav2 = roundtrip("GET /../parley_srv_secret_" + std::to_string(::getpid()) + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(trav2.result_int(), 404);
  fs::remove_all(dir);
  fs::remove(dir.parent_path() / ("parley_srv_secret_" + std::to_string(::getpid())));
}

// ---------------------------------------------------------------------------
// WebSockets

struct WsProbe {
  std::mutex m;
  std::shared_ptr<WebSocket> socket;
  std::promise<std::uint16_t> closed;
  std::string client_ip, subprotocol;
};

class EchoHandler : public WebSocketHandler {
 public:
  EchoHandler(std::shared_ptr<WebSocket> ws, std::shared_ptr<WsProbe> probe) : ws_(std::move(ws)), probe_(probe) {}
  void on_message(std::string_view text) override { ws_->send_text("echo:" + std::string(text)); }
  void on_close(std::uint16_t code) override { probe_->closed.set_value(code); }

 private:
  std::shared_ptr<WebSocket> ws_;
  std::shared_ptr<WsProbe> probe_;
};

class WebSocketTest : public ServerTest {
 protected:
  void add_echo(std::vector<std::string> subprotocols = {"graphql-transport-ws"}) {
    router_->add_websocket("/ws", std::move(subprotocols), [probe = probe_](std::shared_ptr<WebSocket> ws, const Request&) {
      {
        std::lock_guard lock(probe->m);
        probe->socket = ws;
        probe->client_ip = ws->client_ip();
        probe->subprotocol = ws->subprotocol();
      }
      return std::make_unique<EchoHandler>(ws, probe);
    });
  }
  std::unique_ptr<websocket::stream<tcp::socket>> ws_connect(const std::string& offer,
                                                             websocket::response_type* res_out = nullptr) {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(connect());
    ws->set_option(websocket::stream_base::decorator([offer](websocket::request_type& req) {
      if (!offer.empty()) req.set(bhttp::field::sec_websocket_protocol, offer);
    }));
    websocket::response_type res;
    ws->handshake(res, "localhost", "/ws");
    if (res_out) *res_out = res;
    ws->text(true);
    return ws;
  }
  static std::string read_text(websocket::stream<tcp::socket>& ws) {
    beast::flat_buffer b;
    ws.read(b);
    return beast::buffers_to_string(b.data());
  }
  // Reads until the server's close frame; returns its code.
  static std::uint16_t read_close(websocket::stream<tcp::socket>& ws) {
    beast::flat_buffer b;
    boost::system::error_code ec;
    for (;;) {
      ws.read(b, ec);
      if (ec) break;
      b.consume(b.size());
    }
    // The close frame's code is what matters; the TCP teardown after it may race (ENOTCONN).
    return ws.reason().code;
  }
  std::shared_ptr<WsProbe> probe_ = std::make_shared<WsProbe>();
};

TEST_F(WebSocketTest, EchoWithNegotiatedSubprotocol) {
  add_echo();
  start();
  websocket::response_type res;
  auto ws = ws_connect("foo, graphql-transport-ws", &res);
  EXPECT_EQ(res[bhttp::field::sec_websocket_protocol], "graphql-transport-ws");
  ws->write(asio::buffer(std::string("hello")));
  EXPECT_EQ(read_text(*ws), "echo:hello");
  {
    std::lock_guard lock(probe_->m);
    EXPECT_EQ(probe_->subprotocol, "graphql-transport-ws");
    EXPECT_EQ(probe_->client_ip, "127.0.0.1");
  }
  ws->close(websocket::close_code::normal);
  EXPECT_EQ(probe_->closed.get_future().get(), websocket::close_code::normal);
}

TEST_F(WebSocketTest, NoAcceptableSubprotocolIsRefusedWith400) {
  add_echo();
  start();
  auto s = connect();
  send(s,
       "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
       "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(read(s, buf).result_int(), 400);
}

TEST_F(WebSocketTest, SendSharedFromAnotherThread) {
  add_echo();
  start();
  auto ws = ws_connect("graphql-transport-ws");
  ws->write(asio::buffer(std::string("hi")));
  EXPECT_EQ(read_text(*ws), "echo:hi");  // the handler (and probe->socket) exist now
  std::shared_ptr<WebSocket> server_side;
  {
    std::lock_guard lock(probe_->m);
    server_side = probe_->socket;
  }
  auto shared = std::make_shared<const std::string>("{\"event\":1}");
  std::thread t([&] {
    server_side->send_shared("{\"id\":\"a\",\"payload\":", shared, "}");
    server_side->send_text("second");
  });
  t.join();
  EXPECT_EQ(read_text(*ws), "{\"id\":\"a\",\"payload\":{\"event\":1}}");
  EXPECT_EQ(read_text(*ws), "second");
  ws->close(websocket::close_code::normal);
}

TEST_F(WebSocketTest, OversizedMessageClosesWith1009) {
  add_echo();
  ServerOptions o;
  o.max_ws_message_bytes = 1024;
  start(o);
  auto ws = ws_connect("graphql-transport-ws");
  ws->write(asio::buffer(std::string(2000, 'x')));
  EXPECT_EQ(read_close(*ws), websocket::close_code::too_big);
  EXPECT_EQ(probe_->closed.get_future().get(), websocket::close_code::too_big);
}

TEST_F(WebSocketTest, BinaryFrameClosesWith1003) {
  add_echo();
  start();
  auto ws = ws_connect("graphql-transport-ws");
  ws->binary(true);
  ws->write(asio::buffer(std::string("\x01\x02", 2)));
  EXPECT_EQ(read_close(*ws), websocket::close_code::unknown_data);
  EXPECT_EQ(probe_->closed.get_future().get(), websocket::close_code::unknown_data);
}

TEST_F(WebSocketTest, DrainClosesWebSocketsWith1001AndStopsAccepting) {
  add_echo();
  start();
  server_->set_ready(true);
  auto ws = ws_connect("graphql-transport-ws");
  ws->write(asio::buffer(std::string("x")));
  EXPECT_EQ(read_text(*ws), "echo:x");
  auto port = server_->port();
  std::thread drainer([&] { server_->drain(); });
  EXPECT_EQ(read_close(*ws), websocket::close_code::going_away);
  EXPECT_EQ(ws->reason().reason, "server shutting down");
  drainer.join();
  EXPECT_EQ(probe_->closed.get_future().get(), websocket::close_code::going_away);
  tcp::socket s(ioc_);
  boost::system::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, DrainLetsInFlightRequestFinish) {
  auto gate = std::make_shared<base::Completion<int>>();
  auto running = std::make_shared<std::atomic<bool>>(false);
  router_->add("GET", "/slow", [gate, running](Request&) -> base::Task<Response> {
    running->store(true);
    int v = co_await *gate;
    co_return Response::text(200, "done " + std::to_string(v));
  });
  start();
  auto s = connect();
  send(s, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  auto idle = connect();  // an idle keep-alive connection must not hold up the drain
  send(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer ib;
  read(idle, ib);
  // In flight means the handler runs: before that, the request is only
  // bytes in a socket buffer and the connection counts as idle (a loaded
  // machine can be that slow; the drain then rightly closed it).
  for (int i = 0; i < 500 && !running->load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(running->load());
  std::thread drainer([&] { server_->drain(); });
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{drainer};
  EXPECT_TRUE(closed_by_peer(idle));
  gate->complete(7);
  beast::flat_buffer buf;
  auto r = read(s, buf);
  EXPECT_EQ(r.body(), "done 7");
  EXPECT_FALSE(r.keep_alive());
}

// ---------------------------------------------------------------------------
// TLS

TEST_F(ServerTest, ServesOverTls) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("parley_tls_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout " + key +
                    " -out " + cert + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl CLI not available";
  ServerOptions o;
  o.tls_cert_file = cert;
  o.tls_key_file = key;
  start(o);
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_verify_mode(asio::ssl::verify_none);
  beast::ssl_stream<tcp::socket> stream(connect(), ctx);
  stream.handshake(asio::ssl::stream_base::client);
  asio::write(stream, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buf, res);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "ok\n");
  fs::remove_all(dir);
}

TEST(ServerStart, BadConfigIsAnError) {
  ops::Registry m;
  ServerOptions o;
  o.port = 0;
  o.trusted_proxies = {"not a cidr"};
  Server s(o, std::make_shared<Router>(), m);
  EXPECT_FALSE(s.start().is_ok());
  ServerOptions t;
  t.port = 0;
  t.tls_cert_file = "/nonexistent.pem";
  t.tls_key_file = "/nonexistent.key";
  Server s2(t, std::make_shared<Router>(), m);
  EXPECT_FALSE(s2.start().is_ok());
}

}  // namespace
}  // namespace parley::http

namespace parley::http {
namespace {

TEST_F(ServerTest, ThrowingHandlerGets500AndConnectionSurvives) {
  router_->add("GET", "/boom", [](Request&) -> base::Task<Response> {
    throw std::runtime_error("boom");
    co_return Response::text(200, "unreachable");
  });
  start();
  auto s = connect();
  beast::flat_buffer buf;
  send(s, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(read(s, buf).result_int(), 500);
  send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(read(s, buf).result_int(), 200);
}

TEST_F(ServerTest, StaticFilesWithSpaFallbackOverTheWire) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("parley_srv_spa_" + std::to_string(::getpid()));
  fs::create_directories(dir / "_next/static");
  std::ofstream(dir / "index.html") << "<html>app</html>";
  std::ofstream(dir / "_next/static/a1.js") << "js";
  std::ofstream(dir / "_next/static/a1.js.br") << "br!";
  router_->set_static_root(dir);
  start();
  auto spa = roundtrip("GET /chat/42 HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n");
  EXPECT_EQ(spa.result_int(), 200);
  EXPECT_EQ(spa.body(), "<html>app</html>");
  auto js = roundtrip("GET /_next/static/a1.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n");
  EXPECT_EQ(js.body(), "br!");
  EXPECT_EQ(js[bhttp::field::content_encoding], "br");
  EXPECT_EQ(js[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(js[bhttp::field::vary], "Accept-Encoding");
  auto head = roundtrip("HEAD /_next/static/a1.js HTTP/1.1\r\nHost: x\r\n\r\n", true);
  EXPECT_EQ(head[bhttp::field::content_length], "2");
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(roundtrip("GET /missing.png HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n").result_int(), 404);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace parley::http

namespace parley::http {
namespace {

TEST_F(ServerTest, RefusedUploadStillGets413WhileClientKeepsSending) {
  ServerOptions o;
  o.max_body_bytes = 1000;
  router_->add("POST", "/up", [](Request&) -> base::Task<Response> { co_return Response::text(200, "ok"); });
  start(o);
  auto s = connect();
  // Headers and a large part of the body in one go, as a browser upload would.
  send(s, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" + std::string(200000, 'u'));
  beast::flat_buffer buf;
  EXPECT_EQ(read(s, buf).result_int(), 413);
}

}  // namespace
}  // namespace parley::http
