// A TCP listener for the media workers' ICE-TCP (RFC 6544, passive): it
// accepts connections and hands their bytes to the owner, who frames them
// (rtc::ice::TcpFramer); writes are queued per connection up to a bound and
// dropped beyond it (a stalled peer must not grow memory: media is
// real-time, and the framing survives whole dropped frames).
//
// Threading: everything except open() runs on the io_context's thread (the
// media worker's), so no lock is taken. Asio stays in the .cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string_view>

#include "base/status.hpp"
#include "io/udp_socket.hpp"

namespace boost::asio {
class io_context;
}

namespace parley::io {

class TcpListener {
 public:
  using ConnectionId = std::uint32_t;  // unique for the listener's life, never 0
  struct Handlers {
    std::function<void(ConnectionId, const UdpAddress& remote)> opened;
    // Bytes as read (any split); the span is valid only during the call.
    std::function<void(ConnectionId, std::span<const std::uint8_t>)> data;
    std::function<void(ConnectionId)> closed;  // by the peer, an error, or close_connection()
  };

  static constexpr std::size_t kMaxConnections = 4096;
  static constexpr std::size_t kMaxQueuedBytes = 256 * 1024;  // per connection

  // Binds and listens on `ip`:`port` (port 0: any free port).
  static base::Result<std::unique_ptr<TcpListener>> open(boost::asio::io_context& ctx, std::string_view ip,
                                                         std::uint16_t port);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  // Starts accepting. REQUIRES: on the loop thread, or before the loop runs.
  void start(Handlers handlers);
  // Closes the listener and every connection (without calling `closed`).
  // Idempotent; the destructor calls it.
  void close();

  // Queues bytes for a connection. False when the connection is unknown or
  // its queue is full (the bytes are dropped and counted).
  bool send(ConnectionId id, std::span<const std::uint8_t> bytes);
  void close_connection(ConnectionId id);

  std::uint16_t local_port() const { return local_port_; }
  std::size_t connections() const;

  struct Counters {
    std::uint64_t accepted = 0;
    std::uint64_t refused = 0;  // over kMaxConnections
    std::uint64_t dropped_bytes = 0;
  };
  const Counters& counters() const;

 private:
  struct Impl;
  explicit TcpListener(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
  std::uint16_t local_port_ = 0;
};

}  // namespace parley::io
