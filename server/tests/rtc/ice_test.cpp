// ICE-lite: binding requests as a browser sends them (RFC 8445 section 7.2)
// answered or refused, nomination, path selection and consent expiry with
// an injected clock.
#include <gtest/gtest.h>

#include <vector>

#include "rtc/ice/ice_server.hpp"

namespace parley::rtc::ice {
namespace {

using stun::Class;
using stun::Message;
using stun::MessageBuilder;

constexpr std::string_view kLocalUfrag = "sfu1";
constexpr std::string_view kLocalPwd = "0123456789abcdefghijkl";
constexpr std::string_view kRemoteUfrag = "w9UT";

struct Recorder : IceServer::Listener {
  struct Sent {
    std::vector<std::uint8_t> bytes;
    Path path;
  };
  std::vector<Sent> sent;
  std::vector<Path> selected;
  std::vector<IceServer::State> states;
  void on_ice_send(std::span<const std::uint8_t> m, const Path& p) override { sent.push_back({{m.begin(), m.end()}, p}); }
  void on_ice_selected_path(const Path& p) override { selected.push_back(p); }
  void on_ice_state(IceServer::State s) override { states.push_back(s); }
};

Path path(const char* ip, std::uint16_t port) { return Path{*SocketAddress::from_string(ip, port), false, 0}; }

struct RequestSpec {
  std::string username = std::string(kLocalUfrag) + ":" + std::string(kRemoteUfrag);
  std::string password = std::string(kLocalPwd);
  bool use_candidate = false;
  bool priority = true;
  bool integrity = true;
  bool fingerprint = true;
  bool controlled = false;
  std::uint8_t id = 1;
};

std::vector<std::uint8_t> request(const RequestSpec& r) {
  stun::TransactionId tid{};
  tid[0] = r.id;
  MessageBuilder b(stun::kMethodBinding, Class::Request, tid);
  if (!r.username.empty()) b.add_username(r.username);
  if (r.priority) b.add_priority(1853817087);
  if (r.controlled) {
    b.add_ice_controlled(42);
  } else {
    b.add_ice_controlling(42);
  }
  if (r.use_candidate) b.add_use_candidate();
  if (r.integrity) b.add_message_integrity(std::string_view(r.password));
  if (r.fingerprint) b.add_fingerprint();
  return b.bytes();
}

void deliver(IceServer& ice, const std::vector<std::uint8_t>& bytes, const Path& p, std::int64_t now) {
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  ice.receive(*m, p, now);
}

// The last response, parsed (its bytes live in the recorder).
Message last_response(const Recorder& r) {
  auto m = Message::parse(r.sent.back().bytes);
  EXPECT_TRUE(m.ok());
  return *m;
}

TEST(IceLite, AnswersAValidCheckAndSelectsItsPath) {
  Recorder r;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd));
  ice.set_remote_ufrag(std::string(kRemoteUfrag));
  const Path a = path("192.0.2.2", 35761);
  auto req = request({});
  auto parsed = Message::parse(req);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(recipient_ufrag(*parsed), kLocalUfrag);
  deliver(ice, req, a, 1000);

  ASSERT_EQ(r.sent.size(), 1u);
  EXPECT_EQ(r.sent[0].path, a);
  Message resp = last_response(r);
  EXPECT_EQ(resp.message_class(), Class::SuccessResponse);
  EXPECT_EQ(resp.transaction_id(), parsed->transaction_id());
  EXPECT_EQ(resp.xor_mapped_address(), a.remote);
  EXPECT_TRUE(resp.verify_message_integrity(kLocalPwd));
  EXPECT_TRUE(resp.verify_fingerprint());
  EXPECT_EQ(ice.state(), IceServer::State::Connected);
  EXPECT_TRUE(ice.is_valid(a));
  EXPECT_FALSE(ice.is_valid(path("192.0.2.2", 35762)));
  EXPECT_EQ(ice.selected_path(), a);
  EXPECT_EQ(r.selected, std::vector<Path>{a});
  EXPECT_EQ(ice.counters().requests_ok, 1u);
}

