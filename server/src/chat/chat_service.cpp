#include "chat/chat_service.hpp"

#include <algorithm>

#include "base/utf8.hpp"
#include "chat/values.hpp"

namespace parley::chat {

using base::Result;
using base::Status;
using namespace storage;

std::string_view presence_status_name(PresenceStatus s) {
  switch (s) {
    case PresenceStatus::Online: return "ONLINE";
    case PresenceStatus::Away: return "AWAY";
    case PresenceStatus::Busy: return "BUSY";
    case PresenceStatus::Offline: return "OFFLINE";
  }
  return "OFFLINE";
}

graphql::Value presence_value(const Presence& p) {
  return graphql::Value::object()
      .set("__typename", "Presence")
      .set("status", graphql::Value::enum_value(std::string(presence_status_name(p.status))))
      .set("text", p.text.empty() ? graphql::Value() : graphql::Value(p.text))
      .set("lastSeenAt",
           p.last_seen_at_ms ? graphql::Value(base::format_rfc3339_ms(*p.last_seen_at_ms)) : graphql::Value());
}

// ---------------------------------------------------------------- cursors and input rules

std::string encode_cursor(std::int64_t position) { return "1." + std::to_string(position); }

Result<std::int64_t> decode_cursor(std::string_view cursor) {
  auto bad = [] { return Status::bad_request("invalid cursor: pass one received from events").with_field("since"); };
  if (cursor.size() < 3 || cursor.size() > 20 || cursor.substr(0, 2) != "1.") return bad();
  std::int64_t pos = 0;
  for (char c : cursor.substr(2)) {
    if (c < '0' || c > '9') return bad();
    pos = pos * 10 + (c - '0');
  }
  if (cursor.size() > 3 && cursor[2] == '0') return bad();
  return pos;
}

namespace {

// Decodes UTF-8 into code points; false when malformed.
bool decode_utf8(std::string_view s, std::vector<std::uint32_t>* out) {
  for (std::size_t i = 0; i < s.size();) {
    std::int32_t cp = base::utf8_decode_one(s, i);
    if (cp < 0) return false;
    out->push_back(static_cast<std::uint32_t>(cp));
  }
  return true;
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool is_utf8(std::string_view s) { return base::utf8_code_points(s) >= 0; }

// Valid UTF-8 of at most `max` code points.
bool text_within(std::string_view s, std::int64_t max) {
  std::int64_t n = base::utf8_code_points(s);
  return n >= 0 && n <= max;
}

Status check_title(const std::string& title) {
  std::int64_t n = base::utf8_code_points(title);
  if (n < 0) return Status::bad_request("title is not valid UTF-8").with_field("title");
  if (n == 0 || is_blank(title) || n > 100) {
    return Status::bad_request("a title has 1 to 100 characters").with_field("title");
  }
  return Status::ok();
}

Status check_id(const std::string& id, const char* field) {
  if (!base::is_valid_ulid(id)) return Status::not_found(std::string("no such ") + field).with_field(field);
  return Status::ok();
}

}  // namespace

Status check_body(std::string_view body, std::size_t max_bytes) {
  if (body.size() > max_bytes) {
    return Status::limit_exceeded("a message holds at most " + std::to_string(max_bytes / 1024) + " KiB of text")
        .with_field("body");
  }
  if (!is_utf8(body)) return Status::bad_request("the message is not valid UTF-8").with_field("body");
  if (body.empty() || is_blank(body)) return Status::bad_request("the message is empty").with_field("body");
  return Status::ok();
}

bool is_emoji(std::string_view s) {
  std::vector<std::uint32_t> cps;
  if (s.empty() || s.size() > 64 || !decode_utf8(s, &cps) || cps.size() > 12) return false;
  bool base = false;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::uint32_t c = cps[i];
    const bool pictographic = (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
                              (c >= 0x2300 && c <= 0x23FF) || (c >= 0x2B00 && c <= 0x2BFF) ||
                              (c >= 0x2190 && c <= 0x21FF) || c == 0x00A9 || c == 0x00AE || c == 0x203C ||
                              c == 0x2049 || c == 0x2122 || c == 0x2139 || c == 0x3030 || c == 0x303D ||
                              c == 0x3297 || c == 0x3299 || (c >= 0x25A0 && c <= 0x25FF);
    const bool modifier = c == 0xFE0F || c == 0xFE0E || c == 0x200D || c == 0x20E3 ||
                          (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
    // Keycaps: a digit, # or * followed by U+FE0F U+20E3.
    const bool keycap_base = (c == '#' || c == '*' || (c >= '0' && c <= '9')) && i + 1 < cps.size() &&
                             (cps[i + 1] == 0x20E3 || (cps[i + 1] == 0xFE0F && i + 2 < cps.size() &&
                                                       cps[i + 2] == 0x20E3));
    if (pictographic || keycap_base) {
      base = true;
    } else if (!modifier) {
      return false;
    }
  }
  return base;
}

std::string fts_query(std::string_view input) {
  std::string out;
  auto add_phrase = [&](std::string_view phrase, bool prefix) {
    if (is_blank(phrase)) return;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : phrase) {
      if (c == '"') out += '"';
      // Control characters (NUL included) end or break FTS5 strings: they separate words anyway.
      out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
    }
    out += '"';
    if (prefix) out += '*';
  };
  std::size_t i = 0;
  while (i < input.size()) {
    char c = input[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '"') {
      std::size_t end = input.find('"', i + 1);
      if (end == std::string_view::npos) end = input.size();
      add_phrase(input.substr(i + 1, end - i - 1), false);
      i = end + 1;
    } else {
      std::size_t end = i;
      while (end < input.size() && input[end] != ' ' && input[end] != '\t' && input[end] != '\n' &&
             input[end] != '\r' && input[end] != '"') {
        ++end;
      }
      std::string_view word = input.substr(i, end - i);
      bool prefix = word.size() > 1 && word.back() == '*';
      if (prefix) word.remove_suffix(1);
      // Keep letters and digits (any script); other characters separate words.
      std::string cleaned;
      for (std::size_t k = 0; k < word.size(); ++k) {
        auto ch = static_cast<unsigned char>(word[k]);
        cleaned += (ch >= 0x80 || std::isalnum(ch)) ? static_cast<char>(ch) : ' ';
      }
      add_phrase(cleaned, prefix);
      i = end;
    }
  }
  return out;
}

// ---------------------------------------------------------------- service

ChatService::ChatService(Store& store, bus::Bus& bus, base::Clock& clock, base::UlidGenerator& ids,
                         ChatOptions options)
    : store_(store), chat_(store.chat()), bus_(bus), clock_(clock), ids_(ids), options_(options) {
  chat_.set_renderer(make_renderer());
  chat_.set_event_sink([this](const std::vector<EventRecord>& events) { on_committed(events); });
}

ChatService::~ChatService() {
  // Announcements still awaiting the store finish first (the store outlives us).
  std::unique_lock lock(presence_mutex_);
  announcing_cv_.wait(lock, [this] { return announcing_ == 0; });
  lock.unlock();
  chat_.set_event_sink({});
}

void ChatService::spawn_announce(std::string user_id, Presence before) {
  {
    std::lock_guard lock(presence_mutex_);
    ++announcing_;
  }
  // No executor: the coroutine resumes on the store's thread, not on an event
  // loop that may be gone by then (a socket closing at shutdown announces too).
  base::ScopedCurrentExecutor none(nullptr);
  base::spawn(announce_presence(std::move(user_id), before, false), [this](std::exception_ptr) {
    std::lock_guard lock(presence_mutex_);
    if (--announcing_ == 0) announcing_cv_.notify_all();
  });
}

base::Task<Status> ChatService::start() {
  auto head = co_await chat_.head();
  if (!head.ok()) co_return head.status();
  std::int64_t expected = 0;
  published_.compare_exchange_strong(expected, *head);
  co_return Status::ok();
}

bus::EventPtr ChatService::make_event(std::string type, std::string payload, std::int64_t position,
                                      bool ephemeral) const {
  auto e = std::make_shared<bus::Event>();
  e->type = std::move(type);
  e->payload_json = std::move(payload);
  e->position = position;
  e->ephemeral = ephemeral;
  e->cursor = encode_cursor(position);
  return e;
}

void ChatService::remember(const bus::EventPtr& event) {
  std::lock_guard lock(recent_mutex_);
  if (!recent_.emplace(event->position, event).second) return;
  recent_order_.push_back(event->position);
  if (recent_order_.size() > kRecentEvents) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

bus::EventPtr ChatService::shared_event(EventRecord record) {
  {
    std::lock_guard lock(recent_mutex_);
    if (auto it = recent_.find(record.pos); it != recent_.end()) return it->second;
  }
  auto event = make_event(std::move(record.type), std::move(record.payload_json), record.pos, false);
  remember(event);
  return event;
}

void ChatService::on_committed(const std::vector<EventRecord>& events) {
  std::lock_guard lock(publish_mutex_);
  for (const auto& record : events) {
    auto event = make_event(record.type, record.payload_json, record.pos, false);
    remember(event);
    for (const auto& user : record.recipients) bus_.publish(bus::user_topic(user), event);
    published_.store(record.pos, std::memory_order_release);
  }
}

void ChatService::publish_ephemeral(const std::vector<std::string>& user_ids, std::string type,
                                    std::string payload_json) {
  // Under the publish lock: every subscriber gets this event after every
  // stored event up to its position, so cursors never go back.
  std::lock_guard lock(publish_mutex_);
  auto event = make_event(std::move(type), std::move(payload_json), published_position(), true);
  for (const auto& user : user_ids) bus_.publish(bus::user_topic(user), event);
}

Task<std::vector<EventRecord>> ChatService::events_after(std::string user_id, std::int64_t after, int limit) {
  return chat_.events_after(std::move(user_id), after, limit);
}

Task<std::int64_t> ChatService::oldest_position() { return chat_.oldest_pos(); }

// ---- users and contacts

Task<std::vector<UserMatch>> ChatService::search_users(std::string viewer, std::string query, int limit) {
  std::string q = query;
  while (!q.empty() && (q.back() == ' ' || q.back() == '\t')) q.pop_back();
  while (!q.empty() && (q.front() == ' ' || q.front() == '\t')) q.erase(q.begin());
  if (q.empty() || q.size() > 256 || !is_utf8(q)) {
    co_return Status::bad_request("search for 1 to 256 characters of a name or an email address").with_field("query");
  }
  // Emails are stored lower-cased; names match case-insensitively.
  if (q.find('@') != std::string::npos) std::transform(q.begin(), q.end(), q.begin(), ::tolower);
  auto task = chat_.search_users(std::move(viewer), std::move(q), std::clamp(limit, 1, 50));
  co_return co_await std::move(task);
}

Task<UserSummary> ChatService::visible_user(std::string viewer, std::string user_id) {
  if (!base::is_valid_ulid(user_id)) co_return Status::not_found("no such user").with_field("id");
  auto rel_task = chat_.relation(viewer, user_id);
  auto rel = co_await std::move(rel_task);
  if (!rel.ok()) co_return rel.status();
  if (rel->other_blocked_viewer) co_return Status::not_found("no such user").with_field("id");
  auto task = chat_.get_user(std::move(user_id));
  co_return co_await std::move(task);
}

Task<Relation> ChatService::relation(std::string viewer, std::string other) {
  return chat_.relation(std::move(viewer), std::move(other));
}
Task<std::vector<UserSummary>> ChatService::contacts(std::string user_id) { return chat_.contacts(std::move(user_id)); }
Task<std::vector<UserSummary>> ChatService::blocked_users(std::string user_id) {
  return chat_.blocked_users(std::move(user_id));
}
Task<std::vector<ContactRequestRecord>> ChatService::contact_requests(std::string user_id) {
  return chat_.pending_requests(std::move(user_id));
}

Task<ContactRequestRecord> ChatService::request_contact(std::string from, std::string to, std::string note) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(to, "userId"));
  if (from == to) co_return Status::bad_request("you cannot add yourself").with_field("userId");
  if (!text_within(note, 500)) {
    co_return Status::bad_request("a note has at most 500 characters of text").with_field("note");
  }
  auto task = chat_.request_contact(ids_.next(), std::move(from), std::move(to), std::move(note), clock_.now_ms());
  auto result = co_await std::move(task);
  // Someone who blocked the sender does not exist for them.
  if (!result.ok() && result.status().code() == base::Code::NotFound) {
    co_return Status::not_found("no such user").with_field("userId");
  }
  co_return result;
}

Task<ContactRequestRecord> ChatService::respond_contact(std::string user, std::string request_id, bool accept) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(request_id, "requestId"));
  auto task = chat_.respond_contact(std::move(request_id), std::move(user), accept, clock_.now_ms());
  co_return co_await std::move(task);
}

