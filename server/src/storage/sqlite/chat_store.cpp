// ChatStore over SQLite. Every mutation is one write op (one SAVEPOINT in a
// group commit): its checks, its rows and its events commit together or not
// at all. See storage/chat_store.hpp for the contract.
#include "storage/sqlite/chat_store.hpp"

#include <algorithm>
#include <mutex>
#include <sstream>

#include "base/task.hpp"

namespace parley::storage {

std::string_view request_status_name(RequestStatus s) {
  switch (s) {
    case RequestStatus::Pending: return "PENDING";
    case RequestStatus::Accepted: return "ACCEPTED";
    case RequestStatus::Declined: return "DECLINED";
    case RequestStatus::Cancelled: return "CANCELLED";
  }
  return "PENDING";
}

std::string_view member_role_name(MemberRole r) {
  switch (r) {
    case MemberRole::Owner: return "OWNER";
    case MemberRole::Admin: return "ADMIN";
    case MemberRole::Member: return "MEMBER";
  }
  return "MEMBER";
}

std::string_view membership_action_name(MembershipAction a) {
  switch (a) {
    case MembershipAction::Created: return "CREATED";
    case MembershipAction::Added: return "ADDED";
    case MembershipAction::Removed: return "REMOVED";
    case MembershipAction::Left: return "LEFT";
    case MembershipAction::Renamed: return "RENAMED";
    case MembershipAction::RoleChanged: return "ROLE_CHANGED";
    case MembershipAction::OwnershipTransferred: return "OWNERSHIP_TRANSFERRED";
  }
  return "ADDED";
}

namespace sqlite {
namespace {

using base::Result;
using base::Status;
using Events = std::vector<EventRecord>;

RequestStatus parse_request_status(const std::string& s) {
  if (s == "ACCEPTED") return RequestStatus::Accepted;
  if (s == "DECLINED") return RequestStatus::Declined;
  if (s == "CANCELLED") return RequestStatus::Cancelled;
  return RequestStatus::Pending;
}

MemberRole parse_role(const std::string& s) {
  if (s == "OWNER") return MemberRole::Owner;
  if (s == "ADMIN") return MemberRole::Admin;
  return MemberRole::Member;
}

std::optional<MembershipAction> parse_action(const std::string& s) {
  for (auto a : {MembershipAction::Created, MembershipAction::Added, MembershipAction::Removed, MembershipAction::Left,
                 MembershipAction::Renamed, MembershipAction::RoleChanged, MembershipAction::OwnershipTransferred}) {
    if (membership_action_name(a) == s) return a;
  }
  return std::nullopt;
}

// Call entries are rows of kind 'SYSTEM' with action 'CALL' (the kind column's
// CHECK predates calls, and rebuilding the table for a new kind buys
// nothing), the call in action_title as "<callId> <video 0|1> <result>
// <startedAt> <answeredAt or -1> <endedAt>".
constexpr std::string_view kCallAction = "CALL";

std::string encode_call(const CallLogEntry& call) {
  return call.call_id + " " + (call.video ? "1" : "0") + " " + call.result + " " +
         std::to_string(call.started_at_ms) + " " + std::to_string(call.answered_at_ms.value_or(-1)) + " " +
         std::to_string(call.ended_at_ms);
}

std::optional<CallLogEntry> decode_call(const std::string& text) {
  std::istringstream in(text);
  CallLogEntry call;
  int video = 0;
  std::int64_t answered = -1;
  if (!(in >> call.call_id >> video >> call.result >> call.started_at_ms >> answered >> call.ended_at_ms)) {
    return std::nullopt;
  }
  call.video = video != 0;
  if (answered >= 0) call.answered_at_ms = answered;
  return call;
}

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::string direct_key(const std::string& a, const std::string& b) { return a < b ? a + ":" + b : b + ":" + a; }

// Collects rows of a statement.
template <typename T, typename F>
Result<std::vector<T>> all_rows(Statement& s, F convert) {
  std::vector<T> out;
  for (;;) {
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(convert(s));
  }
  return out;
}

// ---------------------------------------------------------------- row helpers
// Each runs on whichever connection (writer or reader) the op got.

Result<UserSummary> load_user(Connection& c, const std::string& id) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id, display_name FROM users WHERE id = ?"));
  s.bind_all(id);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return Status::not_found("no such user").with_field("userId");
  return UserSummary{s.text(0), s.text(1)};
}

Result<std::vector<UserSummary>> load_users(Connection& c, const std::vector<std::string>& ids) {
  std::vector<UserSummary> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    PARLEY_ASSIGN_OR_RETURN(auto u, load_user(c, id));
    out.push_back(std::move(u));
  }
  return out;
}

Result<bool> blocks(Connection& c, const std::string& blocker, const std::string& blocked) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?"));
  s.bind_all(blocker, blocked);
  return s.step();
}

Result<bool> are_contacts(Connection& c, const std::string& a, const std::string& b) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT 1 FROM contacts WHERE user_id = ? AND contact_id = ?"));
  s.bind_all(a, b);
  return s.step();
}

#define PARLEY_REQUEST_COLUMNS                                                                                \
  "r.id, r.from_id, fu.display_name, r.to_id, tu.display_name, r.note, r.status, r.hidden, r.created_at, " \
  "r.responded_at FROM contact_requests r JOIN users fu ON fu.id = r.from_id JOIN users tu ON tu.id = r.to_id "

ContactRequestRecord request_from_row(const Statement& s) {
  ContactRequestRecord r;
  r.id = s.text(0);
  r.from = {s.text(1), s.text(2)};
  r.to = {s.text(3), s.text(4)};
  r.note = s.text(5);
  r.status = parse_request_status(s.text(6));
  r.hidden = s.int64(7) != 0;
  r.created_at_ms = s.int64(8);
  r.responded_at_ms = s.opt_int64(9);
  return r;
}

Result<std::optional<ContactRequestRecord>> pending_request(Connection& c, const std::string& from,
                                                            const std::string& to) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_REQUEST_COLUMNS
                                            "WHERE r.from_id = ? AND r.to_id = ? AND r.status = 'PENDING'"));
  s.bind_all(from, to);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return std::optional<ContactRequestRecord>();
  return std::optional<ContactRequestRecord>(request_from_row(s));
}

Result<ContactRequestRecord> request_by_id(Connection& c, const std::string& id) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_REQUEST_COLUMNS "WHERE r.id = ?"));
  s.bind_all(id);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return Status::not_found("no such contact request").with_field("requestId");
  return request_from_row(s);
}

Status set_request_status(Connection& c, const std::string& id, RequestStatus status, std::int64_t now_ms) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE contact_requests SET status = ?, responded_at = ? WHERE id = ?"));
  s.bind_all(request_status_name(status), now_ms, id);
  return s.run();
}

Status add_contact_pair(Connection& c, const std::string& a, const std::string& b, std::int64_t now_ms) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT OR IGNORE INTO contacts(user_id, contact_id, created_at) "
                                            "VALUES(?, ?, ?), (?, ?, ?)"));
  s.bind_all(a, b, now_ms, b, a, now_ms);
  return s.run();
}

Status remove_contact_pair(Connection& c, const std::string& a, const std::string& b) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("DELETE FROM contacts WHERE (user_id = ? AND contact_id = ?) OR "
                                            "(user_id = ? AND contact_id = ?)"));
  s.bind_all(a, b, b, a);
  return s.run();
}

// ---- conversations

Result<std::vector<MemberRecord>> load_members(Connection& c, const std::string& conversation_id) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT m.user_id, u.display_name, m.role, m.joined_at, m.joined_seq, "
                                            "m.read_seq, m.delivered_seq FROM members m JOIN users u ON "
                                            "u.id = m.user_id WHERE m.conversation_id = ? ORDER BY m.joined_at, "
                                            "m.user_id"));
  s.bind_all(conversation_id);
  return all_rows<MemberRecord>(s, [](const Statement& st) {
    MemberRecord m;
    m.user = {st.text(0), st.text(1)};
    m.role = parse_role(st.text(2));
    m.joined_at_ms = st.int64(3);
    m.joined_seq = st.int64(4);
    m.read_seq = st.int64(5);
    m.delivered_seq = st.int64(6);
    return m;
  });
}

Result<ConversationRecord> load_conversation(Connection& c, const std::string& id) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id, kind, title, created_by, created_at, last_seq, "
                                            "last_activity_at FROM conversations WHERE id = ?"));
  s.bind_all(id);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return Status::not_found("no such conversation").with_field("conversationId");
  ConversationRecord r;
  r.id = s.text(0);
  r.kind = s.text(1) == "DIRECT" ? ConversationKind::Direct : ConversationKind::Group;
  r.title = s.text(2);
  r.created_by = s.text(3);
  r.created_at_ms = s.int64(4);
  r.last_seq = s.int64(5);
  r.last_activity_at_ms = s.int64(6);
  PARLEY_ASSIGN_OR_RETURN(r.members, load_members(c, id));
  return r;
}

