// Memory per participant in the SFU: R rooms of P participants, each
// publishing one audio and one video stream (so each stream goes out to
// P - 1 others) over real ICE/DTLS-SRTP on loopback UDP, with every video
// producer's retransmission cache filled by a few seconds of 30 fps video.
//
// The SFU runs in this process; the participants' endpoints (rtc/ in the
// browser's role) are created before the baseline is taken and then driven
// from a forked child, so their handshakes and media cost the parent
// nothing: the parent's RSS growth from before the first join to after the
// media is the SFU's own (transports, DTLS/SRTP state, producers,
// consumers, caches, glibc arenas).
//
//   bench_sfu_memory [rooms=4] [participants=11] [video_seconds=5]
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "sfu/sfu.hpp"
#include "test_peer.hpp"

using namespace parley;
using parley::sfu::test::on_worker;
using parley::sfu::test::Peer;

namespace {

// Resident set size in KiB (/proc/self/status VmRSS).
long rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

struct Member {
  std::string id;
  std::unique_ptr<Peer> pub, sub;
  sfu::JoinResult join;
  std::uint32_t audio_ssrc = 0, video_ssrc = 0, video_rtx = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const int rooms = argc > 1 ? std::atoi(argv[1]) : 4;
  const int per_room = argc > 2 ? std::atoi(argv[2]) : 11;
  const double video_seconds = argc > 3 ? std::atof(argv[3]) : 5.0;

  sfu::Sfu::Options o;
  o.workers = 1;
  o.worker.ice_tcp = false;
  o.worker.room.max_participants = static_cast<std::size_t>(per_room);
  auto s = sfu::Sfu::create(o, base::SystemClock::instance(), base::SystemRandom::instance());
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.status().to_string().c_str());
    return 1;
  }
  auto& sfu = **s;
  sfu.start();
  sfu::Worker& w = sfu.place();

  // Endpoints first (they belong to the load generator, not to the SFU).
  std::vector<std::vector<Member>> all(static_cast<std::size_t>(rooms));
  std::uint32_t ssrc = 10'000;
  for (int r = 0; r < rooms; ++r) {
    for (int i = 0; i < per_room; ++i) {
      Member m;
      m.id = "r" + std::to_string(r) + "p" + std::to_string(i);
      m.pub = std::make_unique<Peer>(m.id + "pub");
      m.sub = std::make_unique<Peer>(m.id + "sub");
      m.audio_ssrc = ssrc++;
      m.video_ssrc = ssrc++;
      m.video_rtx = ssrc++;
      all[static_cast<std::size_t>(r)].push_back(std::move(m));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long baseline = rss_kib();

  // The SFU's side: rooms, joins, transports, producers (and so consumers).
  for (int r = 0; r < rooms; ++r) {
    sfu::Room* room = on_worker(w, [&] { return *w.create_room("room" + std::to_string(r), nullptr); });
    for (auto& m : all[static_cast<std::size_t>(r)]) {
      auto j = on_worker(w, [&] { return room->join(m.id); });
      if (!j.ok()) return 1;
      m.join = *j;
      if (!on_worker(w, [&] { return room->connect(m.id, true, m.pub->remote_params()); }).is_ok()) return 1;
      if (!on_worker(w, [&] { return room->connect(m.id, false, m.sub->remote_params()); }).is_ok()) return 1;
      sfu::ProducerParams a;
      a.kind = sfu::MediaKind::Audio;
      a.mid = "0";
      a.ssrc = m.audio_ssrc;
      a.payload_type = 111;
      a.clock_rate = 48000;
      a.audio_level_id = 1;
      sfu::ProducerParams v;
      v.kind = sfu::MediaKind::Video;
      v.mid = "1";
      v.ssrc = m.video_ssrc;
      v.rtx_ssrc = m.video_rtx;
      v.payload_type = 96;
      v.rtx_payload_type = 97;
      v.clock_rate = 90000;
      if (!on_worker(w, [&] { return room->produce(m.id, a); }).ok()) return 1;
      if (!on_worker(w, [&] { return room->produce(m.id, v); }).ok()) return 1;
    }
  }

  // The participants' side, in a child: handshakes, then audio (50/s) and
  // 30 fps video of about 1 Mbit/s (four 1,100-byte packets per frame).
  const pid_t child = ::fork();
  if (child == 0) {
    for (auto& room : all) {
      for (auto& m : room) {
        if (!m.pub->connect(m.join.publish_params) || !m.sub->connect(m.join.subscribe_params)) _exit(2);
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto next = t0;
    std::uint16_t seq = 0, vseq = 0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::duration<double>(video_seconds)) {
      for (auto& room : all) {
        for (auto& m : room) {
          m.pub->send_rtp(m.audio_ssrc, 111, seq, seq * 960u, 80, 1, 40);
          if (seq % 3 == 0) {
            for (int k = 0; k < 8; ++k) {  // two frames' worth every 60 ms = 33 fps
              m.pub->send_rtp(m.video_ssrc, 96, static_cast<std::uint16_t>(vseq + k), seq * 1800u, 1100);
            }
          }
          m.sub->pump(0);  // keep the kernel's buffers from filling up
        }
      }
      vseq = static_cast<std::uint16_t>(vseq + 8);
      ++seq;
      if (seq % 100 == 0) {
        for (auto& room : all) {
          for (auto& m : room) {
            m.pub->refresh_consent();
            m.sub->refresh_consent();
          }
        }
      }
      next += std::chrono::milliseconds(20);
      std::this_thread::sleep_until(next);
    }
    _exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the participants' process failed (%d)\n", status);
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long after = rss_kib();
  const auto c = on_worker(w, [&] { return w.counters(); });
  const int participants = rooms * per_room;
  std::printf("rooms=%d participants=%d (each: 1 audio + 1 video in, %d x 2 streams out) video=%.0f s\n", rooms,
              participants, per_room - 1, video_seconds);
  std::printf("forwarded: %llu  video packets per producer: %llu (its retransmission cache keeps the last second)\n",
              static_cast<unsigned long long>(c.forwarded),
              static_cast<unsigned long long>(video_seconds * 50 / 3 * 8));
  std::printf("SFU RSS: %ld KiB before, %ld KiB after: %.0f KiB per participant\n", baseline, after,
              static_cast<double>(after - baseline) / participants);
  sfu.stop();
  return 0;
}