Task<ContactRequestRecord> ChatService::cancel_contact_request(std::string user, std::string request_id) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(request_id, "requestId"));
  auto task = chat_.cancel_contact_request(std::move(request_id), std::move(user), clock_.now_ms());
  co_return co_await std::move(task);
}

Task<bool> ChatService::remove_contact(std::string user, std::string other) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(other, "userId"));
  auto task = chat_.remove_contact(std::move(user), other, clock_.now_ms());
  auto r = co_await std::move(task);
    co_return r;
}

Task<bool> ChatService::block(std::string user, std::string other) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(other, "userId"));
  if (user == other) co_return Status::bad_request("you cannot block yourself").with_field("userId");
  auto task = chat_.block(std::move(user), std::move(other), clock_.now_ms());
  co_return co_await std::move(task);
}

Task<bool> ChatService::unblock(std::string user, std::string other) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(other, "userId"));
  auto task = chat_.unblock(std::move(user), std::move(other), clock_.now_ms());
  co_return co_await std::move(task);
}

// ---- conversations

Task<ConversationRecord> ChatService::direct_conversation(std::string user, std::string other) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(other, "userId"));
  if (user == other) co_return Status::bad_request("a direct conversation needs another user").with_field("userId");
  auto task = chat_.direct_conversation(ids_.next(), std::move(user), std::move(other), clock_.now_ms());
  co_return co_await std::move(task);
}

