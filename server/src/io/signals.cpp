#include "io/signals.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

namespace parley::io {
namespace asio = boost::asio;

struct SignalWatcher::Impl {
  asio::io_context ctx{1};
  asio::signal_set signals{ctx};
  std::function<void(int)> on_signal;
  int received = 0;
};

SignalWatcher::SignalWatcher() : impl_(std::make_unique<Impl>()) {}
SignalWatcher::~SignalWatcher() {
  boost::system::error_code ec;
  impl_->signals.clear(ec);
}

void SignalWatcher::start(std::function<void(int)> on_signal) {
  impl_->on_signal = std::move(on_signal);
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.async_wait([impl = impl_.get()](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    impl->received = signo;
    if (impl->on_signal) impl->on_signal(signo);
    impl->ctx.stop();
  });
}

int SignalWatcher::wait() {
  impl_->ctx.run();
  return impl_->received;
}

void SignalWatcher::stop() {
  asio::post(impl_->ctx, [impl = impl_.get()] { impl->ctx.stop(); });
}

}  // namespace parley::io