TEST(IceLite, UseCandidateNominatesAndSwitchesPaths) {
  Recorder r;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd));
  const Path v4 = path("192.0.2.2", 35761);
  const Path v6 = path("fd00::2", 56413);
  deliver(ice, request({}), v4, 0);
  deliver(ice, request({.id = 2}), v6, 10);
  EXPECT_EQ(ice.selected_path(), v4);  // the first valid path until nomination
  RequestSpec nominate;
  nominate.use_candidate = true;
  nominate.id = 3;
  deliver(ice, request(nominate), v6, 20);
  EXPECT_EQ(ice.selected_path(), v6);
  EXPECT_EQ(ice.state(), IceServer::State::Completed);
  EXPECT_EQ(r.states, (std::vector<IceServer::State>{IceServer::State::Connected, IceServer::State::Completed}));
  EXPECT_EQ(r.selected, (std::vector<Path>{v4, v6}));
  EXPECT_TRUE(ice.is_valid(v4));
}

TEST(IceLite, ConsentExpiresAfterThirtySeconds) {
  Recorder r;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd));
  const Path a = path("192.0.2.2", 1000);
  const Path b = path("192.0.2.3", 1000);
  RequestSpec nom;
  nom.use_candidate = true;
  deliver(ice, request(nom), a, 0);
  deliver(ice, request({.id = 2}), b, 5000);
  EXPECT_EQ(ice.next_timeout_ms(), 30000);
  // Consent checks on `a` every 5 s keep it (RFC 7675 section 5.1).
  for (std::int64_t t = 5000; t <= 25000; t += 5000) deliver(ice, request({.id = static_cast<std::uint8_t>(t / 1000)}), a, t);
  ice.on_timer(34999);
  EXPECT_TRUE(ice.is_valid(b));
  ice.on_timer(35000);  // b: last refreshed at 5 s
  EXPECT_FALSE(ice.is_valid(b));
  EXPECT_EQ(ice.selected_path(), a);
  // a stops answering: after 30 s of silence it is dropped and the agent is
  // disconnected; nothing from it is valid any more.
  ice.on_timer(54999);
  EXPECT_EQ(ice.state(), IceServer::State::Completed);
  ice.on_timer(55000);
  EXPECT_EQ(ice.state(), IceServer::State::Disconnected);
  EXPECT_FALSE(ice.is_valid(a));
  EXPECT_FALSE(ice.selected_path().has_value());
  EXPECT_EQ(ice.counters().paths_expired, 2u);
  EXPECT_FALSE(ice.next_timeout_ms().has_value());
  // A valid check brings it back.
  deliver(ice, request({.id = 99}), a, 60000);
  EXPECT_EQ(ice.state(), IceServer::State::Connected);
  EXPECT_EQ(ice.selected_path(), a);
}

TEST(IceLite, FallsBackToAnotherValidPath) {
  Recorder r;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd));
  const Path a = path("192.0.2.2", 1000);
  const Path b = path("192.0.2.3", 1000);
  RequestSpec nom;
  nom.use_candidate = true;
  deliver(ice, request(nom), a, 0);
  deliver(ice, request({.id = 2}), b, 20000);
  ice.on_timer(30000);
  EXPECT_EQ(ice.selected_path(), b);
  EXPECT_EQ(ice.state(), IceServer::State::Connected);
  EXPECT_EQ(r.selected.back(), b);
}

