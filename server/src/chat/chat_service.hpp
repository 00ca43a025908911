// ChatService: contacts, presence, conversations, messages, receipts and
// typing, for the API's resolvers. It checks input (sizes, UTF-8, emoji,
// search syntax) and hands everything that must be atomic to the ChatStore,
// whose transactions enforce membership, roles, blocks and idempotency.
//
// Events: stored events come from the store's event sink (writer thread, log
// order) and are published on the bus to each recipient's topic, one shared
// bus::Event per log entry. Typing and presence are ephemeral: published
// directly, never stored. Cursors are opaque strings ("1." + log position).
//
// Thread-safe; methods may be called from any event loop.
#pragma once

#include <atomic>
#include <deque>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/status.hpp"
#include "base/task.hpp"
#include "base/ulid.hpp"
#include "bus/bus.hpp"
#include "graphql/value.hpp"
#include "storage/store.hpp"

namespace parley::chat {

template <typename T>
using Task = base::Task<base::Result<T>>;

struct ChatOptions {
  std::size_t max_body_bytes = 16 * 1024;
  int max_group_members = 1000;
  int away_after_s = 300;      // clients report idle after this long without input
  int typing_timeout_s = 6;    // a typing indicator lasts this long unless refreshed
  int max_page = 200;          // messages per history page
};

enum class PresenceStatus { Online, Away, Busy, Offline };
std::string_view presence_status_name(PresenceStatus s);  // "ONLINE", ...

struct Presence {
  PresenceStatus status = PresenceStatus::Offline;
  std::string text;
  std::optional<std::int64_t> last_seen_at_ms;
};

// {status, text, lastSeenAt} as the API shows it.
graphql::Value presence_value(const Presence& presence);

std::string encode_cursor(std::int64_t position);
// BAD_REQUEST for anything encode_cursor did not produce.
base::Result<std::int64_t> decode_cursor(std::string_view cursor);

// Input rules, public for tests.
base::Status check_body(std::string_view body, std::size_t max_bytes);
bool is_emoji(std::string_view s);
// A user's search words as a safe FTS5 query: each word (or "quoted phrase")
// matched as a phrase, a trailing * kept as a prefix match; empty if none.
std::string fts_query(std::string_view input);

class ChatService {
 public:
  ChatService(storage::Store& store, bus::Bus& bus, base::Clock& clock, base::UlidGenerator& ids,
              ChatOptions options = {});
  ~ChatService();
  ChatService(const ChatService&) = delete;
  ChatService& operator=(const ChatService&) = delete;

  // Reads the log's head, so that ephemeral events carry sensible cursors. Call once before serving.
  base::Task<base::Status> start();
  const ChatOptions& options() const { return options_; }

  // ---- event stream
  // The newest position handed to the bus (every stored event up to it has been published).
  std::int64_t published_position() const { return published_.load(std::memory_order_acquire); }
  // Publishes an event that is not stored (session changes...) to `user_ids`.
  void publish_ephemeral(const std::vector<std::string>& user_ids, std::string type, std::string payload_json);
  Task<std::vector<storage::EventRecord>> events_after(std::string user_id, std::int64_t after, int limit);
  // The bus event of a stored event, shared with every other subscriber that
  // gets the same position (live or replayed), so that it is rendered once
  // per operation however many devices catch up on it.
  bus::EventPtr shared_event(storage::EventRecord record);
  Task<std::int64_t> oldest_position();

  // ---- users and contacts
  Task<std::vector<storage::UserMatch>> search_users(std::string viewer, std::string query, int limit);
  Task<storage::UserSummary> visible_user(std::string viewer, std::string user_id);
  Task<storage::Relation> relation(std::string viewer, std::string other);
  Task<std::vector<storage::UserSummary>> contacts(std::string user_id);
  Task<std::vector<storage::UserSummary>> blocked_users(std::string user_id);
  Task<std::vector<storage::ContactRequestRecord>> contact_requests(std::string user_id);
  Task<storage::ContactRequestRecord> request_contact(std::string from, std::string to, std::string note);
  Task<storage::ContactRequestRecord> respond_contact(std::string user, std::string request_id, bool accept);
  Task<storage::ContactRequestRecord> cancel_contact_request(std::string user, std::string request_id);
  Task<bool> remove_contact(std::string user, std::string other);
  Task<bool> block(std::string user, std::string other);
  Task<bool> unblock(std::string user, std::string other);