Task<ConversationRecord> ChatService::create_group(std::string creator, std::string title,
                                                   std::vector<std::string> member_ids) {
  PARLEY_CO_RETURN_IF_ERROR(check_title(title));
  for (const auto& id : member_ids) PARLEY_CO_RETURN_IF_ERROR(check_id(id, "memberIds"));
  if (static_cast<int>(member_ids.size()) + 1 > options_.max_group_members) {
    co_return Status::limit_exceeded("a group has at most " + std::to_string(options_.max_group_members) +
                                     " members")
        .with_field("memberIds");
  }
  NewGroup group;
  group.id = ids_.next();
  group.title = std::move(title);
  group.creator_id = std::move(creator);
  group.member_ids = std::move(member_ids);
  group.system_message_id = ids_.next();
  group.now_ms = clock_.now_ms();
  auto task = chat_.create_group(std::move(group));
  auto r = co_await std::move(task);
  if (!r.ok() && r.status().code() == base::Code::NotFound) {
    co_return Status::not_found("no such user").with_field("memberIds");
  }
  co_return r;
}

Task<ConversationRecord> ChatService::conversation(std::string viewer, std::string id) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  auto task = chat_.conversation(std::move(viewer), std::move(id));
  co_return co_await std::move(task);
}

Task<std::vector<ConversationRecord>> ChatService::conversations(std::string viewer) {
  return chat_.conversations(std::move(viewer));
}

