#include "chat/values.hpp"

#include <algorithm>

#include "base/clock.hpp"

namespace parley::chat {

using graphql::Value;
using namespace storage;

Value time_value(std::int64_t ms) { return Value(base::format_rfc3339_ms(ms)); }
Value opt_time(const std::optional<std::int64_t>& ms) { return ms ? time_value(*ms) : Value(); }

Value users_value(const std::vector<UserSummary>& users) {
  Value list = Value::list();
  for (const auto& u : users) list.push(user_value(u));
  return list;
}

namespace {

}  // namespace

Value user_value(const UserSummary& user) {
  return Value::object().set("__typename", "User").set("id", user.id).set("displayName", user.display_name);
}

Value message_value(const MessageRecord& m) {
  Value reactions = Value::list();
  for (const auto& r : m.reactions) {
    reactions.push(Value::object()
                       .set("emoji", r.emoji)
                       .set("count", static_cast<std::int64_t>(r.users.size()))
                       .set("users", users_value(r.users)));
  }
  return Value::object()
      .set("__typename", "Message")
      .set("id", m.id)
      .set("conversationId", m.conversation_id)
      .set("seq", m.seq)
      .set("clientId", m.client_id ? Value(*m.client_id) : Value())
      .set("sender", user_value(m.sender))
      .set("kind", Value::enum_value(m.kind == MessageKind::System ? "SYSTEM"
                                     : m.kind == MessageKind::Call ? "CALL"
                                                                   : "TEXT"))
      .set("body", m.body)
      .set("replyToId", m.reply_to_id ? Value(*m.reply_to_id) : Value())
      .set("mentions", users_value(m.mentions))
      .set("reactions", std::move(reactions))
      .set("createdAt", time_value(m.created_at_ms))
      .set("editedAt", opt_time(m.edited_at_ms))
      .set("deleted", m.deleted_at_ms.has_value())
      .set("action", m.action ? Value::enum_value(std::string(membership_action_name(*m.action))) : Value())
      .set("actionUsers", users_value(m.action_users))
      .set("actionDetail", m.action_title.empty() ? Value() : Value(m.action_title))
      .set("call", m.call ? call_summary_value(*m.call, m.action_users) : Value());
}

Value call_summary_value(const storage::CallLogEntry& call, const std::vector<UserSummary>& participants) {
  const std::int64_t duration_ms = call.answered_at_ms ? call.ended_at_ms - *call.answered_at_ms : 0;
  return Value::object()
      .set("callId", call.call_id)
      .set("video", call.video)
      .set("result", Value::enum_value(call.result))
      .set("startedAt", time_value(call.started_at_ms))
      .set("answeredAt", opt_time(call.answered_at_ms))
      .set("endedAt", time_value(call.ended_at_ms))
      .set("durationSeconds", std::max<std::int64_t>(0, duration_ms / 1000))
      .set("participants", users_value(participants));
}

Value member_value(const MemberRecord& m) {
  return Value::object()
      .set("user", user_value(m.user))
      .set("role", Value::enum_value(std::string(member_role_name(m.role))))
      .set("joinedAt", time_value(m.joined_at_ms))
      .set("readSeq", m.read_seq)
      .set("deliveredSeq", m.delivered_seq);
}

Value conversation_value(const ConversationRecord& c) {
  Value members = Value::list();
  for (const auto& m : c.members) members.push(member_value(m));
  return Value::object()
      .set("__typename", "Conversation")
      .set("id", c.id)
      .set("kind", Value::enum_value(c.kind == ConversationKind::Direct ? "DIRECT" : "GROUP"))
      .set("title", c.title)
      .set("createdAt", time_value(c.created_at_ms))
      .set("lastActivityAt", time_value(c.last_activity_at_ms))
      .set("lastSeq", c.last_seq)
      .set("members", std::move(members));
}

Value contact_request_value(const ContactRequestRecord& r) {
  return Value::object()
      .set("__typename", "ContactRequest")
      .set("id", r.id)
      .set("from", user_value(r.from))
      .set("to", user_value(r.to))
      .set("note", r.note.empty() ? Value() : Value(r.note))
      .set("status", Value::enum_value(std::string(request_status_name(r.status))))
      .set("createdAt", time_value(r.created_at_ms))
      .set("respondedAt", opt_time(r.responded_at_ms));
}

namespace {

class ValueRenderer final : public ChatRenderer {
 public:
  std::string message_event(const MessageRecord& message) const override {
    return Value::object().set("message", message_value(message)).to_json();
  }
  std::string reaction_event(const MessageRecord& message, const UserSummary& user, const std::string& emoji,
                             bool added) const override {
    return Value::object()
        .set("message", message_value(message))
        .set("user", user_value(user))
        .set("emoji", emoji)
        .set("added", added)
        .to_json();
  }
  std::string receipt_event(const std::string& conversation_id, const UserSummary& user, std::int64_t read_seq,
                            std::int64_t delivered_seq) const override {
    return Value::object()
        .set("conversationId", conversation_id)
        .set("user", user_value(user))
        .set("readSeq", read_seq)
        .set("deliveredSeq", delivered_seq)
        .to_json();
  }
  std::string membership_event(const ConversationRecord& conversation, MembershipAction action,
                               const UserSummary& actor, const std::vector<UserSummary>& users,
                               const MessageRecord* system_message) const override {
    return Value::object()
        .set("conversation", conversation_value(conversation))
        .set("action", Value::enum_value(std::string(membership_action_name(action))))
        .set("actor", user_value(actor))
        .set("users", users_value(users))
        .set("systemMessage", system_message ? message_value(*system_message) : Value())
        .to_json();
  }
  std::string contact_request_event(const ContactRequestRecord& request) const override {
    return Value::object().set("request", contact_request_value(request)).to_json();
  }
  std::string contact_event(const UserSummary& user, const UserSummary& other, bool contact) const override {
    Value users = Value::list();
    users.push(user_value(user));
    users.push(user_value(other));
    return Value::object().set("users", std::move(users)).set("contact", contact).to_json();
  }
  std::string block_event(const UserSummary&, const UserSummary& other, bool blocked) const override {
    return Value::object().set("user", user_value(other)).set("blocked", blocked).to_json();
  }
};

}  // namespace

std::shared_ptr<const ChatRenderer> make_renderer() { return std::make_shared<ValueRenderer>(); }

}  // namespace parley::chat
