// Load generator for one media worker: S speakers publish Opus-sized RTP
// (one packet per 20 ms each) over real ICE/DTLS-SRTP on loopback UDP to L
// listeners, so the worker forwards S x L consumers. Reports forwarded
// packets per second and the worker thread's CPU time per forwarded packet
// (CLOCK_THREAD_CPUTIME_ID read on the worker: SRTP, rewriting and the
// sendto() syscalls included). A drain thread reads and discards what the
// listeners receive (undrained sockets would exhaust the kernel's UDP
// memory and make it drop the worker's input too). Latency: speaker 0's
// packets are timed from the publisher's sendto() to their arrival at the
// first and at the last listener of the fan-out (loopback, load generator
// and kernel included: an upper bound of the latency the SFU adds), and
// inside the worker from each datagram's read to each of its copies' send
// (sfu::LatencyHistogram).
//
//   bench_sfu_forward [speakers=10] [listeners=100] [seconds=3]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <algorithm>
#include <atomic>
#include <poll.h>
#include <thread>

#include "sfu/sfu.hpp"
#include "test_peer.hpp"

using namespace parley;
using parley::sfu::test::on_worker;
using parley::sfu::test::Peer;

namespace {

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const int speakers = argc > 1 ? std::atoi(argv[1]) : 10;
  const int listeners = argc > 2 ? std::atoi(argv[2]) : 100;
  const double seconds = argc > 3 ? std::atof(argv[3]) : 3.0;