const MemberRecord* find_member(const ConversationRecord& conv, const std::string& user_id) {
  for (const auto& m : conv.members) {
    if (m.user.id == user_id) return &m;
  }
  return nullptr;
}

// The conversation when `viewer_id` is a member; NOT_FOUND otherwise (a
// stranger learns nothing, not even that it exists).
Result<ConversationRecord> load_conversation_for(Connection& c, const std::string& viewer_id, const std::string& id) {
  auto conv = load_conversation(c, id);
  if (!conv.ok()) return conv.status();
  if (find_member(*conv, viewer_id) == nullptr) {
    return Status::not_found("no such conversation").with_field("conversationId");
  }
  return conv;
}

std::vector<std::string> member_ids(const ConversationRecord& conv) {
  std::vector<std::string> ids;
  ids.reserve(conv.members.size());
  for (const auto& m : conv.members) ids.push_back(m.user.id);
  return ids;
}

// ---- messages

#define PARLEY_MESSAGE_FIELDS                                                                                 \
  "m.id, m.conversation_id, m.seq, m.sender_id, u.display_name, m.client_id, m.kind, m.body, m.reply_to_id, " \
  "m.mentions, m.action, m.action_users, m.action_title, m.created_at, m.edited_at, m.deleted_at, m.only_for "
#define PARLEY_MESSAGE_COLUMNS PARLEY_MESSAGE_FIELDS "FROM messages m JOIN users u ON u.id = m.sender_id "

struct MessageRow {
  MessageRecord record;
  std::vector<std::string> mention_ids;
  std::vector<std::string> action_user_ids;
  std::optional<std::string> only_for;
};

MessageRow message_from_row(const Statement& s) {
  MessageRow row;
  MessageRecord& m = row.record;
  m.id = s.text(0);
  m.conversation_id = s.text(1);
  m.seq = s.int64(2);
  m.sender = {s.text(3), s.text(4)};
  if (!s.is_null(5)) m.client_id = s.text(5);
  m.kind = s.text(6) == "SYSTEM" ? MessageKind::System : MessageKind::Text;
  m.body = s.text(7);
  if (!s.is_null(8)) m.reply_to_id = s.text(8);
  row.mention_ids = split_ids(s.text(9));
  if (!s.is_null(10) && s.text(10) == kCallAction) {
    m.kind = MessageKind::Call;
    m.call = decode_call(s.text(12));
  } else {
    if (!s.is_null(10)) m.action = parse_action(s.text(10));
    m.action_title = s.text(12);
  }
  row.action_user_ids = split_ids(s.text(11));
  m.created_at_ms = s.int64(13);
  m.edited_at_ms = s.opt_int64(14);
  m.deleted_at_ms = s.opt_int64(15);
  if (!s.is_null(16)) row.only_for = s.text(16);
  return row;
}

Result<std::vector<ReactionRecord>> load_reactions(Connection& c, const std::string& message_id) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT r.emoji, r.user_id, u.display_name FROM reactions r JOIN users u "
                                            "ON u.id = r.user_id WHERE r.message_id = ? ORDER BY r.created_at, "
                                            "r.user_id"));
  s.bind_all(message_id);
  std::vector<ReactionRecord> out;
  for (;;) {
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    std::string emoji = s.text(0);
    auto it = std::find_if(out.begin(), out.end(), [&](const ReactionRecord& r) { return r.emoji == emoji; });
    if (it == out.end()) {
      out.push_back(ReactionRecord{emoji, {}});
      it = out.end() - 1;
    }
    it->users.push_back(UserSummary{s.text(1), s.text(2)});
  }
  return out;
}

// Fills names of mentions and action users, and the reactions.
Status complete_message(Connection& c, MessageRow& row) {
  PARLEY_ASSIGN_OR_RETURN(row.record.mentions, load_users(c, row.mention_ids));
  PARLEY_ASSIGN_OR_RETURN(row.record.action_users, load_users(c, row.action_user_ids));
  PARLEY_ASSIGN_OR_RETURN(row.record.reactions, load_reactions(c, row.record.id));
  return Status::ok();
}

Result<MessageRow> load_message_row(Connection& c, const std::string& id) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_MESSAGE_COLUMNS "WHERE m.id = ?"));
  s.bind_all(id);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return Status::not_found("no such message").with_field("messageId");
  MessageRow out = message_from_row(s);
  PARLEY_RETURN_IF_ERROR(complete_message(c, out));
  return out;
}

bool visible_to(const MessageRow& row, const MemberRecord* member) {
  if (member == nullptr || row.record.seq < member->joined_seq) return false;
  return !row.only_for || *row.only_for == member->user.id;
}

// The message when `viewer_id` may see it (a member since before it was sent,
// and not hidden from them); NOT_FOUND otherwise.
Result<std::pair<MessageRow, ConversationRecord>> load_visible_message(Connection& c, const std::string& viewer_id,
                                                                      const std::string& id) {
  auto row = load_message_row(c, id);
  if (!row.ok()) return row.status();
  auto conv = load_conversation(c, row->record.conversation_id);
  if (!conv.ok()) return conv.status();
  if (!visible_to(*row, find_member(*conv, viewer_id))) {
    return Status::not_found("no such message").with_field("messageId");
  }
  return std::make_pair(std::move(*row), std::move(*conv));
}

// Appends an event to the log inside the current transaction. A
// conversation event (`conversation_id` set) is stored once: its members see
// it through their membership periods (member_periods), and `recipients`
// (the members now) is only who gets it live. A personal event gets a row per
// recipient. Returns the event's position (0 when it had no recipient).
Result<std::int64_t> append_event(Connection& c, Events& events, std::string type, std::string payload,
                                  std::vector<std::string> recipients, std::int64_t now_ms,
                                  const std::string* conversation_id = nullptr) {
  if (recipients.empty()) return std::int64_t{0};
  std::sort(recipients.begin(), recipients.end());
  recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO events(type, payload, created_at, conversation_id) "
                                            "VALUES(?, ?, ?, ?)"));
  s.bind_all(type, payload, now_ms);
  if (conversation_id) s.bind(4, *conversation_id); else s.bind(4, std::optional<std::int64_t>());
  PARLEY_RETURN_IF_ERROR(s.run());
  std::int64_t pos = c.last_insert_rowid();
  if (!conversation_id) for (const auto& user : recipients) {
    // A cached statement resets when the borrowed handle goes out of scope.
    PARLEY_ASSIGN_OR_RETURN(auto r, c.prepare("INSERT INTO event_recipients(user_id, pos) VALUES(?, ?)"));
    r.bind_all(user, pos);
    PARLEY_RETURN_IF_ERROR(r.run());
  }
  events.push_back(EventRecord{pos, std::move(type), std::move(payload), std::move(recipients)});
  return pos;
}

// A personal event (one row per recipient), when its position is not needed.
Status append_personal(Connection& c, Events& events, std::string type, std::string payload,
                       std::vector<std::string> recipients, std::int64_t now_ms) {
  return append_event(c, events, std::move(type), std::move(payload), std::move(recipients), now_ms).status();
}

// A conversation event: to its members, stored once.
Result<std::int64_t> append_conversation_event(Connection& c, Events& events, std::string type, std::string payload,
                                               std::vector<std::string> members, std::int64_t now_ms,
                                               const std::string& conversation_id) {
  return append_event(c, events, std::move(type), std::move(payload), std::move(members), now_ms, &conversation_id);
}

// Membership periods decide which conversation events a user's replay holds.
Status open_period(Connection& c, const std::string& conversation_id, const std::string& user_id,
                   std::int64_t from_pos) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT OR REPLACE INTO member_periods(user_id, conversation_id, "
                                            "from_pos, to_pos) VALUES(?, ?, ?, NULL)"));
  s.bind_all(user_id, conversation_id, from_pos);
  return s.run();
}

// An event about a message: a conversation event, or personal to the sender
// for a message hidden from a blocker.
Status append_message_event(Connection& c, Events& events, std::string type, std::string payload,
                            const MessageRow& row, const ConversationRecord& conv, std::int64_t now_ms) {
  if (row.only_for) return append_personal(c, events, std::move(type), std::move(payload), {*row.only_for}, now_ms);
  return append_conversation_event(c, events, std::move(type), std::move(payload), member_ids(conv), now_ms, conv.id)
      .status();
}

Status close_period(Connection& c, const std::string& conversation_id, const std::string& user_id,
                    std::int64_t to_pos) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE member_periods SET to_pos = ? WHERE user_id = ? AND "
                                            "conversation_id = ? AND to_pos IS NULL"));
  s.bind_all(to_pos, user_id, conversation_id);
  return s.run();
}