  // ---- conversations
  Task<storage::ConversationRecord> direct_conversation(std::string user, std::string other);
  Task<storage::ConversationRecord> create_group(std::string creator, std::string title,
                                                 std::vector<std::string> member_ids);
  Task<storage::ConversationRecord> conversation(std::string viewer, std::string id);
  Task<std::vector<storage::ConversationRecord>> conversations(std::string viewer);
  Task<storage::ConversationRecord> add_members(std::string actor, std::string id, std::vector<std::string> users);
  Task<storage::ConversationRecord> remove_member(std::string actor, std::string id, std::string user);
  Task<storage::ConversationRecord> leave(std::string actor, std::string id);
  Task<storage::ConversationRecord> rename(std::string actor, std::string id, std::string title);
  Task<storage::ConversationRecord> set_role(std::string actor, std::string id, std::string user,
                                             storage::MemberRole role);
  Task<storage::ConversationRecord> transfer_ownership(std::string actor, std::string id, std::string user);

  // ---- messages
  struct SendInput {
    std::string conversation_id;
    std::string client_id;
    std::string body;
    std::optional<std::string> reply_to_id;
    std::vector<std::string> mention_ids;
  };
  Task<storage::SendResult> send_message(std::string sender, SendInput input);
  Task<storage::MessageRecord> edit_message(std::string user, std::string message_id, std::string body);
  Task<storage::MessageRecord> delete_message(std::string user, std::string message_id);
  Task<storage::MessageRecord> react(std::string user, std::string message_id, std::string emoji, bool add);
  Task<storage::MessageRecord> message(std::string viewer, std::string message_id);
  Task<std::vector<storage::MessageRecord>> messages(std::string viewer, std::string conversation_id,
                                                     std::optional<std::int64_t> before,
                                                     std::optional<std::int64_t> after, int limit);
  // About `limit` messages around `seq` (it, up to half the page before it,
  // the rest after), oldest first: for jumping to a search result.
  Task<std::vector<storage::MessageRecord>> messages_around(std::string viewer, std::string conversation_id,
                                                            std::int64_t seq, int limit);
  Task<storage::MemberRecord> mark_read(std::string user, std::string conversation_id, std::int64_t seq);
  Task<storage::MemberRecord> mark_delivered(std::string user, std::string conversation_id, std::int64_t seq);
  Task<std::vector<storage::MessageRecord>> search_messages(std::string viewer, std::string query, int limit);
  Task<bool> set_typing(std::string user, std::string conversation_id, bool typing);

  // ---- presence
  // A connection of the user opened or closed (WebSocket sessions).
  void connected(const std::string& user_id);
  void disconnected(const std::string& user_id);
  Task<Presence> set_presence(std::string user, PresenceStatus status, std::optional<std::string> text);
  Task<Presence> set_idle(std::string user, bool idle);
  // What others (contacts) see.
  Presence presence_of(const std::string& user_id) const;

 private:
  struct PresenceState {
    int connections = 0;
    bool idle = false;
    PresenceStatus chosen = PresenceStatus::Online;
    std::string text;
    std::optional<std::int64_t> last_seen_at_ms;
  };
  Presence effective(const PresenceState& s) const;  // with presence_mutex_ held
  // Publishes the user's presence to them and their contacts when it changed.
  base::Task<void> announce_presence(std::string user_id, Presence before, bool to_self);
  void spawn_announce(std::string user_id, Presence before);  // for connects and disconnects
  void on_committed(const std::vector<storage::EventRecord>& events);  // store's writer thread
  bus::EventPtr make_event(std::string type, std::string payload, std::int64_t position, bool ephemeral) const;

  storage::Store& store_;
  storage::ChatStore& chat_;
  bus::Bus& bus_;
  base::Clock& clock_;
  base::UlidGenerator& ids_;
  ChatOptions options_;
  std::mutex publish_mutex_;  // orders stored and ephemeral publications
  // Recently published or replayed events by position, first in first out.
  static constexpr std::size_t kRecentEvents = 32768;
  std::mutex recent_mutex_;
  std::unordered_map<std::int64_t, bus::EventPtr> recent_;  // GUARDED_BY(recent_mutex_)
  std::deque<std::int64_t> recent_order_;                   // GUARDED_BY(recent_mutex_)
  void remember(const bus::EventPtr& event);
  std::atomic<std::int64_t> published_{0};

  mutable std::mutex presence_mutex_;
  std::unordered_map<std::string, PresenceState> presence_;  // GUARDED_BY(presence_mutex_)
  int announcing_ = 0;                                       // GUARDED_BY(presence_mutex_)
  std::condition_variable announcing_cv_;
};

}  // namespace parley::chat