namespace {

MembershipChange change(std::string actor, std::string id, MembershipAction action, base::UlidGenerator& ids,
                        base::Clock& clock, int max_members) {
  MembershipChange ch;
  ch.conversation_id = std::move(id);
  ch.actor_id = std::move(actor);
  ch.action = action;
  ch.system_message_id = ids.next();
  ch.now_ms = clock.now_ms();
  ch.max_members = max_members;
  return ch;
}

}  // namespace

Task<ConversationRecord> ChatService::add_members(std::string actor, std::string id, std::vector<std::string> users) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  for (const auto& u : users) PARLEY_CO_RETURN_IF_ERROR(check_id(u, "userIds"));
  if (users.empty()) co_return Status::bad_request("name at least one user").with_field("userIds");
  auto ch = change(std::move(actor), std::move(id), MembershipAction::Added, ids_, clock_, options_.max_group_members);
  ch.user_ids = std::move(users);
  auto task = chat_.change_membership(std::move(ch));
  auto r = co_await std::move(task);
  if (!r.ok() && r.status().code() == base::Code::Conflict && r.status().field() == "userIds") {
    co_return Status::limit_exceeded(r.status().message()).with_field("userIds");
  }
  co_return r;
}

Task<ConversationRecord> ChatService::remove_member(std::string actor, std::string id, std::string user) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  PARLEY_CO_RETURN_IF_ERROR(check_id(user, "userId"));
  auto ch = change(std::move(actor), std::move(id), MembershipAction::Removed, ids_, clock_, options_.max_group_members);
  ch.user_ids = {std::move(user)};
  auto task = chat_.change_membership(std::move(ch));
  co_return co_await std::move(task);
}