// Inserts a message at the conversation's next seq and indexes it for search.
Status insert_message(Connection& c, MessageRecord& m, const std::vector<std::string>& mention_ids,
                      const std::vector<std::string>& action_user_ids, const std::optional<std::string>& only_for) {
  {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE conversations SET last_seq = last_seq + 1, "
                                              "last_activity_at = MAX(last_activity_at, ?) WHERE id = ? "
                                              "RETURNING last_seq"));
    s.bind_all(m.created_at_ms, m.conversation_id);
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) return Status::not_found("no such conversation").with_field("conversationId");
    m.seq = s.int64(0);
  }
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO messages(id, conversation_id, seq, sender_id, client_id, "
                                            "kind, body, reply_to_id, mentions, action, action_users, action_title, "
                                            "only_for, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s.bind_all(m.id, m.conversation_id, m.seq, m.sender.id);
  if (m.client_id) s.bind(5, *m.client_id); else s.bind(5, std::optional<std::int64_t>());
  s.bind(6, m.kind == MessageKind::Text ? "TEXT" : "SYSTEM");
  s.bind(7, m.body);
  if (m.reply_to_id) s.bind(8, *m.reply_to_id); else s.bind(8, std::optional<std::int64_t>());
  s.bind(9, join_ids(mention_ids));
  if (m.kind == MessageKind::Call) {
    s.bind(10, kCallAction);
  } else if (m.action) {
    s.bind(10, membership_action_name(*m.action));
  } else {
    s.bind(10, std::optional<std::int64_t>());
  }
  s.bind(11, join_ids(action_user_ids));
  s.bind(12, m.kind == MessageKind::Call && m.call ? encode_call(*m.call) : m.action_title);
  if (only_for) s.bind(13, *only_for); else s.bind(13, std::optional<std::int64_t>());
  s.bind(14, m.created_at_ms);
  // Not indexed here: index_pending() adds new messages to the search index
  // in bulk (FTS5 inserts cost a fifth of a send one by one).
  return s.run();
}

// The highest messages.row already in the search index.
Result<std::int64_t> indexed_row(Connection& c) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT indexed_row FROM search_progress WHERE id = 1"));
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  return row ? s.int64(0) : 0;
}

// Adds every message not yet indexed to the search index, in one statement.
Status index_pending(Connection& c) {
  PARLEY_ASSIGN_OR_RETURN(std::int64_t done, indexed_row(c));
  {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO message_search(rowid, body) SELECT row, body FROM messages "
                                              "WHERE row > ? AND kind = 'TEXT' AND deleted_at IS NULL"));
    s.bind_all(done);
    PARLEY_RETURN_IF_ERROR(s.run());
  }
  PARLEY_ASSIGN_OR_RETURN(auto u, c.prepare("UPDATE search_progress SET indexed_row = (SELECT COALESCE(MAX(row), ?) "
                                            "FROM messages) WHERE id = 1"));
  u.bind_all(done);
  return u.run();
}

// Removes a message's text from the search index (before its body changes);
// nothing to do while it waits for index_pending().
Status unindex_message(Connection& c, const std::string& id) {
  PARLEY_ASSIGN_OR_RETURN(std::int64_t done, indexed_row(c));
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT row, body FROM messages WHERE id = ? AND kind = 'TEXT'"));
  s.bind_all(id);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row || s.int64(0) > done) return Status::ok();
  std::int64_t rowid = s.int64(0);
  std::string body = s.text(1);
  PARLEY_ASSIGN_OR_RETURN(auto d, c.prepare("INSERT INTO message_search(message_search, rowid, body) "
                                            "VALUES('delete', ?, ?)"));
  d.bind_all(rowid, body);
  return d.run();
}

// Re-indexes an edited message if it was indexed before.
Status index_message(Connection& c, const std::string& id) {
  PARLEY_ASSIGN_OR_RETURN(std::int64_t done, indexed_row(c));
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO message_search(rowid, body) SELECT row, body FROM messages "
                                            "WHERE id = ? AND kind = 'TEXT' AND row <= ?"));
  s.bind_all(id, done);
  return s.run();
}

// A system message recording a membership change, at the next seq.
Result<MessageRecord> insert_system_message(Connection& c, const std::string& id, const std::string& conversation_id,
                                            const UserSummary& actor, MembershipAction action,
                                            const std::vector<UserSummary>& users, const std::string& title,
                                            std::int64_t now_ms) {
  MessageRecord m;
  m.id = id;
  m.conversation_id = conversation_id;
  m.sender = actor;
  m.kind = MessageKind::System;
  m.action = action;
  m.action_users = users;
  m.action_title = title;
  m.created_at_ms = now_ms;
  std::vector<std::string> ids;
  for (const auto& u : users) ids.push_back(u.id);
  PARLEY_RETURN_IF_ERROR(insert_message(c, m, {}, ids, std::nullopt));
  return m;
}

Status insert_member(Connection& c, const std::string& conversation_id, const std::string& user_id, MemberRole role,
                     std::int64_t now_ms, std::int64_t joined_seq) {
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO members(conversation_id, user_id, role, joined_at, "
                                            "joined_seq, read_seq, delivered_seq) VALUES(?, ?, ?, ?, ?, ?, ?)"));
  s.bind_all(conversation_id, user_id, member_role_name(role), now_ms, joined_seq, joined_seq - 1, joined_seq - 1);
  Status st = s.run();
  if (st.code() == base::Code::NotFound) return Status::not_found("no such user").with_field("userIds");
  return st;
}

}  // namespace

// ---------------------------------------------------------------- SqliteChat

template <typename T>
StoreTask<T> SqliteChat::write_events(std::function<Result<T>(Connection&, const ChatRenderer&, Events&)> fn) {
  auto completion = std::make_shared<base::Completion<Result<T>>>();
  auto slot = std::make_shared<std::optional<Result<T>>>();
  auto events = std::make_shared<Events>();
  std::shared_ptr<const ChatRenderer> renderer = renderer_;
  if (!renderer) co_return Status::internal("chat store has no renderer");
  db_.submit_write(Database::WriteOp{
      [fn = std::move(fn), slot, events, renderer](Connection& c) {
        events->clear();
        slot->emplace(fn(c, *renderer, *events));
        return (*slot)->status();
      },
      [this, completion, slot, events](Status st) {
        if (st.is_ok() && slot->has_value()) {
          // Committed: hand the events over in log order, then answer.
          if (!events->empty()) {
            std::lock_guard lock(sink_mutex_);
            if (sink_) sink_(*events);
          }
          completion->complete(std::move(**slot));
        } else {
          completion->complete(st.is_ok() ? Status::internal("write produced no result") : std::move(st));
        }
      }});
  co_return co_await *completion;
}

// ---- users and contacts

StoreTask<std::vector<UserMatch>> SqliteChat::search_users(std::string viewer_id, std::string query, int limit) {
  return db_.read<std::vector<UserMatch>>([viewer_id, query, limit](Connection& c) -> Result<std::vector<UserMatch>> {
    std::string pattern;
    for (char ch : query) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    pattern += '%';
    PARLEY_ASSIGN_OR_RETURN(
        auto s, c.prepare("SELECT u.id, u.display_name, EXISTS(SELECT 1 FROM contacts k WHERE k.user_id = ?1 AND "
                          "k.contact_id = u.id) AS contact FROM users u WHERE (u.email = ?2 OR u.display_name LIKE ?3 "
                          "ESCAPE '\\') AND u.id <> ?1 AND NOT EXISTS(SELECT 1 FROM blocks b WHERE b.blocker_id = "
                          "u.id AND b.blocked_id = ?1) ORDER BY contact DESC, u.display_name COLLATE NOCASE, u.id "
                          "LIMIT ?4"));
    s.bind_all(viewer_id, query, pattern, limit);
    return all_rows<UserMatch>(s, [](const Statement& st) {
      return UserMatch{UserSummary{st.text(0), st.text(1)}, st.int64(2) != 0};
    });
  });
}

StoreTask<UserSummary> SqliteChat::get_user(std::string id) {
  return db_.read<UserSummary>([id](Connection& c) { return load_user(c, id); });
}

StoreTask<Relation> SqliteChat::relation(std::string viewer_id, std::string other_id) {
  return db_.read<Relation>([viewer_id, other_id](Connection& c) -> Result<Relation> {
    Relation r;
    PARLEY_ASSIGN_OR_RETURN(r.contact, are_contacts(c, viewer_id, other_id));
    PARLEY_ASSIGN_OR_RETURN(r.viewer_blocked_other, blocks(c, viewer_id, other_id));
    PARLEY_ASSIGN_OR_RETURN(r.other_blocked_viewer, blocks(c, other_id, viewer_id));
    PARLEY_ASSIGN_OR_RETURN(auto out, pending_request(c, viewer_id, other_id));
    if (out) {
      r.pending = std::move(out);
    } else {
      PARLEY_ASSIGN_OR_RETURN(auto in, pending_request(c, other_id, viewer_id));
      if (in && !in->hidden) r.pending = std::move(in);
    }
    return r;
  });
}

