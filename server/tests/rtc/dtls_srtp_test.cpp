// DTLS-SRTP between two in-process endpoints connected through memory: the
// handshake, fingerprint checks, the exported keys, and SRTP/SRTCP
// protect/unprotect with both profiles (wrong keys, tampering and replays
// rejected).
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <thread>
#include <vector>

#include "rtc/demux.hpp"
#include "rtc/dtls/dtls.hpp"
#include "rtc/rtcp/rtcp.hpp"
#include "rtc/rtp/packet.hpp"
#include "rtc/srtp/session.hpp"

namespace parley::rtc {
namespace {

using dtls::Role;
using dtls::SrtpKeys;
using dtls::SrtpProfile;
using dtls::Transport;

// Records what a transport emits; datagrams wait in `out` until the test
// delivers them (so no callback re-enters a transport).
struct Endpoint : Transport::Listener {
  std::deque<std::vector<std::uint8_t>> out;
  std::vector<Transport::State> states;
  std::optional<SrtpKeys> keys;
  std::vector<std::vector<std::uint8_t>> data;

  void on_dtls_send(std::span<const std::uint8_t> d) override {
    EXPECT_EQ(classify(d), PacketKind::Dtls);
    EXPECT_LE(d.size(), 1200u);
    out.emplace_back(d.begin(), d.end());
  }
  void on_dtls_state(Transport::State s) override { states.push_back(s); }
  void on_dtls_srtp_keys(const SrtpKeys& k) override { keys = k; }
  void on_dtls_data(std::span<const std::uint8_t> d) override { data.emplace_back(d.begin(), d.end()); }
};

// Delivers queued datagrams both ways until nothing moves.
int pump(Endpoint& a, Transport& ta, Endpoint& b, Transport& tb) {
  int delivered = 0;
  for (int round = 0; round < 50 && (!a.out.empty() || !b.out.empty()); ++round) {
    while (!a.out.empty()) {
      auto d = std::move(a.out.front());
      a.out.pop_front();
      tb.receive(d);
      ++delivered;
    }
    while (!b.out.empty()) {
      auto d = std::move(b.out.front());
      b.out.pop_front();
      ta.receive(d);
      ++delivered;
    }
  }
  return delivered;
}

std::shared_ptr<const dtls::Context> context(std::vector<SrtpProfile> profiles = {SrtpProfile::AeadAes128Gcm,
                                                                                   SrtpProfile::AesCm128HmacSha1Tag80}) {
  dtls::Context::Options o;
  o.profiles = std::move(profiles);
  auto c = dtls::Context::create(o);
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  return c.ok() ? *c : nullptr;
}

struct Pair {
  std::shared_ptr<const dtls::Context> client_ctx, server_ctx;
  Endpoint client, server;
  Transport tc, ts;
  Pair(std::shared_ptr<const dtls::Context> c, std::shared_ptr<const dtls::Context> s)
      : client_ctx(c), server_ctx(s), tc(c, client), ts(s, server) {}

