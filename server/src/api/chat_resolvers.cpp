// Resolvers of the chat API: contacts, presence, conversations, messages.
// The values come from chat/values.hpp (shared with events); here they get
// the fields that depend on who is asking (presence of contacts, unread
// counts, delivery status, direct conversations' titles).
#include <unordered_map>
#include <unordered_set>

#include "api/api.hpp"
#include "base/clock.hpp"
#include "calls/call_service.hpp"
#include "chat/chat_service.hpp"
#include "chat/values.hpp"

namespace parley::api {

using base::Result;
using base::Status;
using base::Task;
using graphql::FieldContext;
using graphql::Value;
using namespace storage;

namespace {

std::string arg_string(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  return v ? v->as_string() : std::string();
}

std::optional<std::string> arg_opt_string(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->as_string();
}

std::optional<std::int64_t> arg_opt_int(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->as_int();
}

std::vector<std::string> arg_ids(const Value& args, std::string_view name) {
  std::vector<std::string> out;
  if (const Value* v = args.find(name)) {
    for (const auto& item : v->items()) out.push_back(item.as_string());
  }
  return out;
}

// A user as `viewer` sees them: presence only for contacts (and themselves).
Value user_for(chat::ChatService& chat, const UserSummary& user, bool contact, const std::string& viewer) {
  Value v = chat::user_value(user);
  v.set("isContact", contact);
  if (contact || user.id == viewer) v.set("presence", chat::presence_value(chat.presence_of(user.id)));
  return v;
}

using ContactSet = std::unordered_set<std::string>;

Task<Result<ContactSet>> contact_set(chat::ChatService& chat, std::string viewer) {
  auto task = chat.contacts(std::move(viewer));
  auto contacts = co_await std::move(task);
  if (!contacts.ok()) co_return contacts.status();
  ContactSet set;
  for (const auto& c : *contacts) set.insert(c.id);
  co_return set;
}

// How far the viewer's own message got with the other members.
Value delivery_status(const MessageRecord& m, const ConversationRecord& conv) {
  bool any = false, all_read = true, all_delivered = true;
  for (const auto& member : conv.members) {
    if (member.user.id == m.sender.id) continue;
    any = true;
    all_read = all_read && member.read_seq >= m.seq;
    all_delivered = all_delivered && member.delivered_seq >= m.seq;
  }
  if (!any) return Value::enum_value("SENT");
  return Value::enum_value(all_read ? "READ" : all_delivered ? "DELIVERED" : "SENT");
}

// A message with the viewer's fields; `conv` holds the members' marks.
Value message_for(const MessageRecord& m, const ConversationRecord& conv, const std::string& viewer) {
  Value v = chat::message_value(m);
  if (m.kind == MessageKind::Text && m.sender.id == viewer) v.set("status", delivery_status(m, conv));
  Value read_by = Value::list();
  for (const auto& member : conv.members) {
    if (member.user.id != m.sender.id && member.read_seq >= m.seq) read_by.push(chat::user_value(member.user));
  }
  v.set("readBy", std::move(read_by));
  return v;
}

Value conversation_for(chat::ChatService& chat, const calls::CallService* calls, const ConversationRecord& c,
                       const std::string& viewer, const ContactSet& contacts) {
  Value v = chat::conversation_value(c);
  std::optional<calls::CallSnapshot> call = calls ? calls->active_call_in(viewer, c.id) : std::nullopt;
  v.set("activeCall", call ? calls::call_value(*call) : Value());
  Value members = Value::list();
  for (const auto& m : c.members) {
    Value mv = chat::member_value(m);
    mv.set("user", user_for(chat, m.user, contacts.count(m.user.id) > 0, viewer));
    members.push(std::move(mv));
    if (m.user.id == viewer) v.set("myRole", Value::enum_value(std::string(member_role_name(m.role))));
    if (c.kind == ConversationKind::Direct && m.user.id != viewer) v.set("title", m.user.display_name);
  }
  v.set("members", std::move(members));
  v.set("lastMessage", c.last_message ? message_for(*c.last_message, c, viewer) : Value());
  v.set("unreadCount", c.unread_count);
  return v;
}

Value contact_request_for(chat::ChatService& chat, const ContactRequestRecord& r, const std::string& viewer,
                          const ContactSet& contacts) {
  Value v = chat::contact_request_value(r);
  v.set("from", user_for(chat, r.from, contacts.count(r.from.id) > 0, viewer));
  v.set("to", user_for(chat, r.to, contacts.count(r.to.id) > 0, viewer));
  return v;
}

chat::PresenceStatus parse_presence(const std::string& s) {
  if (s == "AWAY") return chat::PresenceStatus::Away;
  if (s == "BUSY") return chat::PresenceStatus::Busy;
  if (s == "OFFLINE") return chat::PresenceStatus::Offline;
  return chat::PresenceStatus::Online;
}

}  // namespace

void Api::bind_chat_resolvers() {
  auto& s = *schema_;


  // Resolves a field that needs the signed-in user: `body(user_id, f)`.
#define PARLEY_REQUIRE_USER(f)                                               \
  auto principal = request_context((f).context).require_principal();        \
  if (!principal.ok()) co_return principal.error();                         \
  const std::string& me = principal->user_id

  s.resolve("Query", "eventCursor", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    (void)me;
    co_return Value(chat::encode_cursor(chat.published_position()));
  });

