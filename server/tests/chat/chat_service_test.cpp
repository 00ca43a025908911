// The chat domain rules, through ChatService over a real Store (SQLite in a
// temporary directory) and a real bus: direct uniqueness, roles, blocks,
// idempotency, seq order, search visibility and the event log.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/task.hpp"
#include "base/temp_dir.hpp"
#include "bus/bus.hpp"
#include "chat/chat_service.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace parley::chat {
namespace {

using base::Code;
using base::sync_wait;
using storage::MemberRole;

// Records what reaches one user's topic.
struct Inbox : bus::Bus::Listener {
  std::mutex mutex;
  std::vector<bus::EventPtr> events;
  void on_event(const bus::EventPtr& e) override {
    std::lock_guard lock(mutex);
    events.push_back(e);
  }
  std::vector<bus::EventPtr> stored() {
    std::lock_guard lock(mutex);
    std::vector<bus::EventPtr> out;
    for (auto& e : events) {
      if (!e->ephemeral) out.push_back(e);
    }
    return out;
  }
  std::vector<std::string> types() {
    std::lock_guard lock(mutex);
    std::vector<std::string> out;
    for (auto& e : events) out.push_back(e->type);
    return out;
  }
};

class ChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::open_sqlite(storage::SqliteOptions{dir_.path() / "parley.db", true, 2, 1024}, clock_);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(*store);
    chat_ = std::make_unique<ChatService>(*store_, bus_, clock_, ids_);
    ASSERT_TRUE(sync_wait(chat_->start()).is_ok());
  }
  void TearDown() override {
    chat_.reset();
    store_.reset();
  }

  std::string user(const std::string& name) {
    storage::UserRecord u{ids_.next(), name + "@example.org", name, "$hash", clock_.now_ms(), clock_.now_ms()};
    auto r = sync_wait(store_->users().create(u));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    auto inbox = std::make_shared<Inbox>();
    bus_.subscribe(bus::user_topic(u.id), inbox);
    inboxes_[u.id] = inbox;
    return u.id;
  }
  Inbox& inbox(const std::string& id) { return *inboxes_[id]; }

  std::string group(const std::string& owner, std::vector<std::string> members, std::string title = "Team") {
    auto r = sync_wait(chat_->create_group(owner, std::move(title), std::move(members)));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : std::string();
  }
  storage::SendResult send(const std::string& sender, const std::string& conv, std::string body,
                           std::string client_id = "") {
    if (client_id.empty()) client_id = ids_.next();
    auto r = sync_wait(chat_->send_message(sender, ChatService::SendInput{conv, client_id, std::move(body), {}, {}}));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : storage::SendResult{};
  }
  Code send_error(const std::string& sender, const std::string& conv, std::string body) {
    auto r = sync_wait(chat_->send_message(sender, ChatService::SendInput{conv, ids_.next(), std::move(body), {}, {}}));
    return r.ok() ? Code::Ok : r.status().code();
  }
  std::vector<std::string> bodies(const std::string& viewer, const std::string& conv) {
    auto r = sync_wait(chat_->messages(viewer, conv, std::nullopt, std::nullopt, 200));
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& m : *r) {
        if (m.kind == storage::MessageKind::Text) out.push_back(m.body);
      }
    }
    return out;
  }

  base::TempDir dir_;
  base::ManualClock clock_;
  base::SeededRandom random_{7};
  base::UlidGenerator ids_{clock_, random_};
  bus::LocalBus bus_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<ChatService> chat_;
  std::map<std::string, std::shared_ptr<Inbox>> inboxes_;
};