  void connect(bool correct_fingerprints = true) {
    const std::string fake(32 * 3 - 1, 'A');
    EXPECT_TRUE(ts.set_remote_fingerprint("sha-256", client_ctx->fingerprint_sha256()).is_ok());
    EXPECT_TRUE(tc.set_remote_fingerprint("SHA-256", correct_fingerprints ? server_ctx->fingerprint_sha256() : fake)
                    .is_ok());
    ts.start(Role::Server);
    EXPECT_TRUE(server.out.empty());  // a server waits for the ClientHello
    tc.start(Role::Client);
    EXPECT_FALSE(client.out.empty());
    EXPECT_TRUE(tc.timeout().has_value());  // retransmission timer armed
    pump(client, tc, server, ts);
  }
};

TEST(Dtls, ContextHasEcdsaCertificateFingerprint) {
  auto c = context();
  ASSERT_NE(c, nullptr);
  const std::string& fp = c->fingerprint_sha256();
  EXPECT_EQ(fp.size(), 32u * 3 - 1);
  for (std::size_t i = 2; i < fp.size(); i += 3) EXPECT_EQ(fp[i], ':');
  auto other = context();
  EXPECT_NE(other->fingerprint_sha256(), fp);  // a fresh key each time
}

TEST(Dtls, HandshakeExportsMatchingKeysAndPrefersGcm) {
  Pair p(context(), context());
  p.connect();
  ASSERT_EQ(p.tc.state(), Transport::State::Connected) << p.tc.error();
  ASSERT_EQ(p.ts.state(), Transport::State::Connected) << p.ts.error();
  EXPECT_EQ(p.client.states, (std::vector<Transport::State>{Transport::State::Connecting, Transport::State::Connected}));
  ASSERT_TRUE(p.client.keys && p.server.keys);
  EXPECT_EQ(p.client.keys->profile, SrtpProfile::AeadAes128Gcm);
  EXPECT_EQ(p.server.keys->profile, SrtpProfile::AeadAes128Gcm);
  EXPECT_EQ(p.client.keys->local.size(), 16u + 12u);
  EXPECT_EQ(p.client.keys->local, p.server.keys->remote);
  EXPECT_EQ(p.client.keys->remote, p.server.keys->local);
  EXPECT_NE(p.client.keys->local, p.client.keys->remote);
  EXPECT_FALSE(p.tc.timeout().has_value());

  // Application data flows both ways; close_notify closes the peer.
  const std::vector<std::uint8_t> hello = {1, 2, 3, 4};
  EXPECT_TRUE(p.tc.send(hello));
  pump(p.client, p.tc, p.server, p.ts);
  ASSERT_EQ(p.server.data.size(), 1u);
  EXPECT_EQ(p.server.data[0], hello);
  p.ts.close();
  EXPECT_EQ(p.ts.state(), Transport::State::Closed);
  pump(p.client, p.tc, p.server, p.ts);
  EXPECT_EQ(p.tc.state(), Transport::State::Closed);
  EXPECT_FALSE(p.tc.send(hello));
}

TEST(Dtls, ServerOrderDecidesTheProfile) {
  Pair p(context(), context({SrtpProfile::AesCm128HmacSha1Tag80}));
  p.connect();
  ASSERT_EQ(p.tc.state(), Transport::State::Connected) << p.tc.error();
  ASSERT_TRUE(p.client.keys);
  EXPECT_EQ(p.client.keys->profile, SrtpProfile::AesCm128HmacSha1Tag80);
  EXPECT_EQ(p.client.keys->local.size(), 16u + 14u);
}

TEST(Dtls, WrongFingerprintFails) {
  Pair p(context(), context());
  p.connect(/*correct_fingerprints=*/false);
  EXPECT_EQ(p.tc.state(), Transport::State::Failed);
  EXPECT_NE(p.tc.error().find("fingerprint"), std::string::npos) << p.tc.error();
  EXPECT_FALSE(p.client.keys.has_value());
}

// A lost flight is sent again when the retransmission timer fires. OpenSSL
// reads the real clock for DTLS timers (and treats less than 15 ms left as
// expired), so this test uses 30 ms and waits 40 ms.
TEST(Dtls, RetransmitsALostFlight) {
  dtls::Context::Options o;
  o.initial_retransmit = std::chrono::milliseconds(30);
  auto c = dtls::Context::create(o);
  ASSERT_TRUE(c.ok());
  Pair p(*c, *c);
  ASSERT_TRUE(p.ts.set_remote_fingerprint("sha-256", (*c)->fingerprint_sha256()).is_ok());
  ASSERT_TRUE(p.tc.set_remote_fingerprint("sha-256", (*c)->fingerprint_sha256()).is_ok());
  p.ts.start(Role::Server);
  p.tc.start(Role::Client);
  ASSERT_EQ(p.client.out.size(), 1u);
  p.client.out.clear();  // the ClientHello is lost
  auto t = p.tc.timeout();
  ASSERT_TRUE(t.has_value());
  EXPECT_LE(t->count(), 30);
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  p.tc.on_timeout();
  ASSERT_EQ(p.client.out.size(), 1u);  // sent again
  pump(p.client, p.tc, p.server, p.ts);
  EXPECT_EQ(p.tc.state(), Transport::State::Connected) << p.tc.error();
  EXPECT_EQ(p.ts.state(), Transport::State::Connected) << p.ts.error();
}

TEST(Dtls, RejectsBadInputWithoutCrashing) {
  auto c = context();
  Endpoint e;
  Transport t(c, e);
  EXPECT_FALSE(t.set_remote_fingerprint("sha-1", "AB").is_ok());
  EXPECT_FALSE(t.set_remote_fingerprint("sha-256", "AB:CD").is_ok());
  t.receive(std::vector<std::uint8_t>{22, 0xfe, 0xfd});  // before start: ignored
  EXPECT_EQ(t.state(), Transport::State::New);
  // Start without a fingerprint fails.
  t.start(Role::Server);
  EXPECT_EQ(t.state(), Transport::State::Failed);

  Endpoint e2;
  Transport t2(c, e2);
  ASSERT_TRUE(t2.set_remote_fingerprint("sha-256", c->fingerprint_sha256()).is_ok());
  t2.start(Role::Server);
  // Garbage records: dropped (OpenSSL discards bad DTLS records silently).
  for (int i = 0; i < 20; ++i) {
    std::vector<std::uint8_t> junk(100 + i, static_cast<std::uint8_t>(i * 13));
    junk[0] = 22;
    t2.receive(junk);
  }
  EXPECT_NE(t2.state(), Transport::State::Connected);
}

// ---- SRTP --------------------------------------------------------------------

std::vector<std::uint8_t> rtp_packet(std::uint16_t seq) {
  rtp::Header h;
  h.payload_type = 111;
  h.sequence_number = seq;
  h.timestamp = 960u * seq;
  h.ssrc = 0x01020304;
  rtp::PacketWriter w(h);
  const std::uint8_t level[] = {0x85};
  w.add_extension(1, level);
  std::vector<std::uint8_t> payload(160);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * seq);
  std::vector<std::uint8_t> out(1500);
  auto n = w.write(out, payload);
  out.resize(*n);
  return out;
}

void srtp_round_trip(SrtpProfile profile) {
  Pair p(context(), context({profile}));
  p.connect();
  ASSERT_TRUE(p.client.keys && p.server.keys);
  using srtp::Session;
  auto tx = Session::create(profile, Session::Direction::Outbound, p.client.keys->local);
  auto rx = Session::create(profile, Session::Direction::Inbound, p.server.keys->remote);
  ASSERT_TRUE(tx.ok()) << tx.status().to_string();
  ASSERT_TRUE(rx.ok()) << rx.status().to_string();

  for (std::uint16_t seq = 1; seq < 50; ++seq) {
    const auto plain = rtp_packet(seq);
    std::vector<std::uint8_t> buf(plain.size() + srtp::kMaxTrailer);
    std::copy(plain.begin(), plain.end(), buf.begin());
    auto n = (*tx)->protect_rtp(buf, plain.size());
    ASSERT_TRUE(n.ok()) << n.status().to_string();
    EXPECT_EQ(*n, plain.size() + 16);  // the GCM tag
    // Header and extensions stay clear; the payload does not.
    EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 16, buf.begin()));
    EXPECT_FALSE(std::equal(plain.begin() + 16, plain.end(), buf.begin() + 16));
    auto parsed = rtp::Packet::parse(std::span<std::uint8_t>(buf.data(), *n));
    EXPECT_TRUE(parsed.ok());  // still an RTP packet to the demultiplexer
    auto m = (*rx)->unprotect_rtp(buf, *n);
    ASSERT_TRUE(m.ok()) << m.status().to_string();
    buf.resize(*m);
    EXPECT_EQ(buf, plain);
  }
}