Task<ConversationRecord> ChatService::leave(std::string actor, std::string id) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  auto ch = change(std::move(actor), std::move(id), MembershipAction::Left, ids_, clock_, options_.max_group_members);
  auto task = chat_.change_membership(std::move(ch));
  co_return co_await std::move(task);
}

Task<ConversationRecord> ChatService::rename(std::string actor, std::string id, std::string title) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  PARLEY_CO_RETURN_IF_ERROR(check_title(title));
  auto ch = change(std::move(actor), std::move(id), MembershipAction::Renamed, ids_, clock_, options_.max_group_members);
  ch.title = std::move(title);
  auto task = chat_.change_membership(std::move(ch));
  co_return co_await std::move(task);
}

Task<ConversationRecord> ChatService::set_role(std::string actor, std::string id, std::string user, MemberRole role) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  PARLEY_CO_RETURN_IF_ERROR(check_id(user, "userId"));
  auto ch =
      change(std::move(actor), std::move(id), MembershipAction::RoleChanged, ids_, clock_, options_.max_group_members);
  ch.user_ids = {std::move(user)};
  ch.role = role;
  auto task = chat_.change_membership(std::move(ch));
  co_return co_await std::move(task);
}

Task<ConversationRecord> ChatService::transfer_ownership(std::string actor, std::string id, std::string user) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(id, "conversationId"));
  PARLEY_CO_RETURN_IF_ERROR(check_id(user, "userId"));
  auto ch = change(std::move(actor), std::move(id), MembershipAction::OwnershipTransferred, ids_, clock_,
                   options_.max_group_members);
  ch.user_ids = {std::move(user)};
  auto task = chat_.change_membership(std::move(ch));
  co_return co_await std::move(task);
}

// ---- messages

Task<SendResult> ChatService::send_message(std::string sender, SendInput in) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(in.conversation_id, "conversationId"));
  if (in.client_id.empty() || in.client_id.size() > 64 || !is_utf8(in.client_id)) {
    co_return Status::bad_request("clientId has 1 to 64 characters").with_field("clientId");
  }
  PARLEY_CO_RETURN_IF_ERROR(check_body(in.body, options_.max_body_bytes));
  if (in.reply_to_id) PARLEY_CO_RETURN_IF_ERROR(check_id(*in.reply_to_id, "replyToId"));
  if (in.mention_ids.size() > 100) co_return Status::bad_request("at most 100 mentions").with_field("mentionIds");
  for (const auto& id : in.mention_ids) {
    if (!base::is_valid_ulid(id)) co_return Status::bad_request("only members can be mentioned").with_field("mentionIds");
  }
  NewMessage m;
  m.id = ids_.next();
  m.conversation_id = std::move(in.conversation_id);
  m.sender_id = std::move(sender);
  m.client_id = std::move(in.client_id);
  m.body = std::move(in.body);
  m.reply_to_id = std::move(in.reply_to_id);
  m.mention_ids = std::move(in.mention_ids);
  m.now_ms = clock_.now_ms();
  auto task = chat_.send_message(std::move(m));
  co_return co_await std::move(task);
}

Task<MessageRecord> ChatService::edit_message(std::string user, std::string message_id, std::string body) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(message_id, "id"));
  PARLEY_CO_RETURN_IF_ERROR(check_body(body, options_.max_body_bytes));
  auto task = chat_.edit_message(std::move(user), std::move(message_id), std::move(body), clock_.now_ms());
  co_return co_await std::move(task);
}

Task<MessageRecord> ChatService::delete_message(std::string user, std::string message_id) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(message_id, "id"));
  auto task = chat_.delete_message(std::move(user), std::move(message_id), clock_.now_ms());
  co_return co_await std::move(task);
}

Task<MessageRecord> ChatService::react(std::string user, std::string message_id, std::string emoji, bool add) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(message_id, "messageId"));
  if (!is_emoji(emoji)) co_return Status::bad_request("a reaction is one emoji").with_field("emoji");
  auto task = chat_.react(std::move(user), std::move(message_id), std::move(emoji), add, clock_.now_ms());
  co_return co_await std::move(task);
}