TEST_F(ChatTest, ADirectConversationIsUniquePerPairWhoeverAndHoweverOftenItIsCreated) {
  auto ada = user("ada"), bob = user("bob");
  std::vector<base::Task<base::Result<storage::ConversationRecord>>> tasks;
  for (int i = 0; i < 10; ++i) tasks.push_back(i % 2 ? chat_->direct_conversation(ada, bob) : chat_->direct_conversation(bob, ada));
  auto results = sync_wait(base::when_all(std::move(tasks)));
  std::set<std::string> ids;
  for (auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    ids.insert(r->id);
    EXPECT_EQ(r->kind, storage::ConversationKind::Direct);
    EXPECT_EQ(r->members.size(), 2u);
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(sync_wait(chat_->direct_conversation(ada, ada)).status().code(), Code::BadRequest);
}

TEST_F(ChatTest, ARetryWithTheSameClientIdReturnsTheStoredMessageAndCreatesNothing) {
  auto ada = user("ada"), bob = user("bob");
  auto conv = sync_wait(chat_->direct_conversation(ada, bob))->id;
  auto first = send(ada, conv, "hello", "client-1");
  EXPECT_TRUE(first.created);
  const auto events_before = inbox(bob).stored().size();
  // Concurrent retries: still one message.
  std::vector<base::Task<base::Result<storage::SendResult>>> retries;
  for (int i = 0; i < 5; ++i) {
    retries.push_back(chat_->send_message(ada, ChatService::SendInput{conv, "client-1", "hello", {}, {}}));
  }
  for (auto& r : sync_wait(base::when_all(std::move(retries)))) {
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->created);
    EXPECT_EQ(r->message.id, first.message.id);
    EXPECT_EQ(r->message.seq, 1);
  }
  EXPECT_EQ(bodies(bob, conv), std::vector<std::string>{"hello"});
  EXPECT_EQ(inbox(bob).stored().size(), events_before) << "a retry publishes nothing";
  // The same client id from the other member is a different message.
  EXPECT_TRUE(send(bob, conv, "hello too", "client-1").created);
}

TEST_F(ChatTest, SeqIsGaplessAndEventsArriveInLogOrderUnderConcurrentSenders) {
  auto a = user("a"), b = user("b"), c = user("c");
  auto conv = group(a, {b, c});
  std::vector<base::Task<base::Result<storage::SendResult>>> tasks;
  for (int i = 0; i < 60; ++i) {
    const std::string& sender = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
    tasks.push_back(chat_->send_message(sender, ChatService::SendInput{conv, ids_.next(), "m" + std::to_string(i), {}, {}}));
  }
  std::set<std::int64_t> seqs;
  for (auto& r : sync_wait(base::when_all(std::move(tasks)))) {
    ASSERT_TRUE(r.ok());
    seqs.insert(r->message.seq);
  }
  // seq 1 is the group's creation; 60 messages follow without a gap.
  EXPECT_EQ(seqs.size(), 60u);
  EXPECT_EQ(*seqs.begin(), 2);
  EXPECT_EQ(*seqs.rbegin(), 61);
  for (const auto& id : {a, b, c}) {
    auto events = inbox(id).stored();
    ASSERT_EQ(events.size(), 61u);  // creation + 60 messages
    for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1]->position, events[i]->position);
    // The replay of the log is the same sequence.
    auto replay = sync_wait(chat_->events_after(id, 0, 1000));
    ASSERT_TRUE(replay.ok());
    ASSERT_EQ(replay->size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ((*replay)[i].pos, events[i]->position);
      EXPECT_EQ((*replay)[i].payload_json, events[i]->payload_json);
    }
  }
}