StoreTask<std::vector<UserSummary>> SqliteChat::contacts(std::string user_id) {
  return db_.read<std::vector<UserSummary>>([user_id](Connection& c) -> Result<std::vector<UserSummary>> {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT u.id, u.display_name FROM contacts k JOIN users u ON u.id = "
                                              "k.contact_id WHERE k.user_id = ? ORDER BY u.display_name COLLATE "
                                              "NOCASE, u.id"));
    s.bind_all(user_id);
    return all_rows<UserSummary>(s, [](const Statement& st) { return UserSummary{st.text(0), st.text(1)}; });
  });
}

StoreTask<std::vector<UserSummary>> SqliteChat::blocked_users(std::string user_id) {
  return db_.read<std::vector<UserSummary>>([user_id](Connection& c) -> Result<std::vector<UserSummary>> {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT u.id, u.display_name FROM blocks b JOIN users u ON u.id = "
                                              "b.blocked_id WHERE b.blocker_id = ? ORDER BY u.display_name COLLATE "
                                              "NOCASE, u.id"));
    s.bind_all(user_id);
    return all_rows<UserSummary>(s, [](const Statement& st) { return UserSummary{st.text(0), st.text(1)}; });
  });
}

StoreTask<std::vector<ContactRequestRecord>> SqliteChat::pending_requests(std::string user_id) {
  return db_.read<std::vector<ContactRequestRecord>>(
      [user_id](Connection& c) -> Result<std::vector<ContactRequestRecord>> {
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_REQUEST_COLUMNS
                                                  "WHERE r.status = 'PENDING' AND (r.from_id = ?1 OR (r.to_id = ?1 "
                                                  "AND r.hidden = 0)) ORDER BY r.created_at DESC, r.id DESC"));
        s.bind_all(user_id);
        return all_rows<ContactRequestRecord>(s, request_from_row);
      });
}

StoreTask<ContactRequestRecord> SqliteChat::request_contact(std::string request_id, std::string from_id,
                                                            std::string to_id, std::string note,
                                                            std::int64_t now_ms) {
  return write_events<ContactRequestRecord>([=](Connection& c, const ChatRenderer& render,
                                                Events& events) -> Result<ContactRequestRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto from, load_user(c, from_id));
    PARLEY_ASSIGN_OR_RETURN(auto to, load_user(c, to_id));
    PARLEY_ASSIGN_OR_RETURN(bool contact, are_contacts(c, from_id, to_id));
    if (contact) return Status::conflict("already a contact").with_field("userId");
    PARLEY_ASSIGN_OR_RETURN(bool i_blocked, blocks(c, from_id, to_id));
    if (i_blocked) return Status::conflict("unblock this user first").with_field("userId");
    PARLEY_ASSIGN_OR_RETURN(auto mine, pending_request(c, from_id, to_id));
    if (mine) return Status::conflict("a request to this user is already pending").with_field("userId");
    PARLEY_ASSIGN_OR_RETURN(bool blocked_me, blocks(c, to_id, from_id));
    PARLEY_ASSIGN_OR_RETURN(auto theirs, pending_request(c, to_id, from_id));
    if (theirs && !blocked_me) {
      // They asked first: asking back accepts.
      PARLEY_RETURN_IF_ERROR(set_request_status(c, theirs->id, RequestStatus::Accepted, now_ms));
      PARLEY_RETURN_IF_ERROR(add_contact_pair(c, from_id, to_id, now_ms));
      theirs->status = RequestStatus::Accepted;
      theirs->responded_at_ms = now_ms;
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactRequestEvent", render.contact_request_event(*theirs),
                                          {from_id, to_id}, now_ms));
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactEvent", render.contact_event(from, to, true),
                                          {from_id, to_id}, now_ms));
      return *theirs;
    }
    ContactRequestRecord r;
    r.id = request_id;
    r.from = from;
    r.to = to;
    r.note = note;
    r.hidden = blocked_me;
    r.created_at_ms = now_ms;
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO contact_requests(id, from_id, to_id, note, status, hidden, "
                                              "created_at) VALUES(?, ?, ?, ?, 'PENDING', ?, ?)"));
    s.bind_all(r.id, from_id, to_id, note, r.hidden ? 1 : 0, now_ms);
    PARLEY_RETURN_IF_ERROR(s.run());
    std::vector<std::string> audience{from_id};
    if (!r.hidden) audience.push_back(to_id);
    PARLEY_RETURN_IF_ERROR(
        append_personal(c, events, "ContactRequestEvent", render.contact_request_event(r), audience, now_ms));
    return r;
  });
}

StoreTask<ContactRequestRecord> SqliteChat::respond_contact(std::string request_id, std::string responder_id,
                                                            bool accept, std::int64_t now_ms) {
  return write_events<ContactRequestRecord>([=](Connection& c, const ChatRenderer& render,
                                                Events& events) -> Result<ContactRequestRecord> {
    auto r = request_by_id(c, request_id);
    if (!r.ok() || r->to.id != responder_id || r->hidden || r->status != RequestStatus::Pending) {
      return Status::not_found("no such contact request").with_field("requestId");
    }
    r->status = accept ? RequestStatus::Accepted : RequestStatus::Declined;
    r->responded_at_ms = now_ms;
    PARLEY_RETURN_IF_ERROR(set_request_status(c, r->id, r->status, now_ms));
    PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactRequestEvent", render.contact_request_event(*r),
                                        {r->from.id, r->to.id}, now_ms));
    if (accept) {
      PARLEY_RETURN_IF_ERROR(add_contact_pair(c, r->from.id, r->to.id, now_ms));
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactEvent", render.contact_event(r->from, r->to, true),
                                          {r->from.id, r->to.id}, now_ms));
    }
    return *r;
  });
}

StoreTask<ContactRequestRecord> SqliteChat::cancel_contact_request(std::string request_id, std::string sender_id,
                                                                   std::int64_t now_ms) {
  return write_events<ContactRequestRecord>([=](Connection& c, const ChatRenderer& render,
                                                Events& events) -> Result<ContactRequestRecord> {
    auto r = request_by_id(c, request_id);
    if (!r.ok() || r->from.id != sender_id || r->status != RequestStatus::Pending) {
      return Status::not_found("no such contact request").with_field("requestId");
    }
    r->status = RequestStatus::Cancelled;
    r->responded_at_ms = now_ms;
    PARLEY_RETURN_IF_ERROR(set_request_status(c, r->id, r->status, now_ms));
    std::vector<std::string> audience{r->from.id};
    if (!r->hidden) audience.push_back(r->to.id);
    PARLEY_RETURN_IF_ERROR(
        append_personal(c, events, "ContactRequestEvent", render.contact_request_event(*r), audience, now_ms));
    return *r;
  });
}

StoreTask<bool> SqliteChat::remove_contact(std::string user_id, std::string other_id, std::int64_t now_ms) {
  return write_events<bool>([=](Connection& c, const ChatRenderer& render, Events& events) -> Result<bool> {
    PARLEY_ASSIGN_OR_RETURN(bool contact, are_contacts(c, user_id, other_id));
    if (!contact) return Status::not_found("not a contact").with_field("userId");
    PARLEY_ASSIGN_OR_RETURN(auto user, load_user(c, user_id));
    PARLEY_ASSIGN_OR_RETURN(auto other, load_user(c, other_id));
    PARLEY_RETURN_IF_ERROR(remove_contact_pair(c, user_id, other_id));
    PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactEvent", render.contact_event(user, other, false),
                                        {user_id, other_id}, now_ms));
    return true;
  });
}

StoreTask<bool> SqliteChat::block(std::string user_id, std::string other_id, std::int64_t now_ms) {
  return write_events<bool>([=](Connection& c, const ChatRenderer& render, Events& events) -> Result<bool> {
    PARLEY_ASSIGN_OR_RETURN(auto user, load_user(c, user_id));
    PARLEY_ASSIGN_OR_RETURN(auto other, load_user(c, other_id));
    PARLEY_ASSIGN_OR_RETURN(bool already, blocks(c, user_id, other_id));
    if (already) return true;
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO blocks(blocker_id, blocked_id, created_at) VALUES(?,?,?)"));
    s.bind_all(user_id, other_id, now_ms);
    PARLEY_RETURN_IF_ERROR(s.run());
    // The contact ends; the other side sees only that (as after a removal).
    PARLEY_ASSIGN_OR_RETURN(bool contact, are_contacts(c, user_id, other_id));
    if (contact) {
      PARLEY_RETURN_IF_ERROR(remove_contact_pair(c, user_id, other_id));
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactEvent", render.contact_event(user, other, false),
                                          {user_id, other_id}, now_ms));
    }
    // Pending requests both ways are withdrawn. One from the blocked user
    // stays pending in their eyes (it is hidden from the blocker from now on).
    PARLEY_ASSIGN_OR_RETURN(auto mine, pending_request(c, user_id, other_id));
    if (mine) {
      PARLEY_RETURN_IF_ERROR(set_request_status(c, mine->id, RequestStatus::Cancelled, now_ms));
      mine->status = RequestStatus::Cancelled;
      mine->responded_at_ms = now_ms;
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactRequestEvent", render.contact_request_event(*mine),
                                          {user_id, other_id}, now_ms));
    }
    PARLEY_ASSIGN_OR_RETURN(auto theirs, pending_request(c, other_id, user_id));
    if (theirs && !theirs->hidden) {
      PARLEY_ASSIGN_OR_RETURN(auto h, c.prepare("UPDATE contact_requests SET hidden = 1 WHERE id = ?"));
      h.bind_all(theirs->id);
      PARLEY_RETURN_IF_ERROR(h.run());
      theirs->status = RequestStatus::Cancelled;  // as the blocker's devices see it: gone
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "ContactRequestEvent", render.contact_request_event(*theirs),
                                          {user_id}, now_ms));
    }
    PARLEY_RETURN_IF_ERROR(
        append_personal(c, events, "BlockEvent", render.block_event(user, other, true), {user_id}, now_ms));
    return true;
  });
}

