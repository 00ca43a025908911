// ChatStore: contacts, conversations, messages and the per-user event log.
// Part of the Store interface (store.hpp); no SQL here.
//
// Mutations are conditional and atomic: each checks the rules that must hold
// at commit time (membership, blocks, idempotency) inside its transaction, so
// a concurrent change can never slip between a check and a write. Rules that
// need no atomicity (input validation) live in chat::ChatService.
//
// The event log. Every mutation that users may see appends events in the same
// transaction. A conversation's events (messages, reactions, receipts,
// membership) are stored once; its members see them through their
// membership periods (from the event that added them to the one that removed
// them). Personal events (contacts, blocks, a message hidden from a blocker)
// get a row per recipient. Positions increase in commit order (one writer).
// After the commit, the store hands the committed events, each with who gets
// it live, to the event sink on the writer thread, in position order, before
// the mutation's task completes: live delivery sees events in log order, and
// a reader that replays the log up to position P and then takes live events
// above P misses nothing and doubles nothing. Payloads are rendered inside
// the transaction by the ChatRenderer the store was given, so replay and
// live delivery carry the same bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "base/task.hpp"

namespace parley::storage {

template <typename T>
using StoreTask = base::Task<base::Result<T>>;

struct UserSummary {
  std::string id;
  std::string display_name;
};

// ---------------------------------------------------------------- contacts

enum class RequestStatus { Pending, Accepted, Declined, Cancelled };
std::string_view request_status_name(RequestStatus s);  // "PENDING", ...

struct ContactRequestRecord {
  std::string id;
  UserSummary from;
  UserSummary to;
  std::string note;
  RequestStatus status = RequestStatus::Pending;
  // The recipient had blocked the sender: the request is kept so the sender
  // sees it pending, but the recipient never sees it.
  bool hidden = false;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> responded_at_ms;
};

// How `other` relates to `viewer`.
struct Relation {
  bool contact = false;
  bool viewer_blocked_other = false;
  bool other_blocked_viewer = false;
  std::optional<ContactRequestRecord> pending;  // a pending request either way (not a hidden one to the viewer)
};

struct UserMatch {
  UserSummary user;
  bool contact = false;
};

// ---------------------------------------------------------------- conversations

enum class ConversationKind { Direct, Group };
enum class MemberRole { Owner, Admin, Member };
std::string_view member_role_name(MemberRole r);  // "OWNER", ...

// What a membership change did, for its system message and event.
enum class MembershipAction { Created, Added, Removed, Left, Renamed, RoleChanged, OwnershipTransferred };
std::string_view membership_action_name(MembershipAction a);  // "CREATED", ...

enum class MessageKind { Text, System, Call };

// A finished call as its timeline entry keeps it (MessageKind::Call; the
// participants are the message's action_users, the caller its sender).
struct CallLogEntry {
  std::string call_id;
  bool video = false;
  std::string result;  // CallResult name: "COMPLETED", "MISSED", "DECLINED", "BUSY", "CANCELLED"
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> answered_at_ms;
  std::int64_t ended_at_ms = 0;
};

struct ReactionRecord {
  std::string emoji;
  std::vector<UserSummary> users;  // who reacted, in order of reacting
};

struct MessageRecord {
  std::string id;
  std::string conversation_id;
  std::int64_t seq = 0;
  UserSummary sender;
  std::optional<std::string> client_id;
  MessageKind kind = MessageKind::Text;
  std::string body;  // empty once deleted
  std::optional<std::string> reply_to_id;
  std::vector<UserSummary> mentions;
  // System messages: what happened (action, actor = sender, the users concerned, a new title).
  std::optional<MembershipAction> action;
  std::vector<UserSummary> action_users;
  std::string action_title;
  // Call entries: the call (participants in action_users).
  std::optional<CallLogEntry> call;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> edited_at_ms;
  std::optional<std::int64_t> deleted_at_ms;
  std::vector<ReactionRecord> reactions;
  // Search results only: an excerpt with each hit between U+E000 and U+E001.
  std::string snippet;
};

struct MemberRecord {
  UserSummary user;
  MemberRole role = MemberRole::Member;
  std::int64_t joined_at_ms = 0;
  std::int64_t joined_seq = 1;  // first message seq the member may see
  std::int64_t read_seq = 0;
  std::int64_t delivered_seq = 0;
};

struct ConversationRecord {
  std::string id;
  ConversationKind kind = ConversationKind::Group;
  std::string title;  // groups; empty for direct conversations
  std::string created_by;
  std::int64_t created_at_ms = 0;
  std::int64_t last_seq = 0;
  std::int64_t last_activity_at_ms = 0;
  std::vector<MemberRecord> members;  // current members, oldest first
  // For the viewer who asked (queries only; never in events):
  std::optional<MessageRecord> last_message;  // newest message they may see
  std::int64_t unread_count = 0;                     // messages from others above their read mark
};

// ---------------------------------------------------------------- events

struct EventRecord {
  std::int64_t pos = 0;                 // 0 for ephemeral events (never stored)
  std::string type;                     // GraphQL type name, e.g. "MessageCreatedEvent"
  std::string payload_json;             // the event's fields except cursor
  std::vector<std::string> recipients;  // user ids
};

// Turns what a mutation did into event payloads (the API's JSON shapes).
// Called on the store's writer thread inside the transaction: must be a pure
// function of its arguments.
class ChatRenderer {
 public:
  virtual ~ChatRenderer() = default;
  // {"message": ...} for MessageCreated/Edited/DeletedEvent and ReactionEvent.
  virtual std::string message_event(const MessageRecord& message) const = 0;
  virtual std::string reaction_event(const MessageRecord& message, const UserSummary& user, const std::string& emoji,
                                     bool added) const = 0;
  virtual std::string receipt_event(const std::string& conversation_id, const UserSummary& user, std::int64_t read_seq,
                                    std::int64_t delivered_seq) const = 0;
  // `system_message` is the timeline entry the change wrote (absent for none).
  virtual std::string membership_event(const ConversationRecord& conversation, MembershipAction action,
                                       const UserSummary& actor, const std::vector<UserSummary>& users,
                                       const MessageRecord* system_message) const = 0;
  virtual std::string contact_request_event(const ContactRequestRecord& request) const = 0;
  // Contacts changed between `user` and `other` (contact = whether they now are).
  virtual std::string contact_event(const UserSummary& user, const UserSummary& other, bool contact) const = 0;
  virtual std::string block_event(const UserSummary& user, const UserSummary& other, bool blocked) const = 0;
};

// Receives committed events in position order, on the writer thread: must
// only hand them over and return quickly.
using EventSink = std::function<void(const std::vector<EventRecord>& events)>;

// ---------------------------------------------------------------- inputs

struct NewMessage {
  std::string id;  // ULID chosen by the caller
  std::string conversation_id;
  std::string sender_id;
  std::optional<std::string> client_id;
  std::string body;
  std::optional<std::string> reply_to_id;
  std::vector<std::string> mention_ids;
  std::int64_t now_ms = 0;
};

struct SendResult {
  MessageRecord message;
  bool created = false;  // false: an earlier send with the same client id
};

struct NewGroup {
  std::string id;
  std::string title;
  std::string creator_id;
  std::vector<std::string> member_ids;  // besides the creator
  std::string system_message_id;
  std::int64_t now_ms = 0;
};

// A finished call for the timeline of its conversation.
struct NewCallEntry {
  std::string message_id;  // ULID chosen by the caller
  std::string conversation_id;
  std::string caller_id;
  CallLogEntry call;
  std::vector<std::string> participant_ids;  // everyone who joined, the caller first
  // Visible to this user only (a direct call to someone who blocked the caller).
  std::optional<std::string> only_for;
};

struct MessagePage {
  std::optional<std::int64_t> before_seq;  // newest first below this seq...
  std::optional<std::int64_t> after_seq;   // ...or oldest first above this one
  int limit = 50;
};

// One change of membership or settings in a group.
struct MembershipChange {
  std::string conversation_id;
  std::string actor_id;
  MembershipAction action = MembershipAction::Added;
  std::vector<std::string> user_ids;  // Added/Removed: who; RoleChanged/OwnershipTransferred: the one
  MemberRole role = MemberRole::Member;  // RoleChanged: the new role
  std::string title;                     // Renamed: the new title
  std::string system_message_id;
  std::int64_t now_ms = 0;
  int max_members = 1000;
};

class ChatStore {
 public:
  virtual ~ChatStore() = default;