TEST_F(ChatTest, RolesDecideWhoManagesAGroup) {
  auto owner = user("owner"), admin = user("admin"), m1 = user("m1"), m2 = user("m2"), out = user("out");
  auto conv = group(owner, {admin, m1, m2});
  EXPECT_EQ(sync_wait(chat_->rename(m1, conv, "Mine")).status().code(), Code::Forbidden);
  EXPECT_EQ(sync_wait(chat_->add_members(m1, conv, {out})).status().code(), Code::Forbidden);
  ASSERT_TRUE(sync_wait(chat_->set_role(owner, conv, admin, MemberRole::Admin)).ok());
  EXPECT_TRUE(sync_wait(chat_->rename(admin, conv, "Renamed")).ok());
  EXPECT_EQ(sync_wait(chat_->remove_member(admin, conv, owner)).status().code(), Code::Forbidden);
  EXPECT_EQ(sync_wait(chat_->set_role(admin, conv, owner, MemberRole::Member)).status().code(), Code::Forbidden);
  EXPECT_EQ(sync_wait(chat_->transfer_ownership(admin, conv, m1)).status().code(), Code::Forbidden);
  EXPECT_TRUE(sync_wait(chat_->remove_member(admin, conv, m2)).ok());
  EXPECT_EQ(sync_wait(chat_->conversation(m2, conv)).status().code(), Code::NotFound);
  EXPECT_EQ(send_error(m2, conv, "let me back"), Code::NotFound);
  EXPECT_EQ(sync_wait(chat_->rename(out, conv, "x")).status().code(), Code::NotFound) << "strangers learn nothing";
  // The owner leaves: the admin inherits.
  ASSERT_TRUE(sync_wait(chat_->leave(owner, conv)).ok());
  auto after = sync_wait(chat_->conversation(admin, conv));
  ASSERT_TRUE(after.ok());
  for (const auto& m : after->members) {
    if (m.user.id == admin) EXPECT_EQ(m.role, MemberRole::Owner);
  }
  ASSERT_TRUE(sync_wait(chat_->transfer_ownership(admin, conv, m1)).ok());
  // Direct conversations have no roles to manage.
  auto direct = sync_wait(chat_->direct_conversation(owner, out))->id;
  EXPECT_EQ(sync_wait(chat_->rename(owner, direct, "x")).status().code(), Code::Conflict);
  EXPECT_EQ(sync_wait(chat_->leave(owner, direct)).status().code(), Code::Conflict);
  // Everyone leaving ends the group.
  ASSERT_TRUE(sync_wait(chat_->leave(admin, conv)).ok());
  ASSERT_TRUE(sync_wait(chat_->leave(m1, conv)).ok());
  EXPECT_EQ(sync_wait(chat_->conversation(m1, conv)).status().code(), Code::NotFound);
}

TEST_F(ChatTest, AGroupHasAtMostTheConfiguredNumberOfMembers) {
  chat_.reset();
  ChatOptions options;
  options.max_group_members = 3;
  chat_ = std::make_unique<ChatService>(*store_, bus_, clock_, ids_, options);
  auto a = user("a"), b = user("b"), c = user("c"), d = user("d");
  EXPECT_EQ(sync_wait(chat_->create_group(a, "Too many", {b, c, d})).status().code(), Code::LimitExceeded);
  auto conv = group(a, {b, c});
  EXPECT_EQ(sync_wait(chat_->add_members(a, conv, {d})).status().code(), Code::LimitExceeded);
  EXPECT_EQ(sync_wait(chat_->conversation(a, conv))->members.size(), 3u);
}

TEST_F(ChatTest, ABlockedUserIsNotToldAndReachesNothingOfTheBlocker) {
  auto ada = user("ada"), mal = user("mal");
  auto req = sync_wait(chat_->request_contact(ada, mal, ""));
  ASSERT_TRUE(sync_wait(chat_->respond_contact(mal, req->id, true)).ok());
  auto conv = sync_wait(chat_->direct_conversation(mal, ada))->id;
  ASSERT_TRUE(sync_wait(chat_->block(ada, mal)).ok());
  EXPECT_TRUE(sync_wait(chat_->contacts(ada))->empty()) << "blocking ends the contact";
  const auto ada_events = inbox(ada).stored().size();

  auto sent = send(mal, conv, "psst");
  EXPECT_TRUE(sent.created) << "looks sent";
  EXPECT_EQ(bodies(mal, conv), std::vector<std::string>{"psst"});
  EXPECT_TRUE(bodies(ada, conv).empty());
  auto hidden_request = sync_wait(chat_->request_contact(mal, ada, "please"));
  ASSERT_TRUE(hidden_request.ok());
  EXPECT_EQ(hidden_request->status, storage::RequestStatus::Pending);
  EXPECT_TRUE(sync_wait(chat_->contact_requests(ada))->empty());
  ASSERT_TRUE(sync_wait(chat_->set_typing(mal, conv, true)).ok());
  EXPECT_EQ(inbox(ada).stored().size(), ada_events);
  for (const auto& t : inbox(ada).types()) EXPECT_NE(t, "TypingEvent");
  EXPECT_TRUE(sync_wait(chat_->search_users(mal, "ada@example.org", 10))->empty());
  EXPECT_EQ(sync_wait(chat_->visible_user(mal, ada)).status().code(), Code::NotFound);
  // Unblocked: only new messages flow.
  ASSERT_TRUE(sync_wait(chat_->unblock(ada, mal)).ok());
  send(mal, conv, "hello again");
  EXPECT_EQ(bodies(ada, conv), std::vector<std::string>{"hello again"});
}

