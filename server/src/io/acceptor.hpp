// One listening socket that hands accepted connections to the event loops
// round-robin. Includes Asio's TCP socket type: include it only from .cpp files.
//
// Why one acceptor rather than SO_REUSEPORT per loop: with SO_REUSEPORT the
// kernel hashes the 4-tuple, which spreads few clients (a test, a load
// balancer's handful of pooled connections) unevenly, and closing one of the
// sockets during drain drops connections queued on it. Accepting is cheap
// next to serving a connection, so one acceptor on loop 0 is not a bottleneck.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.hpp"
#include "io/event_loops.hpp"

namespace parley::io {

class Acceptor {
 public:
  // Called on the chosen loop's thread with a socket bound to that loop's io_context.
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket socket, std::size_t loop)>;

  // `loops` must outlive this object and be started before listen().
  Acceptor(EventLoops& loops, OnAccept on_accept);
  ~Acceptor();  // close()s
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Binds host:port (port 0 picks a free one) and starts accepting.
  base::Status listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const { return port_; }
  // Stops accepting and closes the listening socket; blocks until done.
  // Thread-safe; must not be called from loop 0's thread. Idempotent.
  void close();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  bool listening_ = false;
  std::atomic<bool> closed_{false};
};

}  // namespace parley::io