TEST(Srtp, ProtectUnprotectGcm) { srtp_round_trip(SrtpProfile::AeadAes128Gcm); }

TEST(Srtp, ProtectUnprotectAesCmHmacSha1) {
  // The same with the 10-byte HMAC-SHA1-80 tag.
  Pair p(context(), context({SrtpProfile::AesCm128HmacSha1Tag80}));
  p.connect();
  ASSERT_TRUE(p.client.keys && p.server.keys);
  using srtp::Session;
  auto tx = Session::create(SrtpProfile::AesCm128HmacSha1Tag80, Session::Direction::Outbound, p.client.keys->local);
  auto rx = Session::create(SrtpProfile::AesCm128HmacSha1Tag80, Session::Direction::Inbound, p.server.keys->remote);
  ASSERT_TRUE(tx.ok() && rx.ok());
  const auto plain = rtp_packet(7);
  std::vector<std::uint8_t> buf(plain.size() + srtp::kMaxTrailer);
  std::copy(plain.begin(), plain.end(), buf.begin());
  auto n = (*tx)->protect_rtp(buf, plain.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, plain.size() + 10);
  auto m = (*rx)->unprotect_rtp(buf, *n);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  buf.resize(*m);
  EXPECT_EQ(buf, plain);
}

TEST(Srtp, RejectsWrongKeysTamperingAndReplay) {
  Pair p(context(), context());
  p.connect();
  ASSERT_TRUE(p.client.keys && p.server.keys);
  using srtp::Session;
  const SrtpProfile prof = p.client.keys->profile;
  auto tx = Session::create(prof, Session::Direction::Outbound, p.client.keys->local);
  auto rx = Session::create(prof, Session::Direction::Inbound, p.server.keys->remote);
  // Keys for the other direction: what an attacker without ours would have.
  auto wrong = Session::create(prof, Session::Direction::Inbound, p.server.keys->local);
  ASSERT_TRUE(tx.ok() && rx.ok() && wrong.ok());

  const auto plain = rtp_packet(100);
  std::vector<std::uint8_t> buf(plain.size() + srtp::kMaxTrailer);
  std::copy(plain.begin(), plain.end(), buf.begin());
  auto n = (*tx)->protect_rtp(buf, plain.size());
  ASSERT_TRUE(n.ok());
  const std::vector<std::uint8_t> sealed(buf.begin(), buf.begin() + *n);

  auto copy = sealed;
  EXPECT_FALSE((*wrong)->unprotect_rtp(copy, copy.size()).ok());
  copy = sealed;
  copy[30] ^= 1;  // payload bit flip
  auto t = (*rx)->unprotect_rtp(copy, copy.size());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code(), base::Code::BadRequest);
  copy = sealed;
  ASSERT_TRUE((*rx)->unprotect_rtp(copy, copy.size()).ok());
  copy = sealed;
  auto replay = (*rx)->unprotect_rtp(copy, copy.size());
  ASSERT_FALSE(replay.ok());
  EXPECT_NE(replay.error().message().find("replay"), std::string::npos);
  // Truncated input and direction misuse are errors, not crashes.
  copy = sealed;
  EXPECT_FALSE((*rx)->unprotect_rtp(copy, 5).ok());
  EXPECT_FALSE((*rx)->protect_rtp(copy, copy.size()).ok());
  std::vector<std::uint8_t> tight(plain);
  EXPECT_FALSE((*tx)->protect_rtp(tight, tight.size()).ok());  // no room for the tag
  EXPECT_FALSE(Session::create(prof, Session::Direction::Inbound, std::vector<std::uint8_t>(3)).ok());
}

