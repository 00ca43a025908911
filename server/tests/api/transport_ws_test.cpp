// The graphql-transport-ws session against a real Api (SQLite store in a
// temporary directory, real AuthService), with fake sockets that record what
// would go on the wire. The end-to-end suite drives the same code with the
// npm graphql-ws client; this one pins down what a client cannot see: the
// bytes of one event are rendered once and shared by every socket.
#include <gtest/gtest.h>
#include <sodium.h>

#include "api/api.hpp"
#include "api/transports.hpp"
#include "base/executor.hpp"
#include "base/random.hpp"
#include "base/temp_dir.hpp"
#include "base/task.hpp"
#include "bus/bus.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace parley::api {
namespace {

struct FakeSocket final : http::WebSocket {
  explicit FakeSocket(base::Executor& e) : executor_(e) {}
  void send_text(std::string text) override { frames.push_back(std::move(text)); }
  void send_shared(std::string prefix, std::shared_ptr<const std::string> shared, std::string suffix) override {
    frames.push_back(prefix + *shared + suffix);
    shared_payloads.push_back(std::move(shared));
  }
  void close(std::uint16_t code, std::string reason) override {
    close_code = code;
    close_reason = std::move(reason);
  }
  base::Executor& executor() override { return executor_; }
  const std::string& client_ip() const override { return ip_; }
  const std::string& subprotocol() const override { return protocol_; }

  std::vector<std::string> frames;
  std::vector<std::shared_ptr<const std::string>> shared_payloads;
  std::uint16_t close_code = 0;
  std::string close_reason;

