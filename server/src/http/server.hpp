// The HTTP/1.1 + WebSocket server (Boost.Beast behind a pimpl).
//
// Threading: start(), drain(), wait() and the destructor are called from one
// controlling thread (main or a test), never from a loop thread. Handlers and
// WebSocket handlers run on the loop thread that owns their connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/executor.hpp"
#include "base/status.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/websocket.hpp"
#include "ops/metrics.hpp"

namespace parley::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // port 0 = pick a free one
  int threads = 0;            // 0 = hardware_concurrency
  std::string tls_cert_file, tls_key_file;  // both set = TLS
  std::size_t max_header_bytes = 8 * 1024;           // -> 431
  std::size_t max_body_bytes = 1024 * 1024;          // -> 413
  std::size_t max_ws_message_bytes = 64 * 1024;      // -> close 1009
  int idle_timeout_s = 60;     // keep-alive connection with no request -> closed
  int header_timeout_s = 10;   // first byte .. end of headers (slowloris) -> closed
  int max_connections_per_ip = 256;  // -> 429 and close; trusted proxies are exempt
  std::vector<std::string> trusted_proxies;  // CIDRs whose X-Forwarded-For/-Proto are believed
  int drain_timeout_s = 10;
  // Additions:
  int ws_idle_timeout_s = 300;  // no frame (incl. pong) from the peer for this long -> closed; pings at half
  std::size_t ws_max_queued_bytes = 16 * 1024 * 1024;  // a slower reader is disconnected (1008)
};

class Server {
 public:
  // `metrics` must outlive the server. The router must not change after start().
  Server(ServerOptions opts, std::shared_ptr<Router> router, ops::Registry& metrics);
  ~Server();  // drains if still running (without waiting for in-flight work)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  base::Status start();          // binds and starts the loop threads; returns bind/TLS/config errors
  std::uint16_t port() const;    // the bound port (after start)
  void set_ready(bool ready);    // /readyz; thread-safe
  // Graceful shutdown: stop accepting; /readyz -> 503; in-flight requests
  // finish (until drain_timeout_s); every WebSocket is closed with 1001
  // "server shutting down"; then the loops stop. Blocks until done. Idempotent.
  void drain();
  // Blocks until SIGTERM or SIGINT arrives (installs the handlers), then returns.
  void wait();
  std::vector<base::Executor*> executors();  // one per loop thread (valid after start)

  struct Impl;  // opaque; public only so the connection classes in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::http