StoreTask<bool> SqliteChat::unblock(std::string user_id, std::string other_id, std::int64_t now_ms) {
  return write_events<bool>([=](Connection& c, const ChatRenderer& render, Events& events) -> Result<bool> {
    PARLEY_ASSIGN_OR_RETURN(auto user, load_user(c, user_id));
    PARLEY_ASSIGN_OR_RETURN(auto other, load_user(c, other_id));
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?"));
    s.bind_all(user_id, other_id);
    PARLEY_RETURN_IF_ERROR(s.run());
    if (c.changes() == 0) return true;
    PARLEY_RETURN_IF_ERROR(
        append_personal(c, events, "BlockEvent", render.block_event(user, other, false), {user_id}, now_ms));
    return true;
  });
}

// ---- conversations

StoreTask<ConversationRecord> SqliteChat::direct_conversation(std::string new_id, std::string user_id,
                                                              std::string other_id, std::int64_t now_ms) {
  return write_events<ConversationRecord>([=](Connection& c, const ChatRenderer& render,
                                              Events& events) -> Result<ConversationRecord> {
    if (user_id == other_id) return Status::bad_request("a direct conversation needs another user").with_field("userId");
    PARLEY_ASSIGN_OR_RETURN(auto user, load_user(c, user_id));
    PARLEY_ASSIGN_OR_RETURN(auto other, load_user(c, other_id));
    std::string key = direct_key(user_id, other_id);
    {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id FROM conversations WHERE direct_key = ?"));
      s.bind_all(key);
      PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
      if (row) return load_conversation(c, s.text(0));
    }
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO conversations(id, kind, title, direct_key, created_by, "
                                              "created_at, last_seq, last_activity_at) VALUES(?, 'DIRECT', '', ?, ?, "
                                              "?, 0, ?)"));
    s.bind_all(new_id, key, user_id, now_ms, now_ms);
    PARLEY_RETURN_IF_ERROR(s.run());
    PARLEY_RETURN_IF_ERROR(insert_member(c, new_id, user_id, MemberRole::Member, now_ms, 1));
    PARLEY_RETURN_IF_ERROR(insert_member(c, new_id, other_id, MemberRole::Member, now_ms, 1));
    PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation(c, new_id));
    // The other side hears of it with its first message, not before.
    PARLEY_ASSIGN_OR_RETURN(std::int64_t pos,
                            append_event(c, events, "MembershipEvent",
                                         render.membership_event(conv, MembershipAction::Created, user,
                                                                 {user, other}, nullptr),
                                         {user_id}, now_ms));
    PARLEY_RETURN_IF_ERROR(open_period(c, new_id, user_id, pos));
    PARLEY_RETURN_IF_ERROR(open_period(c, new_id, other_id, pos));
    return conv;
  });
}

StoreTask<ConversationRecord> SqliteChat::create_group(NewGroup group) {
  return write_events<ConversationRecord>([group = std::move(group)](Connection& c, const ChatRenderer& render,
                                                                     Events& events) -> Result<ConversationRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto creator, load_user(c, group.creator_id));
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT INTO conversations(id, kind, title, direct_key, created_by, "
                                              "created_at, last_seq, last_activity_at) VALUES(?, 'GROUP', ?, NULL, ?, "
                                              "?, 0, ?)"));
    s.bind_all(group.id, group.title, group.creator_id, group.now_ms, group.now_ms);
    PARLEY_RETURN_IF_ERROR(s.run());
    PARLEY_RETURN_IF_ERROR(insert_member(c, group.id, group.creator_id, MemberRole::Owner, group.now_ms, 1));
    std::vector<UserSummary> added;
    for (const auto& id : group.member_ids) {
      if (id == group.creator_id) continue;
      PARLEY_ASSIGN_OR_RETURN(auto u, load_user(c, id));
      if (std::any_of(added.begin(), added.end(), [&](const UserSummary& a) { return a.id == id; })) continue;
      PARLEY_RETURN_IF_ERROR(insert_member(c, group.id, id, MemberRole::Member, group.now_ms, 1));
      added.push_back(std::move(u));
    }
    PARLEY_ASSIGN_OR_RETURN(auto system, insert_system_message(c, group.system_message_id, group.id, creator,
                                                               MembershipAction::Created, added, group.title,
                                                               group.now_ms));
    PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation(c, group.id));
    PARLEY_ASSIGN_OR_RETURN(
        std::int64_t pos,
        append_conversation_event(c, events, "MembershipEvent",
                                  render.membership_event(conv, MembershipAction::Created, creator, added, &system),
                                  member_ids(conv), group.now_ms, group.id));
    for (const auto& m : conv.members) PARLEY_RETURN_IF_ERROR(open_period(c, group.id, m.user.id, pos));
    return conv;
  });
}

namespace {

// The viewer's last visible message and unread count.
Status fill_viewer_fields(Connection& c, ConversationRecord& conv, const std::string& viewer_id) {
  const MemberRecord* me = find_member(conv, viewer_id);
  if (me == nullptr) return Status::ok();
  {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT " PARLEY_MESSAGE_COLUMNS
                                              "WHERE m.conversation_id = ?1 AND m.seq >= ?2 AND (m.only_for IS NULL "
                                              "OR m.only_for = ?3) ORDER BY m.seq DESC LIMIT 1"));
    s.bind_all(conv.id, me->joined_seq, viewer_id);
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    if (row) {
      MessageRow last = message_from_row(s);
      PARLEY_RETURN_IF_ERROR(complete_message(c, last));
      conv.last_message = std::move(last.record);
    }
  }
  PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT COUNT(*) FROM messages m WHERE m.conversation_id = ?1 AND "
                                            "m.seq > ?2 AND m.seq >= ?3 AND m.sender_id <> ?4 AND m.kind = 'TEXT' AND "
                                            "m.deleted_at IS NULL AND (m.only_for IS NULL OR m.only_for = ?4)"));
  s.bind_all(conv.id, me->read_seq, me->joined_seq, viewer_id);
  PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
  conv.unread_count = row ? s.int64(0) : 0;
  return Status::ok();
}

}  // namespace

StoreTask<ConversationRecord> SqliteChat::conversation(std::string viewer_id, std::string conversation_id) {
  return db_.read<ConversationRecord>([viewer_id, conversation_id](Connection& c) -> Result<ConversationRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation_for(c, viewer_id, conversation_id));
    PARLEY_RETURN_IF_ERROR(fill_viewer_fields(c, conv, viewer_id));
    return conv;
  });
}

StoreTask<std::vector<ConversationRecord>> SqliteChat::conversations(std::string viewer_id) {
  return db_.read<std::vector<ConversationRecord>>([viewer_id](Connection& c) -> Result<std::vector<ConversationRecord>> {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT c.id FROM members m JOIN conversations c ON c.id = "
                                              "m.conversation_id WHERE m.user_id = ? ORDER BY c.last_activity_at DESC, "
                                              "c.id DESC"));
    s.bind_all(viewer_id);
    PARLEY_ASSIGN_OR_RETURN(auto ids, all_rows<std::string>(s, [](const Statement& st) { return st.text(0); }));
    std::vector<ConversationRecord> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {
      PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation(c, id));
      PARLEY_RETURN_IF_ERROR(fill_viewer_fields(c, conv, viewer_id));
      // A direct conversation appears for the other side once it has a message they may see.
      if (conv.kind == ConversationKind::Direct && conv.created_by != viewer_id && !conv.last_message) continue;
      out.push_back(std::move(conv));
    }
    return out;
  });
}

