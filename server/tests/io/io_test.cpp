#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <fstream>
#include <future>
#include <thread>

#include "io/acceptor.hpp"
#include "io/event_loops.hpp"
#include "io/signals.hpp"
#include "io/tls.hpp"

namespace parley::io {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TEST(EventLoops, EachLoopRunsOnItsOwnThreadWithItsExecutorCurrent) {
  EventLoops loops(2);
  loops.start();
  ASSERT_EQ(loops.size(), 2u);
  std::promise<std::pair<std::thread::id, base::Executor*>> p0, p1;
  loops.executor(0).post([&] { p0.set_value({std::this_thread::get_id(), base::current_executor()}); });
  loops.executor(1).post([&] { p1.set_value({std::this_thread::get_id(), base::current_executor()}); });
  auto r0 = p0.get_future().get();
  auto r1 = p1.get_future().get();
  EXPECT_NE(r0.first, r1.first);
  EXPECT_NE(r0.first, std::this_thread::get_id());
  EXPECT_EQ(r0.second, &loops.executor(0));
  EXPECT_EQ(r1.second, &loops.executor(1));
  loops.stop();
}

TEST(EventLoops, CompletionResumesTaskOnItsLoop) {
  EventLoops loops(2);
  loops.start();
  auto op = std::make_shared<base::Completion<int>>();
  std::promise<std::pair<int, bool>> result;
  auto task = [](EventLoops* l, std::shared_ptr<base::Completion<int>> c,
                 std::promise<std::pair<int, bool>>* out) -> base::Task<void> {
    int v = co_await *c;
    out->set_value({v, l->on_loop(1)});
  };
  spawn_on(loops.executor(1), task(&loops, op, &result));
  std::thread other([op] { op->complete(42); });  // completes on a foreign thread
  auto r = result.get_future().get();
  other.join();
  EXPECT_EQ(r.first, 42);
  EXPECT_TRUE(r.second);
}

TEST(Acceptor, DistributesConnectionsRoundRobinAndEchoes) {
  EventLoops loops(2);
  loops.start();
  std::mutex m;
  std::vector<std::size_t> seen;
  std::vector<std::shared_ptr<tcp::socket>> keep;
  Acceptor acc(loops, [&](tcp::socket s, std::size_t loop) {
    EXPECT_TRUE(loops.on_loop(loop));
    auto sock = std::make_shared<tcp::socket>(std::move(s));
    asio::write(*sock, asio::buffer(std::string("hi")));
    std::lock_guard lock(m);
    seen.push_back(loop);
    keep.push_back(sock);
  });
  ASSERT_TRUE(acc.listen("127.0.0.1", 0).is_ok());
  ASSERT_NE(acc.port(), 0);
  asio::io_context client;
  for (int i = 0; i < 4; ++i) {
    tcp::socket s(client);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), acc.port()));
    char buf[2];
    asio::read(s, asio::buffer(buf));
    EXPECT_EQ(std::string(buf, 2), "hi");
  }
  acc.close();
  {
    std::lock_guard lock(m);
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 0u), 2);
    keep.clear();
  }
  // Closed: new connections are refused.
  tcp::socket s(client);
  boost::system::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), acc.port()), ec);
  EXPECT_TRUE(ec);
  loops.stop();
}

TEST(Acceptor, BindErrorIsReported) {
  EventLoops loops(1);
  loops.start();
  Acceptor a(loops, [](tcp::socket, std::size_t) {});
  ASSERT_TRUE(a.listen("127.0.0.1", 0).is_ok());
  Acceptor b(loops, [](tcp::socket, std::size_t) {});
  EXPECT_FALSE(b.listen("127.0.0.1", a.port()).is_ok());
  EXPECT_FALSE(b.listen("not-an-ip", 0).is_ok());
  a.close();
  loops.stop();
}

TEST(Tls, MissingFilesAreAClearError) {
  auto r = make_tls_server_context("/nonexistent/cert.pem", "/nonexistent/key.pem");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), base::Code::BadRequest);
}

TEST(Signals, SigtermWakesWaitAndRunsCallback) {
  SignalWatcher w;
  int called = 0;
  w.start([&](int s) { called = s; });
  std::raise(SIGTERM);
  EXPECT_EQ(w.wait(), SIGTERM);
  EXPECT_EQ(called, SIGTERM);
}

TEST(Signals, StopWakesWait) {
  SignalWatcher w;
  w.start();
  std::thread t([&] { w.stop(); });
  EXPECT_EQ(w.wait(), 0);
  t.join();
}

}  // namespace
}  // namespace parley::io