TEST(Srtp, RtcpRoundTrip) {
  Pair p(context(), context());
  p.connect();
  ASSERT_TRUE(p.client.keys && p.server.keys);
  using srtp::Session;
  const SrtpProfile prof = p.client.keys->profile;
  auto tx = Session::create(prof, Session::Direction::Outbound, p.server.keys->local);
  auto rx = Session::create(prof, Session::Direction::Inbound, p.client.keys->remote);
  ASSERT_TRUE(tx.ok() && rx.ok());
  std::vector<std::uint8_t> buf(1500);
  rtcp::Writer w(buf);
  ASSERT_TRUE(w.add_receiver_report(0xabc));
  const std::uint16_t lost[] = {5, 6, 9};
  ASSERT_TRUE(w.add_nack(0xabc, 0x01020304, lost));
  const std::vector<std::uint8_t> plain(w.bytes().begin(), w.bytes().end());
  auto n = (*tx)->protect_rtcp(buf, plain.size());
  ASSERT_TRUE(n.ok()) << n.status().to_string();
  EXPECT_GT(*n, plain.size());
  EXPECT_TRUE(rtcp::is_rtcp(std::span<const std::uint8_t>(buf.data(), *n)));
  auto m = (*rx)->unprotect_rtcp(buf, *n);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(std::vector<std::uint8_t>(buf.begin(), buf.begin() + *m), plain);
  auto c = rtcp::Compound::parse(std::span<const std::uint8_t>(buf.data(), *m), rtcp::CompoundRules::Full);
  EXPECT_TRUE(c.ok());
}

}  // namespace
}  // namespace parley::rtc
