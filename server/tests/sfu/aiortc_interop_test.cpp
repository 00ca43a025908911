// Interop with a WebRTC implementation nobody here wrote: Debian's aiortc
// (python3-aiortc, installed by `scripts/install-deps.sh`) publishes a tone and
// moving video through the SFU to a second aiortc peer, which must decode
// both. Skipped when aiortc is not installed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "rtc/sdp/webrtc.hpp"
#include "sfu/negotiation.hpp"
#include "sfu/sfu.hpp"

namespace parley::sfu {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

template <typename F>
auto on_worker(Worker& w, F fn) {
  std::promise<decltype(fn())> p;
  w.post([&] { p.set_value(fn()); });
  return p.get_future().get();
}

// aiortc_peer.py in a child process, spoken to in JSON lines.
class AiortcPeer {
 public:
  explicit AiortcPeer(const std::string& role) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      const std::string script = std::string(PARLEY_SOURCE_DIR) + "/server/tests/sfu/aiortc_peer.py";
      ::execl(kPython, kPython, script.c_str(), role.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~AiortcPeer() {
    if (to_ >= 0) ::close(to_);  // stdin closes: the script exits
    if (pid_ > 0) {
      for (int i = 0; i < 50 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i) ::usleep(100'000);
      if (::waitpid(pid_, nullptr, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    if (from_ >= 0) ::close(from_);
  }

  void send(const nlohmann::json& j) {
    const std::string line = j.dump() + "\n";
    ASSERT_EQ(::write(to_, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  }

  // The next line that has `key`, or null after the timeout.
  nlohmann::json read(const std::string& key, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      const auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        auto j = nlohmann::json::parse(buffer_.substr(0, nl), nullptr, false);
        buffer_.erase(0, nl + 1);
        if (!j.is_discarded()) log.push_back(j.dump().substr(0, 200));
        if (!j.is_discarded() && j.contains(key)) return j;
        continue;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return nullptr;
      pollfd p{from_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::read(from_, buf, sizeof buf);
      if (n <= 0) return nullptr;
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  std::vector<std::string> log;

 private:
  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
  std::string buffer_;
};

// One call: aiortc publishes, a second aiortc subscribes and must decode;
// `drop_one_in` simulates loss after the SFU (0: none). Returns the SFU's
// counters when the subscriber decoded enough.
void run_call(std::uint32_t drop_one_in, Worker::Counters* out) {
  AiortcPeer pub("publish");
  auto offer = pub.read("offer", 20000);
  ASSERT_FALSE(offer.is_null()) << "aiortc produced no offer";
  const std::string offer_sdp = offer["offer"];
  // aiortc gathers host candidates on the machine's interfaces (not
  // loopback): announce the SFU on the same IPv4 address.
  auto d = rtc::sdp::parse_webrtc(offer_sdp);
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  std::string ip;
  for (const auto& c : d->media.at(0).candidates) {
    if (c.address.find(':') == std::string::npos) ip = c.address;
  }
  ASSERT_FALSE(ip.empty());

  Sfu::Options o;
  o.workers = 1;
  o.listen_ip = ip;
  o.worker.room.test_drop_one_in = drop_one_in;
  auto s = Sfu::create(o, base::SystemClock::instance(), base::SystemRandom::instance());
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  Sfu& sfu = **s;
  sfu.start();
  Worker& w = sfu.place();
  Room* room = on_worker(w, [&] { return *w.create_room("interop", nullptr); });
  SdpNegotiator neg(*room);
  ASSERT_TRUE(on_worker(w, [&] { return room->join("pub"); }).ok());
  ASSERT_TRUE(on_worker(w, [&] { return room->join("sub"); }).ok());

  auto answer = on_worker(w, [&] { return neg.on_publish_offer("pub", offer_sdp); });
  ASSERT_TRUE(answer.ok()) << answer.status().to_string();
  pub.send({{"answer", *answer}});

  AiortcPeer sub("subscribe");
  auto sub_offer = on_worker(w, [&] { return neg.subscribe_offer("sub"); });
  ASSERT_TRUE(sub_offer.ok());
  sub.send({{"offer", *sub_offer}});
  auto sub_answer = sub.read("answer", 20000);
  ASSERT_FALSE(sub_answer.is_null()) << "aiortc produced no answer";
  ASSERT_TRUE(on_worker(w, [&] { return neg.on_subscribe_answer("sub", sub_answer["answer"].get<std::string>()); })
                  .is_ok());

  auto decoded = sub.read("decoded", 30000);
  const auto wc = on_worker(w, [&] { return w.counters(); });
  const auto rc = on_worker(w, [&] { return room->counters(); });
  std::string trace;
  for (auto& l : pub.log) trace += "pub: " + l + "\n";
  for (auto& l : sub.log) trace += "sub: " + l + "\n";
  ASSERT_FALSE(decoded.is_null()) << "forwarded " << rc.forwarded << ", datagrams in " << wc.datagrams_in
                                  << ", unknown path " << wc.unknown_path << ", srtp errors " << wc.srtp_errors
                                  << ", unknown ssrc " << rc.unknown_ssrc << "\n"
                                  << trace;
  EXPECT_GE(decoded["decoded"]["audio"].get<int>(), 25);
  EXPECT_GE(decoded["decoded"]["video"].get<int>(), 25);
  EXPECT_GT(rc.forwarded, 50u);
  // With loss, wait for the subscriber's NACKs to be answered (aiortc may
  // have decoded its first frames before the first loss was noticed).
  for (int i = 0; i < 100 && drop_one_in != 0 && sfu.counters().retransmitted == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  *out = sfu.counters();
  sfu.stop();
}

bool have_aiortc() { return std::system("/usr/bin/python3 -c 'import aiortc' >/dev/null 2>&1") == 0; }

TEST(AiortcInterop, PublishesThroughTheSfuAndASecondPeerDecodes) {
  if (!have_aiortc()) GTEST_SKIP() << "python3-aiortc not installed (scripts/install-deps.sh installs it)";
  Worker::Counters c;
  run_call(0, &c);
}

// 5% of the forwarded media lost after the SFU: aiortc NACKs, the SFU
// answers from its cache with RTX, and video keeps decoding.
TEST(AiortcInterop, WithFivePercentLossNacksAreAnsweredAndVideoDecodes) {
  if (!have_aiortc()) GTEST_SKIP() << "python3-aiortc not installed (scripts/install-deps.sh installs it)";
  Worker::Counters c;
  run_call(20, &c);
  EXPECT_GT(c.retransmitted, 0u);
}

}  // namespace
}  // namespace parley::sfu