StoreTask<ConversationRecord> SqliteChat::change_membership(MembershipChange ch) {
  return write_events<ConversationRecord>([ch = std::move(ch)](Connection& c, const ChatRenderer& render,
                                                               Events& events) -> Result<ConversationRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation_for(c, ch.actor_id, ch.conversation_id));
    if (conv.kind == ConversationKind::Direct) {
      return Status::conflict("direct conversations have exactly two members and no title")
          .with_field("conversationId");
    }
    const MemberRecord actor = *find_member(conv, ch.actor_id);
    const bool manager = actor.role == MemberRole::Owner || actor.role == MemberRole::Admin;
    std::vector<std::string> audience = member_ids(conv);  // before the change: the removed hear of it too
    std::vector<UserSummary> users;
    std::string title;

    auto set_role = [&](const std::string& user_id, MemberRole role) -> Status {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE members SET role = ? WHERE conversation_id = ? AND "
                                                "user_id = ?"));
      s.bind_all(member_role_name(role), conv.id, user_id);
      return s.run();
    };
    auto remove = [&](const std::string& user_id) -> Status {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("DELETE FROM members WHERE conversation_id = ? AND user_id = ?"));
      s.bind_all(conv.id, user_id);
      return s.run();
    };

    switch (ch.action) {
      case MembershipAction::Added: {
        if (!manager) return Status::forbidden("only owners and admins add members");
        std::size_t count = conv.members.size();
        for (const auto& id : ch.user_ids) {
          if (find_member(conv, id) != nullptr) continue;
          if (std::any_of(users.begin(), users.end(), [&](const UserSummary& u) { return u.id == id; })) continue;
          PARLEY_ASSIGN_OR_RETURN(auto u, load_user(c, id));
          if (static_cast<int>(++count) > ch.max_members) {
            return Status::conflict("a group has at most " + std::to_string(ch.max_members) + " members")
                .with_field("userIds");
          }
          // New members see the conversation from the system message on.
          PARLEY_RETURN_IF_ERROR(insert_member(c, conv.id, id, MemberRole::Member, ch.now_ms, conv.last_seq + 1));
          users.push_back(std::move(u));
          audience.push_back(id);
        }
        if (users.empty()) return load_conversation(c, conv.id);  // nothing to do
        break;
      }
      case MembershipAction::Removed: {
        for (const auto& id : ch.user_ids) {
          const MemberRecord* target = find_member(conv, id);
          if (target == nullptr) return Status::not_found("not a member").with_field("userId");
          if (id == ch.actor_id) return Status::bad_request("use leaveConversation to leave").with_field("userId");
          const bool allowed = actor.role == MemberRole::Owner ||
                               (actor.role == MemberRole::Admin && target->role == MemberRole::Member);
          if (!allowed) return Status::forbidden("your role does not allow removing this member");
          PARLEY_RETURN_IF_ERROR(remove(id));
          users.push_back(target->user);
        }
        break;
      }
      case MembershipAction::Left: {
        PARLEY_RETURN_IF_ERROR(remove(ch.actor_id));
        users.push_back(actor.user);
        if (actor.role == MemberRole::Owner) {
          // Hand ownership on: the longest-standing admin, else the longest-standing member.
          const MemberRecord* heir = nullptr;
          for (const auto& m : conv.members) {
            if (m.user.id == ch.actor_id) continue;
            if (heir == nullptr || (m.role == MemberRole::Admin && heir->role != MemberRole::Admin)) heir = &m;
          }
          if (heir != nullptr) PARLEY_RETURN_IF_ERROR(set_role(heir->user.id, MemberRole::Owner));
        }
        break;
      }
      case MembershipAction::Renamed: {
        if (!manager) return Status::forbidden("only owners and admins rename the group");
        PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE conversations SET title = ? WHERE id = ?"));
        s.bind_all(ch.title, conv.id);
        PARLEY_RETURN_IF_ERROR(s.run());
        title = ch.title;
        break;
      }
      case MembershipAction::RoleChanged: {
        if (ch.user_ids.size() != 1) return Status::bad_request("name one member").with_field("userId");
        const MemberRecord* target = find_member(conv, ch.user_ids[0]);
        if (target == nullptr) return Status::not_found("not a member").with_field("userId");
        if (ch.role == MemberRole::Owner) return Status::bad_request("use transferOwnership").with_field("role");
        const bool allowed = actor.role == MemberRole::Owner ||
                             (actor.role == MemberRole::Admin && target->role == MemberRole::Member);
        if (!allowed || target->role == MemberRole::Owner) {
          return Status::forbidden("your role does not allow changing this member's role");
        }
        if (target->role == ch.role) return load_conversation(c, conv.id);
        PARLEY_RETURN_IF_ERROR(set_role(target->user.id, ch.role));
        users.push_back(target->user);
        title = std::string(member_role_name(ch.role));
        break;
      }
      case MembershipAction::OwnershipTransferred: {
        if (actor.role != MemberRole::Owner) return Status::forbidden("only the owner transfers ownership");
        if (ch.user_ids.size() != 1) return Status::bad_request("name one member").with_field("userId");
        const MemberRecord* target = find_member(conv, ch.user_ids[0]);
        if (target == nullptr) return Status::not_found("not a member").with_field("userId");
        if (target->user.id == ch.actor_id) return load_conversation(c, conv.id);
        PARLEY_RETURN_IF_ERROR(set_role(target->user.id, MemberRole::Owner));
        PARLEY_RETURN_IF_ERROR(set_role(ch.actor_id, MemberRole::Admin));
        users.push_back(target->user);
        break;
      }
      case MembershipAction::Created:
        return Status::bad_request("use create_group");
    }
    PARLEY_ASSIGN_OR_RETURN(auto system, insert_system_message(c, ch.system_message_id, conv.id, actor.user,
                                                               ch.action, users, title, ch.now_ms));
    PARLEY_ASSIGN_OR_RETURN(auto after, load_conversation(c, conv.id));
    if (after.members.empty()) {
      // The last member left: nothing remains that anyone could see.
      PARLEY_ASSIGN_OR_RETURN(std::int64_t indexed, indexed_row(c));
      PARLEY_ASSIGN_OR_RETURN(auto u, c.prepare("INSERT INTO message_search(message_search, rowid, body) SELECT "
                                                "'delete', row, body FROM messages WHERE conversation_id = ? AND "
                                                "kind = 'TEXT' AND deleted_at IS NULL AND row <= ?"));
      u.bind_all(conv.id, indexed);
      PARLEY_RETURN_IF_ERROR(u.run());
      PARLEY_ASSIGN_OR_RETURN(auto d, c.prepare("DELETE FROM conversations WHERE id = ?"));
      d.bind_all(conv.id);
      PARLEY_RETURN_IF_ERROR(d.run());
    }
    PARLEY_ASSIGN_OR_RETURN(
        std::int64_t pos,
        append_conversation_event(c, events, "MembershipEvent",
                                  render.membership_event(after, ch.action, actor.user, users, &system), audience,
                                  ch.now_ms, conv.id));
    // Who joined sees from this event on; who left sees up to it (their own leaving).
    for (const auto& u : users) {
      if (ch.action == MembershipAction::Added) PARLEY_RETURN_IF_ERROR(open_period(c, conv.id, u.id, pos));
      if (ch.action == MembershipAction::Removed || ch.action == MembershipAction::Left) {
        PARLEY_RETURN_IF_ERROR(close_period(c, conv.id, u.id, pos));
      }
    }
    return after;
  });
}

// ---- messages