  // Wiring, before first use.
  virtual void set_renderer(std::shared_ptr<const ChatRenderer> renderer) = 0;
  virtual void set_event_sink(EventSink sink) = 0;

  // ---- users and contacts
  // Users whose email equals `email_or_prefix` (lower-cased by the caller) or
  // whose display name starts with it (case-insensitive), never the viewer or
  // anyone who blocked the viewer. At most `limit`, contacts first.
  virtual StoreTask<std::vector<UserMatch>> search_users(std::string viewer_id, std::string query, int limit) = 0;
  virtual StoreTask<UserSummary> get_user(std::string id) = 0;  // NOT_FOUND
  virtual StoreTask<Relation> relation(std::string viewer_id, std::string other_id) = 0;
  virtual StoreTask<std::vector<UserSummary>> contacts(std::string user_id) = 0;       // by display name
  virtual StoreTask<std::vector<UserSummary>> blocked_users(std::string user_id) = 0;  // by display name
  // Pending requests to and from the user (hidden ones only to their sender), newest first.
  virtual StoreTask<std::vector<ContactRequestRecord>> pending_requests(std::string user_id) = 0;
  // Requests `to_id`. CONFLICT when they already are contacts or a request
  // from the sender is pending. When `to_id` had requested the sender, that
  // request is accepted instead (and returned). NOT_FOUND for no such user.
  virtual StoreTask<ContactRequestRecord> request_contact(std::string request_id, std::string from_id,
                                                          std::string to_id, std::string note,
                                                          std::int64_t now_ms) = 0;
  // The recipient accepts or declines a pending request; NOT_FOUND otherwise.
  virtual StoreTask<ContactRequestRecord> respond_contact(std::string request_id, std::string responder_id,
                                                          bool accept, std::int64_t now_ms) = 0;
  // The sender withdraws a pending request; NOT_FOUND otherwise.
  virtual StoreTask<ContactRequestRecord> cancel_contact_request(std::string request_id, std::string sender_id,
                                                                 std::int64_t now_ms) = 0;
  virtual StoreTask<bool> remove_contact(std::string user_id, std::string other_id, std::int64_t now_ms) = 0;
  // Blocking also ends the contact and withdraws pending requests both ways.
  virtual StoreTask<bool> block(std::string user_id, std::string other_id, std::int64_t now_ms) = 0;
  virtual StoreTask<bool> unblock(std::string user_id, std::string other_id, std::int64_t now_ms) = 0;