TEST(IceLite, RefusesBadChecks) {
  Recorder r;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd));
  ice.set_remote_ufrag(std::string(kRemoteUfrag));
  const Path a = path("198.51.100.1", 5000);
  auto expect_error = [&](const RequestSpec& spec, std::uint16_t code, bool integrity, const char* why) {
    const std::size_t before = r.sent.size();
    deliver(ice, request(spec), a, 0);
    ASSERT_EQ(r.sent.size(), before + 1) << why;
    Message resp = last_response(r);
    EXPECT_EQ(resp.message_class(), Class::ErrorResponse) << why;
    ASSERT_TRUE(resp.error_code().has_value()) << why;
    EXPECT_EQ(resp.error_code()->code, code) << why;
    EXPECT_EQ(resp.verify_message_integrity(kLocalPwd), integrity) << why;
    EXPECT_TRUE(resp.verify_fingerprint()) << why;
  };
  RequestSpec s;
  s.password = "wrong-password-22chars";
  expect_error(s, 401, false, "wrong password");
  s = {};
  s.username = "other:w9UT";
  expect_error(s, 401, false, "not our ufrag");
  s = {};
  s.username = "sfu1:someone-else";
  expect_error(s, 401, false, "not the remote ufrag");
  s = {};
  s.username = "";
  expect_error(s, 400, false, "no USERNAME");
  s = {};
  s.integrity = false;
  expect_error(s, 400, false, "no MESSAGE-INTEGRITY");
  s = {};
  s.priority = false;
  expect_error(s, 400, true, "no PRIORITY");
  s = {};
  s.fingerprint = false;
  expect_error(s, 400, true, "no FINGERPRINT");
  s = {};
  s.controlled = true;
  expect_error(s, 487, true, "role conflict");
  EXPECT_EQ(ice.state(), IceServer::State::New);
  EXPECT_FALSE(ice.is_valid(a));
  EXPECT_TRUE(r.selected.empty());

  // Unknown comprehension-required attribute: 420 listing it.
  MessageBuilder b(stun::kMethodBinding, Class::Request, stun::TransactionId{});
  b.add(0x0031, std::string_view("?")).add_fingerprint();
  deliver(ice, b.bytes(), a, 0);
  Message resp = last_response(r);
  EXPECT_EQ(resp.error_code()->code, 420);
  ASSERT_TRUE(resp.find(stun::attr::kUnknownAttributes).has_value());

  // Responses, other methods and a broken FINGERPRINT are dropped silently.
  const std::size_t before = r.sent.size();
  MessageBuilder other(stun::kMethodBinding, Class::SuccessResponse, stun::TransactionId{});
  deliver(ice, other.bytes(), a, 0);
  MessageBuilder allocate(0x003, Class::Request, stun::TransactionId{});
  deliver(ice, allocate.bytes(), a, 0);
  auto broken = request({});
  broken[broken.size() - 1] ^= 1;
  deliver(ice, broken, a, 0);
  MessageBuilder keepalive(stun::kMethodBinding, Class::Indication, stun::TransactionId{});
  deliver(ice, keepalive.bytes(), a, 0);
  EXPECT_EQ(r.sent.size(), before);
  EXPECT_EQ(ice.counters().dropped, 3u);
}

TEST(IceLite, RestartChangesCredentials) {
  Recorder r;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd));
  ice.restart("new1", "new-password-22-chars!");
  const Path a = path("192.0.2.2", 1);
  deliver(ice, request({}), a, 0);
  EXPECT_EQ(last_response(r).error_code()->code, 401);
  RequestSpec s;
  s.username = "new1:x";
  s.password = "new-password-22-chars!";
  deliver(ice, request(s), a, 0);
  EXPECT_EQ(last_response(r).message_class(), Class::SuccessResponse);
  EXPECT_TRUE(ice.is_valid(a));
}

TEST(IceLite, BoundsTheNumberOfPaths) {
  Recorder r;
  IceServer::Options o;
  o.max_paths = 3;
  IceServer ice(r, std::string(kLocalUfrag), std::string(kLocalPwd), o);
  RequestSpec nom;
  nom.use_candidate = true;
  const Path first = path("192.0.2.1", 1);
  deliver(ice, request(nom), first, 0);
  for (std::uint16_t port = 2; port < 10; ++port) deliver(ice, request({}), path("192.0.2.1", port), port);
  EXPECT_TRUE(ice.is_valid(first));  // the selected path is never evicted
  EXPECT_TRUE(ice.is_valid(path("192.0.2.1", 9)));
  EXPECT_TRUE(ice.is_valid(path("192.0.2.1", 8)));
  EXPECT_FALSE(ice.is_valid(path("192.0.2.1", 2)));
}

}  // namespace
}  // namespace parley::rtc::ice