StoreTask<SendResult> SqliteChat::send_message(NewMessage in) {
  // The hot path: single-row lookups instead of loading the whole
  // conversation (a group may have a thousand members).
  return write_events<SendResult>([this, in = std::move(in)](Connection& c, const ChatRenderer& render,
                                                             Events& events) -> Result<SendResult> {
    auto not_found = [] { return Status::not_found("no such conversation").with_field("conversationId"); };
    ConversationKind kind;
    {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT kind FROM conversations WHERE id = ?"));
      s.bind_all(in.conversation_id);
      PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) return not_found();
      kind = s.text(0) == "DIRECT" ? ConversationKind::Direct : ConversationKind::Group;
    }
    MemberRecord sender;
    {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT m.joined_seq, u.display_name FROM members m JOIN users u ON "
                                                "u.id = m.user_id WHERE m.conversation_id = ? AND m.user_id = ?"));
      s.bind_all(in.conversation_id, in.sender_id);
      PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) return not_found();
      sender.user = {in.sender_id, s.text(1)};
      sender.joined_seq = s.int64(0);
    }
    if (in.client_id) {
      // A retry of an earlier send returns what was stored and creates nothing.
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT id FROM messages WHERE conversation_id = ? AND sender_id = ? "
                                                "AND client_id = ?"));
      s.bind_all(in.conversation_id, in.sender_id, *in.client_id);
      PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
      if (row) {
        std::string id = s.text(0);
        PARLEY_ASSIGN_OR_RETURN(auto existing, load_message_row(c, id));
        return SendResult{std::move(existing.record), false};
      }
    }
    MessageRecord m;
    m.id = in.id;
    m.conversation_id = in.conversation_id;
    m.sender = sender.user;
    m.client_id = in.client_id;
    m.body = in.body;
    m.created_at_ms = in.now_ms;
    if (in.reply_to_id) {
      auto target = load_message_row(c, *in.reply_to_id);
      if (!target.ok() || target->record.conversation_id != in.conversation_id || !visible_to(*target, &sender)) {
        return Status::not_found("no such message to reply to").with_field("replyToId");
      }
      m.reply_to_id = in.reply_to_id;
    }
    std::vector<std::string> mention_ids;
    for (const auto& id : in.mention_ids) {
      if (std::find(mention_ids.begin(), mention_ids.end(), id) != mention_ids.end()) continue;
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT u.display_name FROM members m JOIN users u ON u.id = "
                                                "m.user_id WHERE m.conversation_id = ? AND m.user_id = ?"));
      s.bind_all(in.conversation_id, id);
      PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) return Status::bad_request("only members can be mentioned").with_field("mentionIds");
      mention_ids.push_back(id);
      m.mentions.push_back(UserSummary{id, s.text(0)});
    }
    std::vector<std::string> audience;
    {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT user_id FROM members WHERE conversation_id = ?"));
      s.bind_all(in.conversation_id);
      PARLEY_ASSIGN_OR_RETURN(audience, all_rows<std::string>(s, [](const Statement& st) { return st.text(0); }));
    }
    // A message to someone who blocked the sender stays with the sender: it
    // looks sent to them, and nobody else ever sees it.
    std::optional<std::string> only_for;
    if (kind == ConversationKind::Direct) {
      for (const auto& member : audience) {
        if (member == in.sender_id) continue;
        PARLEY_ASSIGN_OR_RETURN(bool blocked, blocks(c, member, in.sender_id));
        if (blocked) only_for = in.sender_id;
      }
    }
    if (only_for) audience = {*only_for};
    PARLEY_RETURN_IF_ERROR(insert_message(c, m, mention_ids, {}, only_for));
    // Ops run one at a time on the writer thread: a plain counter will do.
    if (++unindexed_ >= kIndexBatch) {
      PARLEY_RETURN_IF_ERROR(index_pending(c));
      unindexed_ = 0;
    }
    if (only_for) {
      PARLEY_RETURN_IF_ERROR(
          append_personal(c, events, "MessageCreatedEvent", render.message_event(m), std::move(audience), in.now_ms));
    } else {
      PARLEY_RETURN_IF_ERROR(append_conversation_event(c, events, "MessageCreatedEvent", render.message_event(m),
                                                       std::move(audience), in.now_ms, in.conversation_id)
                                 .status());
    }
    return SendResult{std::move(m), true};
  });
}

StoreTask<MessageRecord> SqliteChat::record_call(NewCallEntry in) {
  return write_events<MessageRecord>([in = std::move(in)](Connection& c, const ChatRenderer& render,
                                                          Events& events) -> Result<MessageRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation(c, in.conversation_id));
    MessageRecord m;
    m.id = in.message_id;
    m.conversation_id = in.conversation_id;
    PARLEY_ASSIGN_OR_RETURN(m.sender, load_user(c, in.caller_id));
    m.kind = MessageKind::Call;
    m.call = in.call;
    PARLEY_ASSIGN_OR_RETURN(m.action_users, load_users(c, in.participant_ids));
    m.created_at_ms = in.call.ended_at_ms;
    PARLEY_RETURN_IF_ERROR(insert_message(c, m, {}, in.participant_ids, in.only_for));
    if (in.only_for) {
      PARLEY_RETURN_IF_ERROR(append_personal(c, events, "MessageCreatedEvent", render.message_event(m), {*in.only_for},
                                             m.created_at_ms));
    } else {
      PARLEY_RETURN_IF_ERROR(append_conversation_event(c, events, "MessageCreatedEvent", render.message_event(m),
                                                       member_ids(conv), m.created_at_ms, conv.id)
                                 .status());
    }
    return m;
  });
}

StoreTask<MessageRecord> SqliteChat::edit_message(std::string user_id, std::string message_id, std::string body,
                                                  std::int64_t now_ms) {
  return write_events<MessageRecord>([=](Connection& c, const ChatRenderer& render,
                                         Events& events) -> Result<MessageRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto found, load_visible_message(c, user_id, message_id));
    auto& [row, conv] = found;
    if (row.record.sender.id != user_id || row.record.kind != MessageKind::Text || row.record.deleted_at_ms) {
      return Status::not_found("no such message of yours").with_field("id");
    }
    PARLEY_RETURN_IF_ERROR(unindex_message(c, message_id));
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE messages SET body = ?, edited_at = ? WHERE id = ?"));
    s.bind_all(body, now_ms, message_id);
    PARLEY_RETURN_IF_ERROR(s.run());
    PARLEY_RETURN_IF_ERROR(index_message(c, message_id));
    row.record.body = body;
    row.record.edited_at_ms = now_ms;
    PARLEY_RETURN_IF_ERROR(append_message_event(c, events, "MessageEditedEvent", render.message_event(row.record), row,
                                                conv, now_ms));
    return row.record;
  });
}

StoreTask<MessageRecord> SqliteChat::delete_message(std::string user_id, std::string message_id, std::int64_t now_ms) {
  return write_events<MessageRecord>([=](Connection& c, const ChatRenderer& render,
                                         Events& events) -> Result<MessageRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto found, load_visible_message(c, user_id, message_id));
    auto& [row, conv] = found;
    if (row.record.sender.id != user_id || row.record.kind != MessageKind::Text) {
      return Status::not_found("no such message of yours").with_field("id");
    }
    if (row.record.deleted_at_ms) return row.record;  // deleting twice changes nothing
    PARLEY_RETURN_IF_ERROR(unindex_message(c, message_id));
    // A tombstone: the seq stays taken, the text and reactions go.
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE messages SET body = '', mentions = '', deleted_at = ? "
                                              "WHERE id = ?"));
    s.bind_all(now_ms, message_id);
    PARLEY_RETURN_IF_ERROR(s.run());
    PARLEY_ASSIGN_OR_RETURN(auto r, c.prepare("DELETE FROM reactions WHERE message_id = ?"));
    r.bind_all(message_id);
    PARLEY_RETURN_IF_ERROR(r.run());
    row.record.body.clear();
    row.record.mentions.clear();
    row.record.reactions.clear();
    row.record.deleted_at_ms = now_ms;
    PARLEY_RETURN_IF_ERROR(append_message_event(c, events, "MessageDeletedEvent", render.message_event(row.record),
                                                row, conv, now_ms));
    return row.record;
  });
}

StoreTask<MessageRecord> SqliteChat::react(std::string user_id, std::string message_id, std::string emoji, bool add,
                                           std::int64_t now_ms) {
  return write_events<MessageRecord>([=](Connection& c, const ChatRenderer& render,
                                         Events& events) -> Result<MessageRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto found, load_visible_message(c, user_id, message_id));
    auto& [row, conv] = found;
    if (row.record.deleted_at_ms || row.record.kind != MessageKind::Text) {
      return Status::not_found("no such message").with_field("messageId");
    }
    if (add) {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("INSERT OR IGNORE INTO reactions(message_id, emoji, user_id, "
                                                "created_at) VALUES(?, ?, ?, ?)"));
      s.bind_all(message_id, emoji, user_id, now_ms);
      PARLEY_RETURN_IF_ERROR(s.run());
    } else {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND "
                                                "user_id = ?"));
      s.bind_all(message_id, emoji, user_id);
      PARLEY_RETURN_IF_ERROR(s.run());
    }
    if (c.changes() == 0) return row.record;  // already so: nothing happened
    PARLEY_ASSIGN_OR_RETURN(row.record.reactions, load_reactions(c, message_id));
    const MemberRecord* me = find_member(conv, user_id);
    PARLEY_RETURN_IF_ERROR(append_message_event(c, events, "ReactionEvent",
                                                render.reaction_event(row.record, me->user, emoji, add), row, conv,
                                                now_ms));
    return row.record;
  });
}

StoreTask<MessageRecord> SqliteChat::message(std::string viewer_id, std::string message_id) {
  return db_.read<MessageRecord>([viewer_id, message_id](Connection& c) -> Result<MessageRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto found, load_visible_message(c, viewer_id, message_id));
    return std::move(found.first.record);
  });
}

