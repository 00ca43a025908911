#include "io/tcp_listener.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <array>
#include <cstring>
#include <deque>
#include <vector>

namespace parley::io {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

UdpAddress from_endpoint(const tcp::endpoint& ep) {
  UdpAddress a;
  const auto addr = ep.address();
  if (addr.is_v6() && !addr.to_v6().is_v4_mapped()) {
    a.v6 = true;
    const auto bytes = addr.to_v6().to_bytes();
    std::memcpy(a.ip.data(), bytes.data(), 16);
  } else {
    const auto v4 = addr.is_v6() ? asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6()) : addr.to_v4();
    const auto bytes = v4.to_bytes();
    std::memcpy(a.ip.data(), bytes.data(), 4);
  }
  a.port = ep.port();
  return a;
}

}  // namespace

struct TcpListener::Impl : std::enable_shared_from_this<Impl> {
  struct Connection {
    explicit Connection(asio::io_context& ctx) : socket(ctx) {}
    tcp::socket socket;
    std::array<std::uint8_t, 4096> buffer{};
    std::deque<std::vector<std::uint8_t>> queue;
    std::size_t queued = 0;
    bool writing = false;
  };

  explicit Impl(asio::io_context& c) : ctx(c), acceptor(c) {}

  asio::io_context& ctx;
  tcp::acceptor acceptor;
  Handlers handlers;
  std::map<ConnectionId, std::shared_ptr<Connection>> connections;
  ConnectionId next_id = 1;
  bool closed = false;
  Counters counters;

  void accept() {
    auto conn = std::make_shared<Connection>(ctx);
    acceptor.async_accept(conn->socket, [self = shared_from_this(), conn](const boost::system::error_code& ec) {
      if (self->closed) return;
      if (!ec) self->opened(conn);
      if (ec != asio::error::operation_aborted) self->accept();
    });
  }

  void opened(const std::shared_ptr<Connection>& conn) {
    if (connections.size() >= kMaxConnections) {
      ++counters.refused;
      boost::system::error_code ignored;
      conn->socket.close(ignored);
      return;
    }
    ++counters.accepted;
    boost::system::error_code ec;
    conn->socket.set_option(tcp::no_delay(true), ec);  // media: no Nagle delay
    const auto remote = conn->socket.remote_endpoint(ec);
    if (ec) {
      conn->socket.close(ec);
      return;
    }
    const ConnectionId id = next_id++;
    connections.emplace(id, conn);
    if (handlers.opened) handlers.opened(id, from_endpoint(remote));
    read(id, conn);
  }

  void read(ConnectionId id, const std::shared_ptr<Connection>& conn) {
    conn->socket.async_read_some(
        asio::buffer(conn->buffer), [self = shared_from_this(), id, conn](const boost::system::error_code& ec,
                                                                          std::size_t n) {
          if (self->closed || !self->connections.contains(id)) return;
          if (ec) {
            self->drop(id, true);
            return;
          }
          if (self->handlers.data) self->handlers.data(id, std::span<const std::uint8_t>(conn->buffer.data(), n));
          if (self->connections.contains(id)) self->read(id, conn);
        });
  }

  void write_next(ConnectionId id, const std::shared_ptr<Connection>& conn) {
    if (conn->queue.empty()) {
      conn->writing = false;
      return;
    }
    conn->writing = true;
    asio::async_write(conn->socket, asio::buffer(conn->queue.front()),
                      [self = shared_from_this(), id, conn](const boost::system::error_code& ec, std::size_t) {
                        if (self->closed || !self->connections.contains(id)) return;
                        conn->queued -= conn->queue.front().size();
                        conn->queue.pop_front();
                        if (ec) {
                          self->drop(id, true);
                          return;
                        }
                        self->write_next(id, conn);
                      });
  }

  void drop(ConnectionId id, bool notify) {
    auto it = connections.find(id);
    if (it == connections.end()) return;
    auto conn = it->second;
    connections.erase(it);
    boost::system::error_code ignored;
    conn->socket.close(ignored);
    if (notify && handlers.closed) handlers.closed(id);
  }
};

TcpListener::TcpListener(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

TcpListener::~TcpListener() { close(); }

base::Result<std::unique_ptr<TcpListener>> TcpListener::open(asio::io_context& ctx, std::string_view ip,
                                                             std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(std::string(ip), ec);
  if (ec) return base::Status::bad_request("tcp: not an IP address: " + std::string(ip));
  auto impl = std::make_shared<Impl>(ctx);
  const tcp::endpoint ep(address, port);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return base::Status::unavailable("tcp: cannot listen on " + std::string(ip) + ":" + std::to_string(port) + ": " +
                                     ec.message());
  }
  std::unique_ptr<TcpListener> listener(new TcpListener(impl));
  listener->local_port_ = impl->acceptor.local_endpoint(ec).port();
  return listener;
}

void TcpListener::start(Handlers handlers) {
  impl_->handlers = std::move(handlers);
  impl_->accept();
}

void TcpListener::close() {
  if (!impl_ || impl_->closed) return;
  impl_->closed = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& [id, conn] : impl_->connections) conn->socket.close(ignored);
  impl_->connections.clear();
}

bool TcpListener::send(ConnectionId id, std::span<const std::uint8_t> bytes) {
  auto it = impl_->connections.find(id);
  if (it == impl_->connections.end()) return false;
  auto& conn = it->second;
  if (conn->queued + bytes.size() > kMaxQueuedBytes) {
    impl_->counters.dropped_bytes += bytes.size();
    return false;
  }
  conn->queue.emplace_back(bytes.begin(), bytes.end());
  conn->queued += bytes.size();
  if (!conn->writing) impl_->write_next(id, conn);
  return true;
}

void TcpListener::close_connection(ConnectionId id) { impl_->drop(id, true); }

std::size_t TcpListener::connections() const { return impl_->connections.size(); }

const TcpListener::Counters& TcpListener::counters() const { return impl_->counters; }

}  // namespace parley::io
