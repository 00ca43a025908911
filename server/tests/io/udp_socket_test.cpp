#include "io/udp_socket.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "io/event_loops.hpp"

namespace parley::io {
namespace {

// Runs fn on loop 0 and waits for it.
template <typename F>
auto on_loop(EventLoops& loops, F fn) {
  std::promise<decltype(fn())> p;
  loops.executor(0).post([&] { p.set_value(fn()); });
  return p.get_future().get();
}

TEST(UdpSocket, EchoesBetweenTwoSocketsOnOneLoop) {
  EventLoops loops(1);
  auto a = UdpSocket::open(loops.context(0), "127.0.0.1", 0);
  auto b = UdpSocket::open(loops.context(0), "127.0.0.1", 0);
  ASSERT_TRUE(a.ok() && b.ok());
  UdpSocket& sa = **a;
  UdpSocket& sb = **b;
  EXPECT_NE(sa.local_port(), 0);
  EXPECT_EQ(sa.local_address().to_string(), "127.0.0.1:" + std::to_string(sa.local_port()));

  std::promise<std::vector<std::string>> got;
  std::vector<std::string> seen;
  const int kCount = 200;  // more than one batch
  // b echoes every datagram back to its sender, upper-cased in place.
  sb.start([&sb](std::span<std::uint8_t> d, const UdpAddress& from) {
    for (auto& c : d) c = static_cast<std::uint8_t>(std::toupper(c));
    sb.send_to(d, from);
  });
  sa.start([&](std::span<std::uint8_t> d, const UdpAddress& from) {
    EXPECT_EQ(from, sb.local_address());
    seen.emplace_back(d.begin(), d.end());
    if (static_cast<int>(seen.size()) == kCount) got.set_value(seen);
  });
  loops.start();
  on_loop(loops, [&] {
    for (int i = 0; i < kCount; ++i) {
      const std::string m = "ping " + std::to_string(i);
      EXPECT_TRUE(sa.send_to(std::span(reinterpret_cast<const std::uint8_t*>(m.data()), m.size()), sb.local_address()));
    }
    return 0;
  });
  auto f = got.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto r = f.get();
  EXPECT_EQ(r.front(), "PING 0");
  EXPECT_EQ(on_loop(loops, [&] { return sa.counters().sent; }), static_cast<std::uint64_t>(kCount));
  EXPECT_EQ(on_loop(loops, [&] { return sb.counters().received; }), static_cast<std::uint64_t>(kCount));
  on_loop(loops, [&] {
    sa.close();
    sb.close();
    return 0;
  });
  loops.stop();
}

TEST(UdpSocket, OversizedDatagramIsDroppedAndCounted) {
  EventLoops loops(1);
  auto a = UdpSocket::open(loops.context(0), "127.0.0.1", 0);
  auto b = UdpSocket::open(loops.context(0), "127.0.0.1", 0);
  ASSERT_TRUE(a.ok() && b.ok());
  std::promise<std::size_t> small;
  (*b)->start([&](std::span<std::uint8_t> d, const UdpAddress&) { small.set_value(d.size()); });
  loops.start();
  on_loop(loops, [&] {
    std::vector<std::uint8_t> big(UdpSocket::kMaxDatagram + 100, 1), tiny(3, 2);
    (*a)->send_to(big, (*b)->local_address());
    (*a)->send_to(tiny, (*b)->local_address());
    return 0;
  });
  auto f = small.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(f.get(), 3u);
  EXPECT_EQ(on_loop(loops, [&] { return (*b)->counters().truncated; }), 1u);
  on_loop(loops, [&] {
    (*a)->close();
    (*b)->close();
    return 0;
  });
  loops.stop();
}

TEST(UdpSocket, BadAddressAndClosedSendFail) {
  EventLoops loops(1);
  EXPECT_FALSE(UdpSocket::open(loops.context(0), "not-an-ip", 0).ok());
  auto a = UdpSocket::open(loops.context(0), "::1", 0);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE((*a)->local_address().v6);
  (*a)->close();
  std::uint8_t x = 1;
  EXPECT_FALSE((*a)->send_to(std::span(&x, 1), (*a)->local_address()));
  EXPECT_EQ((*a)->counters().send_errors, 1u);
}

}  // namespace
}  // namespace parley::io