StoreTask<std::vector<MessageRecord>> SqliteChat::messages(std::string viewer_id, std::string conversation_id,
                                                           MessagePage page) {
  return db_.read<std::vector<MessageRecord>>(
      [viewer_id, conversation_id, page](Connection& c) -> Result<std::vector<MessageRecord>> {
        PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation_for(c, viewer_id, conversation_id));
        const MemberRecord* me = find_member(conv, viewer_id);
        const bool forward = page.after_seq.has_value() && !page.before_seq.has_value();
        std::int64_t low = std::max<std::int64_t>(me->joined_seq - 1, page.after_seq.value_or(0));
        std::int64_t high = page.before_seq.value_or(INT64_MAX);
        Result<Statement> s = forward ? c.prepare("SELECT " PARLEY_MESSAGE_COLUMNS
                                                  "WHERE m.conversation_id = ?1 AND m.seq > ?2 AND m.seq < ?3 AND "
                                                  "(m.only_for IS NULL OR m.only_for = ?4) ORDER BY m.seq ASC LIMIT ?5")
                                      : c.prepare("SELECT " PARLEY_MESSAGE_COLUMNS
                                                  "WHERE m.conversation_id = ?1 AND m.seq > ?2 AND m.seq < ?3 AND "
                                                  "(m.only_for IS NULL OR m.only_for = ?4) ORDER BY m.seq DESC LIMIT "
                                                  "?5");
        if (!s.ok()) return s.status();
        s->bind_all(conversation_id, low, high, viewer_id, page.limit);
        std::vector<MessageRecord> out;
        for (;;) {
          PARLEY_ASSIGN_OR_RETURN(bool row, s->step());
          if (!row) break;
          MessageRow m = message_from_row(*s);
          PARLEY_RETURN_IF_ERROR(complete_message(c, m));
          out.push_back(std::move(m.record));
        }
        // Always oldest first, whichever way the page was taken.
        if (!forward) std::reverse(out.begin(), out.end());
        return out;
      });
}

StoreTask<MemberRecord> SqliteChat::mark(std::string viewer_id, std::string conversation_id, std::int64_t read_seq,
                                         std::int64_t delivered_seq, std::int64_t now_ms) {
  return write_events<MemberRecord>([=](Connection& c, const ChatRenderer& render,
                                        Events& events) -> Result<MemberRecord> {
    PARLEY_ASSIGN_OR_RETURN(auto conv, load_conversation_for(c, viewer_id, conversation_id));
    const MemberRecord before = *find_member(conv, viewer_id);
    // Marks never pass the last message nor go back.
    std::int64_t read = std::max(before.read_seq, std::min(read_seq, conv.last_seq));
    std::int64_t delivered = std::max({before.delivered_seq, read, std::min(delivered_seq, conv.last_seq)});
    if (read == before.read_seq && delivered == before.delivered_seq) return before;
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("UPDATE members SET read_seq = ?, delivered_seq = ? WHERE "
                                              "conversation_id = ? AND user_id = ?"));
    s.bind_all(read, delivered, conversation_id, viewer_id);
    PARLEY_RETURN_IF_ERROR(s.run());
    MemberRecord after = before;
    after.read_seq = read;
    after.delivered_seq = delivered;
    PARLEY_RETURN_IF_ERROR(append_conversation_event(c, events, "ReceiptEvent",
                                                     render.receipt_event(conversation_id, before.user, read,
                                                                          delivered),
                                                     member_ids(conv), now_ms, conversation_id)
                               .status());
    return after;
  });
}

StoreTask<std::vector<MessageRecord>> SqliteChat::search_messages(std::string viewer_id, std::string query,
                                                                  int limit) {
  // Whatever was sent before the search is found by it.
  auto flush = db_.write<bool>([](Connection& c) -> Result<bool> {
    PARLEY_RETURN_IF_ERROR(index_pending(c));
    return true;
  });
  auto flushed = co_await std::move(flush);
  if (!flushed.ok()) co_return flushed.status();
  auto task = db_.read<std::vector<MessageRecord>>([viewer_id, query, limit](Connection& c)
                                                  -> Result<std::vector<MessageRecord>> {
    // Only conversations the viewer is in, only messages sent since they
    // joined, never one hidden from them; best match first.
    PARLEY_ASSIGN_OR_RETURN(
        auto s, c.prepare("SELECT " PARLEY_MESSAGE_FIELDS
                          ", snippet(message_search, 0, char(57344), char(57345), '…', 16) FROM message_search JOIN "
                          "messages m ON m.row = message_search.rowid JOIN users u ON u.id = m.sender_id JOIN members "
                          "me ON me.conversation_id = m.conversation_id AND me.user_id = ?1 WHERE message_search MATCH "
                          "?2 AND m.seq >= me.joined_seq AND m.deleted_at IS NULL AND (m.only_for IS NULL OR "
                          "m.only_for = ?1) ORDER BY rank LIMIT ?3"));
    s.bind_all(viewer_id, query, limit);
    std::vector<MessageRecord> out;
    for (;;) {
      auto row = s.step();
      if (!row.ok()) return Status::bad_request("cannot search for that").with_field("query");
      if (!*row) break;
      MessageRow m = message_from_row(s);
      m.record.snippet = s.text(17);
      PARLEY_RETURN_IF_ERROR(complete_message(c, m));
      out.push_back(std::move(m.record));
    }
    return out;
  });
  co_return co_await std::move(task);
}

// ---- event log

StoreTask<std::int64_t> SqliteChat::head() {
  return db_.read<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT COALESCE(MAX(pos), 0) FROM events"));
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    return row ? s.int64(0) : 0;
  });
}

StoreTask<std::int64_t> SqliteChat::oldest_pos() {
  return db_.read<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT COALESCE(MIN(pos), 0) FROM events"));
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    return row ? s.int64(0) : 0;
  });
}

StoreTask<std::vector<EventRecord>> SqliteChat::events_after(std::string user_id, std::int64_t after_pos, int limit) {
  return db_.read<std::vector<EventRecord>>([user_id, after_pos, limit](Connection& c)
                                                -> Result<std::vector<EventRecord>> {
    auto to_record = [&](const Statement& st) { return EventRecord{st.int64(0), st.text(1), st.text(2), {user_id}}; };
    // Personal events, then each conversation's events during the user's
    // membership there; each source yields at most `limit`, merged by position.
    std::vector<EventRecord> out;
    {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT e.pos, e.type, e.payload FROM event_recipients r JOIN events "
                                                "e ON e.pos = r.pos WHERE r.user_id = ? AND r.pos > ? ORDER BY r.pos "
                                                "LIMIT ?"));
      s.bind_all(user_id, after_pos, limit);
      PARLEY_ASSIGN_OR_RETURN(out, all_rows<EventRecord>(s, to_record));
    }
    struct Period {
      std::string conversation_id;
      std::int64_t from, to;
    };
    std::vector<Period> periods;
    {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT conversation_id, from_pos, COALESCE(to_pos, 9223372036854775807) "
                                                "FROM member_periods WHERE user_id = ? AND (to_pos IS NULL OR to_pos "
                                                "> ?)"));
      s.bind_all(user_id, after_pos);
      PARLEY_ASSIGN_OR_RETURN(periods, all_rows<Period>(s, [](const Statement& st) {
                                return Period{st.text(0), st.int64(1), st.int64(2)};
                              }));
    }
    for (const auto& p : periods) {
      PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT pos, type, payload FROM events WHERE conversation_id = ? AND "
                                                "pos > ? AND pos <= ? ORDER BY pos LIMIT ?"));
      s.bind_all(p.conversation_id, std::max(after_pos, p.from - 1), p.to, limit);
      PARLEY_ASSIGN_OR_RETURN(auto rows, all_rows<EventRecord>(s, to_record));
      for (auto& r : rows) out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const EventRecord& x, const EventRecord& y) { return x.pos < y.pos; });
    // Periods of one conversation never overlap, but be safe: one event once.
    out.erase(std::unique(out.begin(), out.end(), [](const EventRecord& x, const EventRecord& y) { return x.pos == y.pos; }),
              out.end());
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    return out;
  });
}

StoreTask<std::int64_t> SqliteChat::prune_events(std::int64_t before_ms) {
  return db_.write<std::int64_t>([before_ms](Connection& c) -> Result<std::int64_t> {
    PARLEY_ASSIGN_OR_RETURN(auto s, c.prepare("SELECT COALESCE(MAX(pos), 0) FROM events WHERE created_at < ?"));
    s.bind_all(before_ms);
    PARLEY_ASSIGN_OR_RETURN(bool row, s.step());
    std::int64_t upto = row ? s.int64(0) : 0;
    if (upto == 0) return 0;
    PARLEY_ASSIGN_OR_RETURN(auto r, c.prepare("DELETE FROM event_recipients WHERE pos <= ?"));
    r.bind_all(upto);
    PARLEY_RETURN_IF_ERROR(r.run());
    PARLEY_ASSIGN_OR_RETURN(auto p, c.prepare("DELETE FROM member_periods WHERE to_pos <= ?"));
    p.bind_all(upto);
    PARLEY_RETURN_IF_ERROR(p.run());
    PARLEY_ASSIGN_OR_RETURN(auto d, c.prepare("DELETE FROM events WHERE pos <= ?"));
    d.bind_all(upto);
    PARLEY_RETURN_IF_ERROR(d.run());
    return c.changes();
  });
}

}  // namespace sqlite
}  // namespace parley::storage