TEST_F(ChatTest, ContactRequestsFollowTheirRules) {
  auto ada = user("ada"), bob = user("bob");
  auto r = sync_wait(chat_->request_contact(ada, bob, "hi"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sync_wait(chat_->request_contact(ada, bob, "")).status().code(), Code::Conflict);
  EXPECT_EQ(sync_wait(chat_->respond_contact(ada, r->id, true)).status().code(), Code::NotFound)
      << "only the recipient answers";
  EXPECT_EQ(sync_wait(chat_->cancel_contact_request(bob, r->id)).status().code(), Code::NotFound)
      << "only the sender withdraws";
  // Asking back accepts.
  auto back = sync_wait(chat_->request_contact(bob, ada, ""));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, storage::RequestStatus::Accepted);
  EXPECT_EQ(sync_wait(chat_->contacts(ada))->size(), 1u);
  EXPECT_EQ(sync_wait(chat_->request_contact(ada, bob, "")).status().code(), Code::Conflict);
  EXPECT_EQ(sync_wait(chat_->request_contact(ada, ada, "")).status().code(), Code::BadRequest);
  EXPECT_EQ(sync_wait(chat_->request_contact(ada, ids_.next(), "")).status().code(), Code::NotFound);
  ASSERT_TRUE(sync_wait(chat_->remove_contact(bob, ada)).ok());
  EXPECT_TRUE(sync_wait(chat_->contacts(ada))->empty());
}

TEST_F(ChatTest, SearchFindsOnlyWhatTheUserMaySee) {
  auto a = user("a"), b = user("b"), late = user("late"), eve = user("eve");
  auto conv = group(a, {b});
  send(a, conv, "the quarterly numbers are in");
  ASSERT_TRUE(sync_wait(chat_->add_members(a, conv, {late})).ok());
  send(b, conv, "numbers look good");
  auto hits = [&](const std::string& who, const std::string& q) {
    auto r = sync_wait(chat_->search_messages(who, q, 20));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& m : *r) out.push_back(m.body);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(hits(a, "numbers"), (std::vector<std::string>{"numbers look good", "the quarterly numbers are in"}));
  EXPECT_EQ(hits(late, "numbers"), std::vector<std::string>{"numbers look good"}) << "nothing from before joining";
  EXPECT_TRUE(hits(eve, "numbers").empty()) << "nothing from someone else's conversation";
  ASSERT_TRUE(sync_wait(chat_->remove_member(a, conv, b)).ok());
  EXPECT_TRUE(hits(b, "numbers").empty()) << "nothing once removed";
  // Edits and deletes keep the index true.
  auto m = send(a, conv, "draft wording");
  ASSERT_TRUE(sync_wait(chat_->edit_message(a, m.message.id, "final wording")).ok());
  EXPECT_TRUE(hits(a, "draft").empty());
  EXPECT_EQ(hits(a, "final"), std::vector<std::string>{"final wording"});
  ASSERT_TRUE(sync_wait(chat_->delete_message(a, m.message.id)).ok());
  EXPECT_TRUE(hits(a, "final").empty());
  EXPECT_EQ(sync_wait(chat_->search_messages(a, "  ", 20)).status().code(), Code::BadRequest);
}