Task<MessageRecord> ChatService::message(std::string viewer, std::string message_id) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(message_id, "id"));
  auto task = chat_.message(std::move(viewer), std::move(message_id));
  co_return co_await std::move(task);
}

Task<std::vector<MessageRecord>> ChatService::messages(std::string viewer, std::string conversation_id,
                                                       std::optional<std::int64_t> before,
                                                       std::optional<std::int64_t> after, int limit) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(conversation_id, "conversationId"));
  if (before && after) {
    co_return Status::bad_request("give beforeSeq or afterSeq, not both").with_field("beforeSeq");
  }
  if (limit < 1 || limit > options_.max_page) {
    co_return Status::bad_request("limit is 1 to " + std::to_string(options_.max_page)).with_field("limit");
  }
  MessagePage page{before, after, limit};
  auto task = chat_.messages(std::move(viewer), std::move(conversation_id), page);
  co_return co_await std::move(task);
}

Task<std::vector<MessageRecord>> ChatService::messages_around(std::string viewer, std::string conversation_id,
                                                              std::int64_t seq, int limit) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(conversation_id, "conversationId"));
  if (limit < 1 || limit > options_.max_page) {
    co_return Status::bad_request("limit is 1 to " + std::to_string(options_.max_page)).with_field("limit");
  }
  if (seq < 1) co_return Status::bad_request("aroundSeq is 1 or more").with_field("aroundSeq");
  // The message at seq and up to half the page before it, then the rest after it.
  const int older = (limit + 1) / 2;
  MessagePage up_to{seq + 1, std::nullopt, older};
  auto before_task = chat_.messages(viewer, conversation_id, up_to);
  auto first = co_await std::move(before_task);
  if (!first.ok()) co_return first.status();
  std::vector<MessageRecord> out = std::move(*first);
  const int newer = limit - static_cast<int>(out.size());
  if (newer > 0) {
    MessagePage from{std::nullopt, seq, newer};
    auto after_task = chat_.messages(std::move(viewer), std::move(conversation_id), from);
    auto second = co_await std::move(after_task);
    if (!second.ok()) co_return second.status();
    for (auto& m : *second) out.push_back(std::move(m));
  }
  co_return out;
}

Task<MemberRecord> ChatService::mark_read(std::string user, std::string conversation_id, std::int64_t seq) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(conversation_id, "conversationId"));
  if (seq < 0) co_return Status::bad_request("seq is not negative").with_field("seq");
  auto task = chat_.mark(std::move(user), std::move(conversation_id), seq, seq, clock_.now_ms());
  co_return co_await std::move(task);
}

Task<MemberRecord> ChatService::mark_delivered(std::string user, std::string conversation_id, std::int64_t seq) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(conversation_id, "conversationId"));
  if (seq < 0) co_return Status::bad_request("seq is not negative").with_field("seq");
  auto task = chat_.mark(std::move(user), std::move(conversation_id), 0, seq, clock_.now_ms());
  co_return co_await std::move(task);
}

Task<std::vector<MessageRecord>> ChatService::search_messages(std::string viewer, std::string query, int limit) {
  std::string q = fts_query(query);
  if (q.empty() || query.size() > 512 || !is_utf8(query)) {
    co_return Status::bad_request("search for 1 to 512 characters of words").with_field("query");
  }
  auto task = chat_.search_messages(std::move(viewer), std::move(q), std::clamp(limit, 1, 100));
  co_return co_await std::move(task);
}

Task<bool> ChatService::set_typing(std::string user, std::string conversation_id, bool typing) {
  PARLEY_CO_RETURN_IF_ERROR(check_id(conversation_id, "conversationId"));
  auto conv_task = chat_.conversation(user, conversation_id);
  auto conv = co_await std::move(conv_task);
  if (!conv.ok()) co_return conv.status();
  std::vector<std::string> audience;
  UserSummary me;
  for (const auto& m : conv->members) {
    if (m.user.id == user) {
      me = m.user;
    } else {
      audience.push_back(m.user.id);
    }
  }
  if (conv->kind == ConversationKind::Direct && !audience.empty()) {
    // Someone who blocked the typist never sees them typing.
    auto rel_task = chat_.relation(user, audience.front());
    auto rel = co_await std::move(rel_task);
    if (!rel.ok()) co_return rel.status();
    if (rel->other_blocked_viewer) co_return true;
  }
  audience.push_back(user);  // the typist's other devices
  std::string payload = graphql::Value::object()
                            .set("conversationId", conversation_id)
                            .set("user", user_value(me))
                            .set("typing", typing)
                            .set("expiresAt", base::format_rfc3339_ms(clock_.now_ms() +
                                                                     options_.typing_timeout_s * 1000LL))
                            .to_json();
  publish_ephemeral(audience, "TypingEvent", std::move(payload));
  co_return true;
}

