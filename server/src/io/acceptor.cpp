#include "io/acceptor.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>

namespace parley::io {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Acceptor::Impl : std::enable_shared_from_this<Impl> {
  Impl(EventLoops& l, OnAccept cb) : loops(l), on_accept(std::move(cb)), acceptor(l.context(0)), retry(l.context(0)) {}
  EventLoops& loops;
  OnAccept on_accept;
  tcp::acceptor acceptor;  // used on loop 0 only (after listen())
  asio::steady_timer retry;
  bool closed = false;

  void accept_next() {
    if (closed) return;
    std::size_t target = loops.next_index();
    acceptor.async_accept(loops.context(target), [self = shared_from_this(), target](boost::system::error_code ec,
                                                                                      tcp::socket socket) {
      if (self->closed || ec == asio::error::operation_aborted) return;
      if (ec) {
        // EMFILE/ENFILE and friends: back off briefly instead of spinning.
        spdlog::warn("io: accept failed: {}", ec.message());
        self->retry.expires_after(std::chrono::milliseconds(100));
        self->retry.async_wait([self](boost::system::error_code) { self->accept_next(); });
        return;
      }
      auto holder = std::make_shared<tcp::socket>(std::move(socket));
      asio::post(self->loops.context(target),
                 [self, holder, target] { self->on_accept(std::move(*holder), target); });
      self->accept_next();
    });
  }
};

Acceptor::Acceptor(EventLoops& loops, OnAccept on_accept)
    : impl_(std::make_shared<Impl>(loops, std::move(on_accept))) {}

Acceptor::~Acceptor() { close(); }

base::Status Acceptor::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return base::Status::bad_request("bad listen address " + host + ": " + ec.message());
  tcp::endpoint ep(addr, port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    a.close(ignored);
    return base::Status::unavailable("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  port_ = a.local_endpoint(ec).port();
  listening_ = true;
  asio::post(impl_->loops.context(0), [impl = impl_] { impl->accept_next(); });
  return base::Status::ok();
}

void Acceptor::close() {
  if (!listening_ || closed_.exchange(true)) return;
  auto done = std::make_shared<std::promise<void>>();
  auto fut = done->get_future();
  asio::post(impl_->loops.context(0), [impl = impl_, done] {
    impl->closed = true;
    boost::system::error_code ec;
    impl->acceptor.close(ec);
    impl->retry.cancel();
    done->set_value();
  });
  // If the loops are not running the post never runs; do not hang.
  fut.wait_for(std::chrono::seconds(5));
}

}  // namespace parley::io