  s.resolve("Query", "presenceSettings", [&chat = chat_](const FieldContext&) -> Task<Result<Value>> {
    co_return Value::object()
        .set("awayAfterSeconds", chat.options().away_after_s)
        .set("typingTimeoutSeconds", chat.options().typing_timeout_s);
  });

  s.resolve("Query", "user", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto task = chat.visible_user(me, arg_string(f.args, "id"));
    auto user = co_await std::move(task);
    if (!user.ok()) co_return user.status();
    auto rel_task = chat.relation(me, user->id);
    auto rel = co_await std::move(rel_task);
    if (!rel.ok()) co_return rel.status();
    co_return user_for(chat, *user, rel->contact, me);
  });

  // Queries answering with a list: `call` fetches, `item` turns each into a value.
  auto list_query = [&s, &chat = chat_](const char* name, auto call, auto item) {
    s.resolve("Query", name, [&chat, call, item](const FieldContext& f) -> Task<Result<Value>> {
      PARLEY_REQUIRE_USER(f);
      auto task = call(chat, me, f.args);
      auto found = co_await std::move(task);
      if (!found.ok()) co_return found.status();
      Value list = Value::list();
      for (const auto& x : *found) list.push(item(chat, x, me));
      co_return list;
    });
  };
  list_query(
      "searchUsers",
      [](chat::ChatService& c, const std::string& me, const Value& args) {
        return c.search_users(me, arg_string(args, "query"), static_cast<int>(arg_opt_int(args, "limit").value_or(20)));
      },
      [](chat::ChatService& c, const UserMatch& m, const std::string& me) { return user_for(c, m.user, m.contact, me); });
  list_query(
      "contacts", [](chat::ChatService& c, const std::string& me, const Value&) { return c.contacts(me); },
      [](chat::ChatService& c, const UserSummary& u, const std::string& me) { return user_for(c, u, true, me); });
  list_query(
      "blockedUsers", [](chat::ChatService& c, const std::string& me, const Value&) { return c.blocked_users(me); },
      [](chat::ChatService& c, const UserSummary& u, const std::string& me) { return user_for(c, u, false, me); });
  list_query(
      "contactRequests", [](chat::ChatService& c, const std::string& me, const Value&) { return c.contact_requests(me); },
      [](chat::ChatService& c, const ContactRequestRecord& r, const std::string& me) {
        return contact_request_for(c, r, me, {});
      });

  s.resolve("Query", "conversations", [&chat = chat_, calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto contacts_task = contact_set(chat, me);
    auto contacts = co_await std::move(contacts_task);
    if (!contacts.ok()) co_return contacts.status();
    auto task = chat.conversations(me);
    auto convs = co_await std::move(task);
    if (!convs.ok()) co_return convs.status();
    Value list = Value::list();
    for (const auto& c : *convs) list.push(conversation_for(chat, calls, c, me, *contacts));
    co_return list;
  });

  s.resolve("Query", "conversation", [&chat = chat_, calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto contacts_task = contact_set(chat, me);
    auto contacts = co_await std::move(contacts_task);
    if (!contacts.ok()) co_return contacts.status();
    auto task = chat.conversation(me, arg_string(f.args, "id"));
    auto conv = co_await std::move(task);
    if (!conv.ok()) co_return conv.status();
    co_return conversation_for(chat, calls, *conv, me, *contacts);
  });

  s.resolve("Query", "messages", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    std::string conversation_id = arg_string(f.args, "conversationId");
    const int limit = static_cast<int>(arg_opt_int(f.args, "limit").value_or(50));
    const auto around = arg_opt_int(f.args, "aroundSeq");
    if (around && (arg_opt_int(f.args, "beforeSeq") || arg_opt_int(f.args, "afterSeq"))) {
      co_return Status::bad_request("give aroundSeq alone, without beforeSeq or afterSeq").with_field("aroundSeq");
    }
    auto task = around ? chat.messages_around(me, conversation_id, *around, limit)
                       : chat.messages(me, conversation_id, arg_opt_int(f.args, "beforeSeq"),
                                       arg_opt_int(f.args, "afterSeq"), limit);
    auto messages = co_await std::move(task);
    if (!messages.ok()) co_return messages.status();
    auto conv_task = chat.conversation(me, conversation_id);
    auto conv = co_await std::move(conv_task);
    if (!conv.ok()) co_return conv.status();
    Value list = Value::list();
    for (const auto& m : *messages) list.push(message_for(m, *conv, me));
    co_return list;
  });

  s.resolve("Query", "searchMessages", [&chat = chat_, calls = calls_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto task = chat.search_messages(me, arg_string(f.args, "query"),
                                     static_cast<int>(arg_opt_int(f.args, "limit").value_or(20)));
    auto found = co_await std::move(task);
    if (!found.ok()) co_return found.status();
    std::unordered_map<std::string, ConversationRecord> conversations;
    Value list = Value::list();
    for (const auto& m : *found) {
      auto it = conversations.find(m.conversation_id);
      if (it == conversations.end()) {
        auto conv_task = chat.conversation(me, m.conversation_id);
        auto conv = co_await std::move(conv_task);
        if (!conv.ok()) continue;  // left since: not theirs to find any more
        it = conversations.emplace(m.conversation_id, std::move(*conv)).first;
      }
      Value v = message_for(m, it->second, me);
      v.set("snippet", m.snippet);
      v.set("conversation", conversation_for(chat, calls, it->second, me, {}));
      list.push(std::move(v));
    }
    co_return list;
  });

  // replyTo: the message replied to, when the reader may see it.
  s.resolve("Message", "replyTo", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    const Value* id = f.parent.find("replyToId");
    if (id == nullptr || id->is_null()) co_return Value();
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return Value();
    auto task = chat.message(principal->user_id, id->as_string());
    auto m = co_await std::move(task);
    if (!m.ok()) co_return Value();
    co_return chat::message_value(*m);
  });

  // ---- mutations

  s.resolve("Mutation", "requestContact", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto task = chat.request_contact(me, arg_string(f.args, "userId"), arg_opt_string(f.args, "note").value_or(""));
    auto r = co_await std::move(task);
    if (!r.ok()) co_return r.status();
    co_return contact_request_for(chat, *r, me, {});
  });

  s.resolve("Mutation", "respondContact", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    const Value* accept = f.args.find("accept");
    auto task = chat.respond_contact(me, arg_string(f.args, "requestId"), accept && accept->as_bool());
    auto r = co_await std::move(task);
    if (!r.ok()) co_return r.status();
    co_return contact_request_for(chat, *r, me, {});
  });

  s.resolve("Mutation", "cancelContactRequest", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto task = chat.cancel_contact_request(me, arg_string(f.args, "requestId"));
    auto r = co_await std::move(task);
    if (!r.ok()) co_return r.status();
    co_return contact_request_for(chat, *r, me, {});
  });

  auto bool_mutation = [&s, &chat = chat_](const char* name, auto call) {
    s.resolve("Mutation", name, [&chat, call](const FieldContext& f) -> Task<Result<Value>> {
      PARLEY_REQUIRE_USER(f);
      auto task = call(chat, me, f.args);
      auto r = co_await std::move(task);
      if (!r.ok()) co_return r.status();
      co_return Value(true);
    });
  };
  bool_mutation("removeContact", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.remove_contact(me, arg_string(args, "userId"));
  });
  bool_mutation("blockUser", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.block(me, arg_string(args, "userId"));
  });
  bool_mutation("unblockUser", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.unblock(me, arg_string(args, "userId"));
  });
  bool_mutation("leaveConversation", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.leave(me, arg_string(args, "conversationId"));
  });
  bool_mutation("markRead", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.mark_read(me, arg_string(args, "conversationId"), arg_opt_int(args, "seq").value_or(0));
  });
  bool_mutation("markDelivered", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.mark_delivered(me, arg_string(args, "conversationId"), arg_opt_int(args, "seq").value_or(0));
  });
  bool_mutation("setTyping", [](chat::ChatService& c, const std::string& me, const Value& args) {
    const Value* typing = args.find("typing");
    return c.set_typing(me, arg_string(args, "conversationId"), typing && typing->as_bool());
  });

  // Mutations answering with the conversation as the actor sees it afterwards.
  auto conversation_mutation = [&s, &chat = chat_, calls = calls_](const char* name, auto call) {
    s.resolve("Mutation", name, [&chat, calls, call](const FieldContext& f) -> Task<Result<Value>> {
      PARLEY_REQUIRE_USER(f);
      auto task = call(chat, me, f.args);
      auto conv = co_await std::move(task);
      if (!conv.ok()) co_return conv.status();
      auto contacts_task = contact_set(chat, me);
      auto contacts = co_await std::move(contacts_task);
      if (!contacts.ok()) co_return contacts.status();
      auto fresh_task = chat.conversation(me, conv->id);
      auto fresh = co_await std::move(fresh_task);
      co_return conversation_for(chat, calls, fresh.ok() ? *fresh : *conv, me, *contacts);
    });
  };
  conversation_mutation("createDirectConversation", [](chat::ChatService& c, const std::string& me, const Value& a) {
    return c.direct_conversation(me, arg_string(a, "userId"));
  });
  conversation_mutation("createGroupConversation", [](chat::ChatService& c, const std::string& me, const Value& a) {
    return c.create_group(me, arg_string(a, "title"), arg_ids(a, "memberIds"));
  });
  conversation_mutation("addMembers", [](chat::ChatService& c, const std::string& me, const Value& a) {
    return c.add_members(me, arg_string(a, "conversationId"), arg_ids(a, "userIds"));
  });
  conversation_mutation("removeMember", [](chat::ChatService& c, const std::string& me, const Value& a) {
    return c.remove_member(me, arg_string(a, "conversationId"), arg_string(a, "userId"));
  });
  conversation_mutation("renameConversation", [](chat::ChatService& c, const std::string& me, const Value& a) {
    return c.rename(me, arg_string(a, "conversationId"), arg_string(a, "title"));
  });
  conversation_mutation("setMemberRole", [](chat::ChatService& c, const std::string& me, const Value& a) {
    std::string role = arg_string(a, "role");
    return c.set_role(me, arg_string(a, "conversationId"), arg_string(a, "userId"),
                      role == "ADMIN" ? MemberRole::Admin : role == "OWNER" ? MemberRole::Owner : MemberRole::Member);
  });
  conversation_mutation("transferOwnership", [](chat::ChatService& c, const std::string& me, const Value& a) {
    return c.transfer_ownership(me, arg_string(a, "conversationId"), arg_string(a, "userId"));
  });

  // Mutations answering with a message as its author sees it.
  auto message_mutation = [&s, &chat = chat_](const char* name, auto call) {
    s.resolve("Mutation", name, [&chat, call](const FieldContext& f) -> Task<Result<Value>> {
      PARLEY_REQUIRE_USER(f);
      auto task = call(chat, me, f.args);
      auto m = co_await std::move(task);
      if (!m.ok()) co_return m.status();
      auto conv_task = chat.conversation(me, m->conversation_id);
      auto conv = co_await std::move(conv_task);
      if (!conv.ok()) co_return chat::message_value(*m);
      co_return message_for(*m, *conv, me);
    });
  };
  s.resolve("Mutation", "sendMessage", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    const Value* input = f.args.find("input");
    chat::ChatService::SendInput in;
    in.conversation_id = arg_string(*input, "conversationId");
    in.client_id = arg_string(*input, "clientId");
    in.body = arg_string(*input, "body");
    in.reply_to_id = arg_opt_string(*input, "replyToId");
    in.mention_ids = arg_ids(*input, "mentionIds");
    auto task = chat.send_message(me, std::move(in));
    auto sent = co_await std::move(task);
    if (!sent.ok()) co_return sent.status();
    if (sent->created) {
      // Just stored: nobody else can have read or received it yet.
      Value v = chat::message_value(sent->message);
      v.set("status", Value::enum_value("SENT"));
      v.set("readBy", Value::list());
      co_return v;
    }
    auto conv_task = chat.conversation(me, sent->message.conversation_id);
    auto conv = co_await std::move(conv_task);
    if (!conv.ok()) co_return chat::message_value(sent->message);
    co_return message_for(sent->message, *conv, me);
  });
  message_mutation("editMessage", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.edit_message(me, arg_string(args, "id"), arg_string(args, "body"));
  });
  message_mutation("deleteMessage", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.delete_message(me, arg_string(args, "id"));
  });
  message_mutation("addReaction", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.react(me, arg_string(args, "messageId"), arg_string(args, "emoji"), true);
  });
  message_mutation("removeReaction", [](chat::ChatService& c, const std::string& me, const Value& args) {
    return c.react(me, arg_string(args, "messageId"), arg_string(args, "emoji"), false);
  });

  s.resolve("Mutation", "setPresence", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    auto task = chat.set_presence(me, parse_presence(arg_string(f.args, "status")), arg_opt_string(f.args, "text"));
    auto p = co_await std::move(task);
    if (!p.ok()) co_return p.status();
    co_return chat::presence_value(*p);
  });

  s.resolve("Mutation", "setIdle", [&chat = chat_](const FieldContext& f) -> Task<Result<Value>> {
    PARLEY_REQUIRE_USER(f);
    const Value* idle = f.args.find("idle");
    auto task = chat.set_idle(me, idle && idle->as_bool());
    auto p = co_await std::move(task);
    if (!p.ok()) co_return p.status();
    co_return chat::presence_value(*p);
  });

#undef PARLEY_REQUIRE_USER
}

}  // namespace parley::api