TEST_F(ChatTest, EditsDeletesReactionsAndReceiptsFollowTheRules) {
  auto a = user("a"), b = user("b");
  auto conv = group(a, {b});
  auto m = send(a, conv, "hello").message;
  EXPECT_EQ(sync_wait(chat_->edit_message(b, m.id, "mine now")).status().code(), Code::NotFound);
  EXPECT_EQ(sync_wait(chat_->delete_message(b, m.id)).status().code(), Code::NotFound);
  EXPECT_EQ(sync_wait(chat_->react(b, m.id, "hello", true)).status().code(), Code::BadRequest);
  auto reacted = sync_wait(chat_->react(b, m.id, "👍🏽", true));
  ASSERT_TRUE(reacted.ok());
  ASSERT_EQ(reacted->reactions.size(), 1u);
  EXPECT_EQ(reacted->reactions[0].users[0].id, b);
  ASSERT_TRUE(sync_wait(chat_->react(b, m.id, "👍🏽", false)).ok());
  EXPECT_TRUE(sync_wait(chat_->message(a, m.id))->reactions.empty());
  // Marks never move back nor past the end.
  auto marked = sync_wait(chat_->mark_read(b, conv, 99));
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(marked->read_seq, m.seq);
  EXPECT_EQ(sync_wait(chat_->mark_read(b, conv, 0))->read_seq, m.seq);
  auto deleted = sync_wait(chat_->delete_message(a, m.id));
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->deleted_at_ms.has_value());
  EXPECT_EQ(deleted->body, "");
  EXPECT_EQ(sync_wait(chat_->edit_message(a, m.id, "undo")).status().code(), Code::NotFound);
}

TEST_F(ChatTest, FailedMutationsChangeNothing) {
  auto a = user("a"), b = user("b");
  auto conv = group(a, {b});
  send(a, conv, "only");
  const auto before = inbox(b).stored().size();
  EXPECT_EQ(send_error(a, conv, std::string(16 * 1024 + 1, 'x')), Code::LimitExceeded);
  EXPECT_EQ(send_error(a, conv, "bad \xC3\x28 utf8"), Code::BadRequest);
  EXPECT_EQ(send_error(a, conv, " \n\t"), Code::BadRequest);
  EXPECT_EQ(send_error(a, "not-an-id", "hi"), Code::NotFound);
  EXPECT_EQ(send_error(a, ids_.next(), "hi"), Code::NotFound);
  EXPECT_EQ(sync_wait(chat_->send_message(a, ChatService::SendInput{conv, ids_.next(), "reply", ids_.next(), {}}))
                .status()
                .code(),
            Code::NotFound);
  EXPECT_EQ(sync_wait(chat_->send_message(a, ChatService::SendInput{conv, ids_.next(), "@x", {}, {ids_.next()}}))
                .status()
                .code(),
            Code::BadRequest);
  EXPECT_EQ(bodies(a, conv), std::vector<std::string>{"only"});
  EXPECT_EQ(inbox(b).stored().size(), before);
  EXPECT_EQ(sync_wait(chat_->conversation(a, conv))->last_seq, 2);
}

TEST_F(ChatTest, ReplayHoldsAConversationsEventsOnlyWhileTheUserWasAMember) {
  auto a = user("a"), b = user("b");
  auto conv = group(a, {});
  send(a, conv, "before b");
  ASSERT_TRUE(sync_wait(chat_->add_members(a, conv, {b})).ok());
  send(a, conv, "while b is in");
  ASSERT_TRUE(sync_wait(chat_->remove_member(a, conv, b)).ok());
  send(a, conv, "after b left");
  ASSERT_TRUE(sync_wait(chat_->add_members(a, conv, {b})).ok());
  send(a, conv, "b is back");
  auto replay = sync_wait(chat_->events_after(b, 0, 100));
  ASSERT_TRUE(replay.ok());
  std::vector<std::string> seen;
  for (const auto& e : *replay) {
    auto body_at = e.payload_json.find("\"body\":\"");
    seen.push_back(e.type + (e.type == "MessageCreatedEvent" ? ":" + e.payload_json.substr(body_at + 8, e.payload_json.find('"', body_at + 8) - body_at - 8) : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"MembershipEvent", "MessageCreatedEvent:while b is in", "MembershipEvent",
                                            "MembershipEvent", "MessageCreatedEvent:b is back"}));
  // Live delivery agreed.
  std::vector<std::int64_t> live;
  for (const auto& e : inbox(b).stored()) live.push_back(e->position);
  std::vector<std::int64_t> replayed;
  for (const auto& e : *replay) replayed.push_back(e.pos);
  EXPECT_EQ(live, replayed);
  // Paging: small pages give the same sequence.
  std::vector<std::int64_t> paged;
  for (std::int64_t after = 0;;) {
    auto page = sync_wait(chat_->events_after(b, after, 2));
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& e : *page) paged.push_back(e.pos);
    after = page->back().pos;
  }
  EXPECT_EQ(paged, replayed);
}