  // ---- conversations
  // The direct conversation of the pair, created (with id `new_id`) if it
  // does not exist: exactly one per pair, whoever creates it.
  virtual StoreTask<ConversationRecord> direct_conversation(std::string new_id, std::string user_id,
                                                            std::string other_id, std::int64_t now_ms) = 0;
  // NOT_FOUND for unknown members.
  virtual StoreTask<ConversationRecord> create_group(NewGroup group) = 0;
  // The conversation if `viewer_id` is a member; NOT_FOUND otherwise.
  virtual StoreTask<ConversationRecord> conversation(std::string viewer_id, std::string conversation_id) = 0;
  // The viewer's conversations, most recent activity first.
  virtual StoreTask<std::vector<ConversationRecord>> conversations(std::string viewer_id) = 0;
  // Rules: only members act; owners and admins add, remove members, rename
  // and set roles (admins cannot remove or demote the owner or other admins);
  // only the owner transfers ownership; the owner leaving hands ownership to
  // the longest-standing admin (else member); the last member leaving ends it.
  // FORBIDDEN when the actor's role does not allow it, NOT_FOUND when the
  // actor is no member, CONFLICT for direct conversations or a full group.
  virtual StoreTask<ConversationRecord> change_membership(MembershipChange change) = 0;

  // ---- messages
  virtual StoreTask<SendResult> send_message(NewMessage message) = 0;
  // Own, not deleted messages only; NOT_FOUND otherwise.
  // Appends a CALL entry to the timeline (no membership check: the call
  // service decided who was in the call). NOT_FOUND for no such conversation.
  virtual StoreTask<MessageRecord> record_call(NewCallEntry entry) = 0;
  virtual StoreTask<MessageRecord> edit_message(std::string user_id, std::string message_id, std::string body,
                                                std::int64_t now_ms) = 0;
  virtual StoreTask<MessageRecord> delete_message(std::string user_id, std::string message_id,
                                                  std::int64_t now_ms) = 0;
  virtual StoreTask<MessageRecord> react(std::string user_id, std::string message_id, std::string emoji, bool add,
                                         std::int64_t now_ms) = 0;
  virtual StoreTask<MessageRecord> message(std::string viewer_id, std::string message_id) = 0;
  virtual StoreTask<std::vector<MessageRecord>> messages(std::string viewer_id, std::string conversation_id,
                                                         MessagePage page) = 0;
  // Raises the viewer's read (and delivered) mark; never lowers it. Returns
  // the member's marks afterwards.
  virtual StoreTask<MemberRecord> mark(std::string viewer_id, std::string conversation_id, std::int64_t read_seq,
                                       std::int64_t delivered_seq, std::int64_t now_ms) = 0;
  // Full-text search (FTS5 query syntax, sanitised by the caller) in the
  // viewer's conversations, visible messages only, best first.
  virtual StoreTask<std::vector<MessageRecord>> search_messages(std::string viewer_id, std::string query,
                                                                int limit) = 0;

  // ---- event log
  // The newest position in the log (0 when empty).
  virtual StoreTask<std::int64_t> head() = 0;
  // Events of `user_id` after `after_pos`, oldest first, at most `limit`.
  virtual StoreTask<std::vector<EventRecord>> events_after(std::string user_id, std::int64_t after_pos,
                                                           int limit) = 0;
  // The oldest position still in the log (older ones were pruned).
  virtual StoreTask<std::int64_t> oldest_pos() = 0;
  // Housekeeping: drops events older than `before_ms`; returns how many.
  virtual StoreTask<std::int64_t> prune_events(std::int64_t before_ms) = 0;
};

}  // namespace parley::storage