// ---- presence

Presence ChatService::effective(const PresenceState& s) const {
  Presence p;
  p.text = s.text;
  if (s.connections == 0 || s.chosen == PresenceStatus::Offline) {
    p.status = PresenceStatus::Offline;
    p.last_seen_at_ms = s.last_seen_at_ms;
  } else {
    p.status = s.chosen == PresenceStatus::Busy                          ? PresenceStatus::Busy
               : (s.chosen == PresenceStatus::Away || s.idle)           ? PresenceStatus::Away
                                                                        : PresenceStatus::Online;
    p.last_seen_at_ms = clock_.now_ms();
  }
  return p;
}

Presence ChatService::presence_of(const std::string& user_id) const {
  std::lock_guard lock(presence_mutex_);
  auto it = presence_.find(user_id);
  if (it == presence_.end()) return Presence{};
  return effective(it->second);
}

void ChatService::connected(const std::string& user_id) {
  Presence before;
  {
    std::lock_guard lock(presence_mutex_);
    PresenceState& s = presence_[user_id];
    before = effective(s);
    if (s.connections++ == 0) s.idle = false;
    if (s.chosen != PresenceStatus::Offline) s.last_seen_at_ms = clock_.now_ms();
  }
  spawn_announce(user_id, before);
}

void ChatService::disconnected(const std::string& user_id) {
  Presence before;
  {
    std::lock_guard lock(presence_mutex_);
    auto it = presence_.find(user_id);
    if (it == presence_.end() || it->second.connections == 0) return;
    PresenceState& s = it->second;
    before = effective(s);
    --s.connections;
    if (s.chosen != PresenceStatus::Offline) s.last_seen_at_ms = clock_.now_ms();
  }
  spawn_announce(user_id, before);
}

Task<Presence> ChatService::set_presence(std::string user, PresenceStatus status, std::optional<std::string> text) {
  if (text && !text_within(*text, 200)) {
    co_return Status::bad_request("a status text has at most 200 characters").with_field("text");
  }
  Presence before, after;
  {
    std::lock_guard lock(presence_mutex_);
    PresenceState& s = presence_[user];
    before = effective(s);
    if (s.chosen != PresenceStatus::Offline && s.connections > 0) s.last_seen_at_ms = clock_.now_ms();
    s.chosen = status;
    s.text = text.value_or("");
    after = effective(s);
  }
  co_await announce_presence(user, before, true);
  co_return after;
}

Task<Presence> ChatService::set_idle(std::string user, bool idle) {
  Presence before, after;
  {
    std::lock_guard lock(presence_mutex_);
    PresenceState& s = presence_[user];
    before = effective(s);
    s.idle = idle;
    after = effective(s);
  }
  co_await announce_presence(user, before, true);
  co_return after;
}

base::Task<void> ChatService::announce_presence(std::string user_id, Presence before, bool to_self) {
  Presence now = presence_of(user_id);
  if (now.status == before.status && now.text == before.text) co_return;
  auto user_task = chat_.get_user(user_id);
  auto user = co_await std::move(user_task);
  if (!user.ok()) co_return;
  auto contacts_task = chat_.contacts(user_id);
  auto contacts = co_await std::move(contacts_task);
  if (!contacts.ok()) co_return;
  std::vector<std::string> audience;
  if (to_self) audience.push_back(user_id);  // the user's other devices follow a choice made on one
  for (const auto& c : *contacts) audience.push_back(c.id);
  if (audience.empty()) co_return;
  std::string payload = graphql::Value::object().set("user", user_value(*user)).set("presence", presence_value(now)).to_json();
  publish_ephemeral(audience, "PresenceEvent", std::move(payload));
}

}  // namespace parley::chat