TEST_F(ChatTest, PruningDropsOldEventsAndMovesTheOldestPosition) {
  auto a = user("a"), b = user("b");
  auto conv = group(a, {b});
  send(a, conv, "old");
  clock_.advance_ms(10'000);
  send(a, conv, "new");
  auto before = sync_wait(chat_->oldest_position());
  auto pruned = sync_wait(store_->chat().prune_events(clock_.now_ms() - 5'000));
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 2) << "the group's creation and the old message";
  auto after = sync_wait(chat_->oldest_position());
  EXPECT_GT(*after, *before);
  auto replay = sync_wait(chat_->events_after(b, 0, 100));
  ASSERT_EQ(replay->size(), 1u);
  EXPECT_EQ((*replay)[0].type, "MessageCreatedEvent");
}

TEST(ChatInput, EmojiAreRecognised) {
  for (const char* ok : {"👍", "👍🏽", "❤️", "🇨🇭", "👨‍👩‍👧", "1️⃣", "☕", "🫠"}) EXPECT_TRUE(is_emoji(ok)) << ok;
  for (const char* bad : {"", "a", "hello", "👍x", "<script>", "\xF0\x9F", " 👍"}) EXPECT_FALSE(is_emoji(bad)) << bad;
}

TEST(ChatInput, SearchTextBecomesASafeQuery) {
  EXPECT_EQ(fts_query("cafe geneve"), "\"cafe\" \"geneve\"");
  EXPECT_EQ(fts_query("\"exact phrase\" demai*"), "\"exact phrase\" \"demai\"*");
  EXPECT_EQ(fts_query("a\"b OR NEAR(x"), "\"a\" \"b OR NEAR(x\"") << "an open quote runs to the end";
  EXPECT_EQ(fts_query("NEAR(x y) -z"), "\"NEAR x\" \"y \" \" z\"");
  EXPECT_EQ(fts_query(std::string("\"a\0b\"", 5)), "\"a b\"") << "found by fuzzing: NUL ended the FTS5 string";
  EXPECT_EQ(fts_query("   "), "");
  EXPECT_EQ(fts_query("***"), "");
}

TEST(ChatInput, CursorsRoundTripAndStrangersAreRefused) {
  EXPECT_EQ(decode_cursor(encode_cursor(0)).value(), 0);
  EXPECT_EQ(decode_cursor(encode_cursor(123456789)).value(), 123456789);
  for (const char* bad : {"", "1.", "2.5", "1.-1", "1.01", "1.99999999999999999999", "01ARZ3NDEKTSV4RRFFQ69G5FAV"}) {
    EXPECT_EQ(decode_cursor(bad).status().code(), Code::BadRequest) << bad;
  }
}

TEST(ChatInput, BodiesAreBoundedValidText) {
  EXPECT_TRUE(check_body("hello", 16).is_ok());
  EXPECT_EQ(check_body(std::string(17, 'x'), 16).code(), Code::LimitExceeded);
  EXPECT_EQ(check_body("\xED\xA0\x80", 16).code(), Code::BadRequest) << "a surrogate";
  EXPECT_EQ(check_body("", 16).code(), Code::BadRequest);
}

}  // namespace
}  // namespace parley::chat
