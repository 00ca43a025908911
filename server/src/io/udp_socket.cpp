#include "io/udp_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>

namespace parley::io {
namespace asio = boost::asio;

namespace {

UdpAddress from_sockaddr(const sockaddr_storage& ss) {
  UdpAddress a;
  if (ss.ss_family == AF_INET6) {
    const auto& s6 = reinterpret_cast<const sockaddr_in6&>(ss);
    a.v6 = true;
    std::memcpy(a.ip.data(), &s6.sin6_addr, 16);
    a.port = ntohs(s6.sin6_port);
  } else {
    const auto& s4 = reinterpret_cast<const sockaddr_in&>(ss);
    std::memcpy(a.ip.data(), &s4.sin_addr, 4);
    a.port = ntohs(s4.sin_port);
  }
  return a;
}

socklen_t to_sockaddr(const UdpAddress& a, bool socket_v6, sockaddr_storage& ss) {
  std::memset(&ss, 0, sizeof ss);
  if (a.v6) {
    auto& s6 = reinterpret_cast<sockaddr_in6&>(ss);
    s6.sin6_family = AF_INET6;
    std::memcpy(&s6.sin6_addr, a.ip.data(), 16);
    s6.sin6_port = htons(a.port);
    return sizeof(sockaddr_in6);
  }
  if (socket_v6) {  // v4-mapped on a v6 socket
    auto& s6 = reinterpret_cast<sockaddr_in6&>(ss);
    s6.sin6_family = AF_INET6;
    s6.sin6_addr.s6_addr[10] = 0xff;
    s6.sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&s6.sin6_addr.s6_addr[12], a.ip.data(), 4);
    s6.sin6_port = htons(a.port);
    return sizeof(sockaddr_in6);
  }
  auto& s4 = reinterpret_cast<sockaddr_in&>(ss);
  s4.sin_family = AF_INET;
  std::memcpy(&s4.sin_addr, a.ip.data(), 4);
  s4.sin_port = htons(a.port);
  return sizeof(sockaddr_in);
}

}  // namespace

std::string UdpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, ip.data(), buf, sizeof buf);
  return v6 ? "[" + std::string(buf) + "]:" + std::to_string(port) : std::string(buf) + ":" + std::to_string(port);
}

struct UdpSocket::Impl {
  explicit Impl(asio::io_context& ctx) : socket(ctx) {}
  asio::ip::udp::socket socket;
  bool v6 = false;
  bool reading = false;
  // Shared with the pending wait's handler: a completion already queued when
  // the socket closes finds false here and touches nothing else.
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  std::array<std::uint8_t, kMaxDatagram> buffer{};
};

UdpSocket::UdpSocket() = default;
UdpSocket::~UdpSocket() { close(); }

base::Result<std::unique_ptr<UdpSocket>> UdpSocket::open(asio::io_context& ctx, std::string_view ip,
                                                         std::uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(std::string(ip), ec);
  if (ec) return base::Status::bad_request("udp: bad address " + std::string(ip));
  std::unique_ptr<UdpSocket> s(new UdpSocket());
  s->impl_ = std::make_unique<Impl>(ctx);
  auto& sock = s->impl_->socket;
  const asio::ip::udp::endpoint ep(addr, port);
  sock.open(ep.protocol(), ec);
  if (!ec) sock.bind(ep, ec);
  if (!ec) sock.non_blocking(true, ec);
  if (ec) return base::Status::unavailable("udp: cannot bind " + std::string(ip) + ":" + std::to_string(port) + ": " +
                                           ec.message());
  // Media bursts (a keyframe is dozens of datagrams): ask for roomy buffers.
  sock.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
  sock.set_option(asio::socket_base::send_buffer_size(4 << 20), ec);
  s->impl_->v6 = addr.is_v6();
  const auto local = sock.local_endpoint(ec);
  s->local_port_ = local.port();
  s->local_.v6 = addr.is_v6();
  if (addr.is_v6()) {
    const auto b = addr.to_v6().to_bytes();
    std::memcpy(s->local_.ip.data(), b.data(), 16);
  } else {
    const auto b = addr.to_v4().to_bytes();
    std::memcpy(s->local_.ip.data(), b.data(), 4);
  }
  s->local_.port = s->local_port_;
  return s;
}

void UdpSocket::start(Handler handler) {
  handler_ = std::move(handler);
  impl_->reading = true;
  arm();
}

void UdpSocket::arm() {
  impl_->socket.async_wait(asio::socket_base::wait_read, [this, alive = impl_->alive](const boost::system::error_code& ec) {
    // After close() the socket may already be gone: touch nothing.
    if (ec || !*alive) return;
    drain();
    if (impl_->reading && impl_->socket.is_open()) arm();
  });
}

void UdpSocket::drain() {
  const int fd = impl_->socket.native_handle();
  for (int i = 0; i < kBatch && impl_->reading; ++i) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(fd, impl_->buffer.data(), impl_->buffer.size(), MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) break;  // EAGAIN: drained (other errors, e.g. ICMP-induced: retry at the next wakeup)
    if (static_cast<std::size_t>(n) > impl_->buffer.size()) {
      ++counters_.truncated;
      continue;
    }
    ++counters_.received;
    UdpAddress a = from_sockaddr(from);
    // A v4-mapped sender on a dual-stack socket is reported as IPv4.
    if (a.v6 && a.ip[10] == 0xff && a.ip[11] == 0xff &&
        std::all_of(a.ip.begin(), a.ip.begin() + 10, [](std::uint8_t b) { return b == 0; })) {
      std::memmove(a.ip.data(), a.ip.data() + 12, 4);
      std::fill(a.ip.begin() + 4, a.ip.end(), 0);
      a.v6 = false;
    }
    handler_(std::span<std::uint8_t>(impl_->buffer.data(), static_cast<std::size_t>(n)), a);
  }
}

bool UdpSocket::send_to(std::span<const std::uint8_t> datagram, const UdpAddress& to) {
  if (!impl_ || !impl_->socket.is_open()) {
    ++counters_.send_errors;
    return false;
  }
  sockaddr_storage ss;
  const socklen_t len = to_sockaddr(to, impl_->v6, ss);
  const ssize_t n = ::sendto(impl_->socket.native_handle(), datagram.data(), datagram.size(), MSG_DONTWAIT,
                             reinterpret_cast<const sockaddr*>(&ss), len);
  if (n != static_cast<ssize_t>(datagram.size())) {
    ++counters_.send_errors;
    return false;
  }
  ++counters_.sent;
  return true;
}

void UdpSocket::close() {
  if (!impl_) return;
  impl_->reading = false;
  *impl_->alive = false;
  boost::system::error_code ec;
  if (impl_->socket.is_open()) impl_->socket.close(ec);
}

}  // namespace parley::io
