#include "sfu/sfu.hpp"

#include <future>

namespace parley::sfu {

base::Result<std::unique_ptr<Sfu>> Sfu::create(const Options& options, base::Clock& clock, base::Random& random) {
  std::unique_ptr<Sfu> s(new Sfu());
  auto dtls = rtc::dtls::Context::create();
  if (!dtls.ok()) return dtls.status();
  s->dtls_ = *dtls;
  s->loops_ = std::make_unique<io::EventLoops>(options.workers);
  for (std::size_t i = 0; i < s->loops_->size(); ++i) {
    Worker::Options wo = options.worker;
    wo.listen_ip = options.listen_ip;
    wo.port = options.first_port == 0 ? 0 : static_cast<std::uint16_t>(options.first_port + i);
    wo.announced_ip = options.announced_ip;
    auto w = std::make_unique<Worker>(static_cast<std::uint32_t>(i), s->loops_->context(i), s->loops_->executor(i),
                                      s->dtls_, clock, random, wo);
    PARLEY_RETURN_IF_ERROR(w->open());
    s->workers_.push_back(std::move(w));
  }
  return s;
}

Sfu::~Sfu() { stop(); }

void Sfu::start() {
  if (started_) return;
  started_ = true;
  loops_->start();
  for (auto& w : workers_) {
    Worker* wp = w.get();
    wp->post([wp] { wp->start(); });
  }
}

void Sfu::stop() {
  if (!started_) return;
  started_ = false;
  for (auto& w : workers_) {
    std::promise<void> done;
    Worker* wp = w.get();
    wp->post([wp, &done] {
      wp->stop();
      done.set_value();
    });
    done.get_future().wait();
  }
  loops_->stop();
}

Worker::Counters Sfu::counters() {
  Worker::Counters total;
  for (auto& w : workers_) {
    std::promise<Worker::Counters> p;
    Worker* wp = w.get();
    wp->post([wp, &p] { p.set_value(wp->counters()); });
    total += p.get_future().get();
  }
  return total;
}

LatencyHistogram Sfu::forward_latency() {
  LatencyHistogram total;
  for (auto& w : workers_) {
    std::promise<LatencyHistogram> p;
    Worker* wp = w.get();
    wp->post([wp, &p] { p.set_value(wp->forward_latency()); });
    total += p.get_future().get();
  }
  return total;
}

Worker& Sfu::place() { return *workers_.at(next_++ % workers_.size()); }

}  // namespace parley::sfu