 private:
  base::Executor& executor_;
  std::string ip_ = "127.0.0.1";
  std::string protocol_ = "graphql-transport-ws";
};

class TransportWsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    storage::SqliteOptions so;
    so.path = dir_.path() / "parley.db";
    auto store = storage::open_sqlite(so, clock_);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(*store);
    auth::AuthOptions ao;
    ao.argon2_ops = crypto_pwhash_OPSLIMIT_MIN;
    ao.argon2_mem_bytes = crypto_pwhash_MEMLIMIT_MIN;
    auto auth = base::sync_wait(auth::AuthService::open(*store_, clock_, random_, ao));
    ASSERT_TRUE(auth.ok()) << auth.status().to_string();
    auth_ = std::move(*auth);
    ApiOptions options;
    options.ws_init_timeout_s = 1;
    chat_ = std::make_unique<chat::ChatService>(*store_, bus_, clock_, ids_);
    ASSERT_TRUE(base::sync_wait(chat_->start()).is_ok());
    auto api = Api::create(options, *auth_, *chat_, bus_, clock_, ids_);
    ASSERT_TRUE(api.ok()) << api.status().to_string();
    api_ = std::move(*api);
    auto account = base::sync_wait(auth_->sign_up("ada@example.org", "correct horse battery", "Ada", {}));
    ASSERT_TRUE(account.ok()) << account.status().to_string();
    token_ = account->access_token;
    user_id_ = account->user.id;
  }
  void TearDown() override {
    api_.reset();
    chat_.reset();
    auth_.reset();
    store_.reset();
  }

  // Runs queued work on the loop until nothing is left (store replies arrive
  // from other threads, so give them a moment).
  void settle() {
    for (int idle = 0; idle < 50;) {
      if (loop_.run_ready()) {
        idle = 0;
      } else {
        ++idle;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
  }

  std::unique_ptr<http::WebSocketHandler> open(std::shared_ptr<FakeSocket> socket) {
    http::Request upgrade;
    upgrade.client_ip = "127.0.0.1";
    return make_graphql_ws_handler(*api_, std::move(socket), upgrade);
  }

  base::ManualClock clock_{base::SystemClock::instance().now_ms()};
  base::SystemRandom& random_ = base::SystemRandom::instance();
  base::UlidGenerator ids_{clock_, random_};
  bus::LocalBus bus_;
  base::LoopExecutor loop_;
  base::ScopedCurrentExecutor on_loop_{&loop_};
  base::TempDir dir_{"parley-api"};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<chat::ChatService> chat_;
  std::unique_ptr<Api> api_;
  std::string token_, user_id_;
};

constexpr std::string_view kEvents =
    R"({"id":"s1","type":"subscribe","payload":{"query":"subscription { events { __typename cursor ... on SessionRevokedEvent { sessionId } } }"}})";

TEST_F(TransportWsTest, OneEventIsRenderedOnceAndSharedByEverySocket) {
  std::vector<std::shared_ptr<FakeSocket>> sockets;
  std::vector<std::unique_ptr<http::WebSocketHandler>> handlers;
  for (int i = 0; i < 3; ++i) {
    sockets.push_back(std::make_shared<FakeSocket>(loop_));
    handlers.push_back(open(sockets.back()));
    handlers.back()->on_message(R"({"type":"connection_init","payload":{"authToken":")" + token_ + R"("}})");
    handlers.back()->on_message(kEvents);
  }
  settle();
  ASSERT_EQ(bus_.subscriber_count(bus::user_topic(user_id_)), 3u);
  // Connecting made the user ONLINE: that PresenceEvent may have come first.
  std::vector<std::size_t> before;
  for (const auto& s : sockets) before.push_back(s->shared_payloads.size());

  auto event = std::make_shared<bus::Event>();
  event->type = "SessionRevokedEvent";
  event->cursor = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  event->payload_json = R"({"sessionId":"s-42"})";
  event->ephemeral = true;
  bus_.publish(bus::user_topic(user_id_), event);
  settle();

  for (std::size_t i = 0; i < sockets.size(); ++i) {
    const auto& s = sockets[i];
    ASSERT_EQ(s->shared_payloads.size(), before[i] + 1);
    EXPECT_EQ(s->shared_payloads.back(), sockets[0]->shared_payloads.back()) << "the same buffer, not a copy";
    EXPECT_EQ(s->frames.back(),
              R"({"id":"s1","type":"next","payload":{"data":{"events":{"__typename":"SessionRevokedEvent",)"
              R"("cursor":"01ARZ3NDEKTSV4RRFFQ69G5FAV","sessionId":"s-42"}}}})");
  }
}

TEST_F(TransportWsTest, SocketsResumingFromDifferentCursorsShareRenderedEventsButNotOtherVariables) {
  auto subscribe = [&](std::string since, bool with_session) {
    auto socket = std::make_shared<FakeSocket>(loop_);
    auto handler = open(socket);
    handler->on_message(R"({"type":"connection_init","payload":{"authToken":")" + token_ + R"("}})");
    handler->on_message(
        R"({"id":"s1","type":"subscribe","payload":{"query":"subscription($s: String, $w: Boolean!) { events(since: $s) { __typename cursor ... on SessionRevokedEvent @include(if: $w) { sessionId } } }","variables":{"s":)" +
        since + R"(,"w":)" + (with_session ? "true" : "false") + "}}}");
    return std::make_pair(socket, std::move(handler));
  };
  auto a = subscribe(R"("1.0")", true);
  auto b = subscribe("null", true);
  auto c = subscribe("null", false);
  settle();
  std::vector<std::size_t> before;
  for (auto* s : {&a, &b, &c}) before.push_back(s->first->shared_payloads.size());
  auto event = std::make_shared<bus::Event>();
  event->type = "SessionRevokedEvent";
  event->cursor = "1.0";
  event->payload_json = R"({"sessionId":"s-7"})";
  event->ephemeral = true;
  bus_.publish(bus::user_topic(user_id_), event);
  settle();
  ASSERT_EQ(a.first->shared_payloads.size(), before[0] + 1);
  ASSERT_EQ(b.first->shared_payloads.size(), before[1] + 1);
  ASSERT_EQ(c.first->shared_payloads.size(), before[2] + 1);
  EXPECT_EQ(a.first->shared_payloads.back(), b.first->shared_payloads.back()) << "since does not change the bytes";
  EXPECT_NE(c.first->shared_payloads.back(), a.first->shared_payloads.back()) << "@include(if: $w) does";
  EXPECT_EQ(c.first->frames.back().find("s-7"), std::string::npos);
}

TEST_F(TransportWsTest, CompleteStopsTheSubscriptionAndClosingCleansUp) {
  auto socket = std::make_shared<FakeSocket>(loop_);
  auto handler = open(socket);
  handler->on_message(R"({"type":"connection_init","payload":{"authToken":")" + token_ + R"("}})");
  handler->on_message(kEvents);
  settle();
  EXPECT_EQ(bus_.subscriber_count(bus::user_topic(user_id_)), 1u);
  handler->on_message(R"({"id":"s1","type":"complete"})");
  settle();
  EXPECT_EQ(bus_.subscriber_count(bus::user_topic(user_id_)), 0u);
  // The id may be reused once completed.
  handler->on_message(kEvents);
  settle();
  EXPECT_EQ(bus_.subscriber_count(bus::user_topic(user_id_)), 1u);
  handler->on_close(1000);
  settle();
  EXPECT_EQ(bus_.subscriber_count(bus::user_topic(user_id_)), 0u);
  EXPECT_EQ(socket->close_code, 0) << "the server did not close it";
}

TEST_F(TransportWsTest, SilentClientsAreClosedWith4408) {
  auto socket = std::make_shared<FakeSocket>(loop_);
  auto handler = open(socket);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (socket->close_code == 0 && std::chrono::steady_clock::now() < deadline) settle();
  EXPECT_EQ(socket->close_code, 4408);
  EXPECT_EQ(socket->close_reason, "Connection initialisation timeout");
}

TEST_F(TransportWsTest, AQueryRunsAndCompletes) {
  auto socket = std::make_shared<FakeSocket>(loop_);
  auto handler = open(socket);
  handler->on_message(R"({"type":"connection_init","payload":{"authToken":")" + token_ + R"("}})");
  handler->on_message(R"({"id":"q","type":"subscribe","payload":{"query":"{ me { displayName } }"}})");
  settle();
  ASSERT_EQ(socket->frames.size(), 3u);
  EXPECT_EQ(socket->frames[0], R"({"type":"connection_ack"})");
  EXPECT_EQ(socket->frames[1], R"({"id":"q","type":"next","payload":{"data":{"me":{"displayName":"Ada"}}}})");
  EXPECT_EQ(socket->frames[2], R"({"id":"q","type":"complete"})");
}

}  // namespace
}  // namespace parley::api
