// The SFU: N media workers (one thread each, io::EventLoops), each with its
// own UDP port, rooms and transports, sharing one DTLS certificate. A room
// lives on one worker for its whole life; Sfu::place() picks the worker
// for a new room (round-robin) and the signalling layer then talks to that
// worker only, through Worker::post (see docs/sfu.md for the call flow).
//
// Threading: create/start/stop and place() from any one control thread;
// workers run their own threads. Room and Worker methods only on the
// worker's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/status.hpp"
#include "io/event_loops.hpp"
#include "sfu/worker.hpp"

namespace parley::sfu {

class Sfu {
 public:
  struct Options {
    int workers = 0;  // <= 0: one per core
    std::string listen_ip = "127.0.0.1";
    std::uint16_t first_port = 0;  // worker i binds first_port + i (0: any free port each)
    std::string announced_ip;
    Worker::Options worker;  // listen_ip/port/announced_ip above override these
  };

  static base::Result<std::unique_ptr<Sfu>> create(const Options& options, base::Clock& clock, base::Random& random);
  ~Sfu();
  Sfu(const Sfu&) = delete;
  Sfu& operator=(const Sfu&) = delete;

  // Starts the worker threads. stop() closes every room and joins them.
  void start();
  void stop();

  std::size_t size() const { return workers_.size(); }
  Worker& worker(std::size_t i) { return *workers_.at(i); }
  // The worker a new room should go to.
  Worker& place();
  const std::string& fingerprint() const { return dtls_->fingerprint_sha256(); }
  // Every worker's counters summed (for /metrics). Asks each worker on its
  // thread and waits; call from outside the workers, after start().
  Worker::Counters counters();
  // Every worker's forwarding latency merged (same threading as counters()).
  LatencyHistogram forward_latency();

 private:
  Sfu() = default;
  std::unique_ptr<io::EventLoops> loops_;
  std::shared_ptr<const rtc::dtls::Context> dtls_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::size_t next_ = 0;
  bool started_ = false;
};

}  // namespace parley::sfu
