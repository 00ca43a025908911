// A UDP socket for the media workers: one socket bound to one address,
// read on its event loop in batches, written with non-blocking sends.
//
// Receiving: start() arms a readiness wait on the socket's io_context; when
// the socket is readable every queued datagram (up to kBatch per wakeup) is
// read into one reusable buffer and handed to the handler, then the wait is
// re-armed. The handler gets a mutable span (SRTP unprotects in place) that
// is valid only during the call. No allocation per datagram.
//
// Sending: send_to() is a non-blocking sendto(); a datagram the kernel will
// not take right now (EAGAIN, ENOBUFS) is dropped and counted, as a router
// would: the packet path never queues or blocks.
//
// Threading: everything except open() runs on the socket's io_context
// thread (the media worker's), so no lock is taken. Asio stays in the .cpp.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.hpp"

namespace boost::asio {
class io_context;
}

namespace parley::io {

// An IPv4 or IPv6 address and port, as raw bytes (v4 in the first four).
struct UdpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> ip{};
  std::uint16_t port = 0;
  std::string to_string() const;
  friend bool operator==(const UdpAddress&, const UdpAddress&) = default;
};

class UdpSocket {
 public:
  // Datagram, sender. The span is valid only during the call.
  using Handler = std::function<void(std::span<std::uint8_t>, const UdpAddress&)>;

  // Largest datagram read; anything longer is truncated by the kernel and
  // dropped here (counted as `truncated`).
  static constexpr std::size_t kMaxDatagram = 2048;
  static constexpr int kBatch = 64;

  // Binds `ip`:`port` (port 0: any free port). Thread-safe with respect to
  // the loop (it does not touch it until start()).
  static base::Result<std::unique_ptr<UdpSocket>> open(boost::asio::io_context& ctx, std::string_view ip,
                                                       std::uint16_t port);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  // Starts reading; `handler` runs on the loop thread for each datagram.
  // REQUIRES: on the loop thread, or before the loop runs.
  void start(Handler handler);
  // Stops reading and closes the socket. REQUIRES: on the loop thread (or
  // after it stopped). Idempotent; the destructor calls it.
  void close();

  // False when the datagram was dropped (counted in send_errors).
  bool send_to(std::span<const std::uint8_t> datagram, const UdpAddress& to);

  std::uint16_t local_port() const { return local_port_; }
  const UdpAddress& local_address() const { return local_; }

  struct Counters {
    std::uint64_t received = 0;
    std::uint64_t sent = 0;
    std::uint64_t send_errors = 0;
    std::uint64_t truncated = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  struct Impl;
  UdpSocket();
  void arm();
  void drain();

  std::unique_ptr<Impl> impl_;
  Handler handler_;
  UdpAddress local_;
  std::uint16_t local_port_ = 0;
  Counters counters_;
};

}  // namespace parley::io