  sfu::Sfu::Options o;
  o.workers = 1;
  o.worker.room.max_participants = static_cast<std::size_t>(speakers + listeners);
  auto s = sfu::Sfu::create(o, base::SystemClock::instance(), base::SystemRandom::instance());
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.status().to_string().c_str());
    return 1;
  }
  auto& sfu = **s;
  sfu.start();
  sfu::Worker& w = sfu.place();
  sfu::Room* room = on_worker(w, [&] { return *w.create_room("bench", nullptr); });

  std::vector<std::unique_ptr<Peer>> pubs, subs;
  const auto setup0 = std::chrono::steady_clock::now();
  for (int i = 0; i < speakers + listeners; ++i) {
    const bool speaker = i < speakers;
    const std::string id = (speaker ? "s" : "l") + std::to_string(i);
    auto peer = std::make_unique<Peer>(id);
    auto j = on_worker(w, [&] { return room->join(id); });
    if (!j.ok()) {
      std::fprintf(stderr, "join: %s\n", j.status().to_string().c_str());
      return 1;
    }
    if (!on_worker(w, [&] { return room->connect(id, speaker, peer->remote_params()); }).is_ok()) return 1;
    if (!peer->connect(speaker ? j->publish_params : j->subscribe_params)) {
      std::fprintf(stderr, "peer %s did not connect\n", id.c_str());
      return 1;
    }
    if (speaker) {
      sfu::ProducerParams p;
      p.kind = sfu::MediaKind::Audio;
      p.ssrc = 1000 + static_cast<std::uint32_t>(i);
      p.payload_type = 111;
      p.audio_level_id = 1;
      if (!on_worker(w, [&] { return room->produce(id, p); }).ok()) return 1;
      pubs.push_back(std::move(peer));
    } else {
      subs.push_back(std::move(peer));
    }
  }
  const auto consumers = static_cast<long>(speakers) * listeners;
  const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup0).count();
  // Setup may take longer than ICE consent (30 s): refresh every peer now
  // and every 2 s while sending, as browsers do.
  auto refresh = [&] {
    for (auto& p : pubs) p->refresh_consent();
    for (auto& p : subs) p->refresh_consent();
  };
  refresh();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  // Latency probes: speaker 0 to the first and the last listener.
  const auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  std::vector<std::atomic<std::int64_t>> sent_ns(65536);
  struct Probe {
    int fd;
    std::uint32_t ssrc;
    bool have_base = false;
    std::uint16_t base_out = 0;
    std::vector<double> us;
  };
  std::vector<Probe> probes;
  for (int k : {0, listeners - 1}) {
    const std::string lid = "l" + std::to_string(speakers + k);
    const auto infos = on_worker(w, [&] { return room->consumers(lid); });
    for (const auto& ci : infos) {
      if (ci.publisher == "s0") probes.push_back({subs[k]->fd(), ci.ssrc, false, 0, {}});
    }
  }
  std::atomic<bool> draining{true};
  std::atomic<std::uint64_t> received{0};
  std::thread drain([&] {
    std::vector<pollfd> fds;
    for (auto& p : subs) fds.push_back({p->fd(), POLLIN, 0});
    for (auto& p : pubs) fds.push_back({p->fd(), POLLIN, 0});
    char buf[2048];
    while (draining) {
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      for (auto& f : fds) {
        if (!(f.revents & POLLIN)) continue;
        ssize_t n;
        while ((n = ::recv(f.fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
          received.fetch_add(1, std::memory_order_relaxed);
          if (n < 12) continue;
          const auto* b = reinterpret_cast<const std::uint8_t*>(buf);
          const std::uint32_t ssrc = (std::uint32_t{b[8]} << 24) | (b[9] << 16) | (b[10] << 8) | b[11];
          for (auto& pr : probes) {
            if (pr.fd != f.fd || pr.ssrc != ssrc) continue;
            const std::uint16_t out = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
            if (!pr.have_base) {  // the first packet of the stream was seq 0 from speaker 0
              pr.have_base = true;
              pr.base_out = out;
            }
            const std::uint16_t in = static_cast<std::uint16_t>(out - pr.base_out);
            const std::int64_t t = sent_ns[in].load(std::memory_order_relaxed);
            if (t > 0) pr.us.push_back(static_cast<double>(now_ns() - t) / 1000.0);
          }
        }
      }
    }
  });
  const double cpu0 = on_worker(w, [] { return thread_cpu_s(); });
  const auto fwd0 = on_worker(w, [&] { return room->counters().forwarded; });
  const auto t0 = std::chrono::steady_clock::now();
  std::uint16_t seq = 0;
  auto next = t0;
  while (std::chrono::steady_clock::now() - t0 < std::chrono::duration<double>(seconds)) {
    for (int i = 0; i < speakers; ++i) {
      if (i == 0) sent_ns[seq].store(now_ns(), std::memory_order_relaxed);
      pubs[i]->send_rtp(1000 + static_cast<std::uint32_t>(i), 111, seq, seq * 960u, 80, 1, 40);
    }
    ++seq;
    if (seq % 100 == 0) refresh();
    next += std::chrono::milliseconds(20);
    std::this_thread::sleep_until(next);
  }
  // Let the worker finish what is queued.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  draining = false;
  drain.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu1 = on_worker(w, [] { return thread_cpu_s(); });
  const auto fwd1 = on_worker(w, [&] { return room->counters().forwarded; });
  const auto c = on_worker(w, [&] { return w.counters(); });
  const double forwarded = static_cast<double>(fwd1 - fwd0);
  const double in_pkts = static_cast<double>(seq) * speakers;

  std::printf("speakers=%d listeners=%d consumers=%ld seconds=%.1f (setup %.1f s)\n", speakers, listeners, consumers,
              wall, setup_s);
  std::printf("packets in: %.0f  forwarded: %.0f (expected %.0f)  send errors: %llu\n", in_pkts, forwarded,
              in_pkts * listeners, static_cast<unsigned long long>(c.send_errors));
  std::printf("datagrams the peers received: %llu\n", static_cast<unsigned long long>(received.load()));
  std::printf("worker datagrams in: %llu  srtp errors: %llu  not ready: %llu  unknown path: %llu\n",
              static_cast<unsigned long long>(c.datagrams_in), static_cast<unsigned long long>(c.srtp_errors),
              static_cast<unsigned long long>(c.not_ready), static_cast<unsigned long long>(c.unknown_path));
  std::printf("forwarded/s: %.0f  worker CPU: %.1f%%  CPU per forwarded packet: %.2f us\n", forwarded / wall,
              100.0 * (cpu1 - cpu0) / wall, forwarded > 0 ? 1e6 * (cpu1 - cpu0) / forwarded : 0.0);
  // Inside the worker: datagram read -> each copy sent (SRTP, rewriting and
  // the sendto() of the copies before it included; kernel queues not).
  // (nothing is forwarded before the run, so the worker's histogram is this run's)
  const sfu::LatencyHistogram latency = on_worker(w, [&] { return w.forward_latency(); });
  std::printf("added latency in the worker (read -> each copy sent): p50 <= %.1f us  p99 <= %.1f us  (%llu copies)\n",
              latency.quantile_us(0.5), latency.quantile_us(0.99), static_cast<unsigned long long>(latency.count()));
  for (std::size_t k = 0; k < probes.size(); ++k) {
    auto& v = probes[k].us;
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    std::printf("latency speaker 0 -> %s listener: p50 %.0f us  p99 %.0f us  (%zu packets)\n",
                k == 0 ? "first" : "last", v[v.size() / 2], v[v.size() * 99 / 100], v.size());
  }
  sfu.stop();
  return 0;
}
