#include "api/api.hpp"

#include <spdlog/spdlog.h>

#include "api/event_stream.hpp"
#include "api/schema_sdl.hpp"
#include "base/clock.hpp"

namespace parley::api {

using base::Result;
using base::Status;
using base::Task;
using graphql::FieldContext;
using graphql::Value;

base::Result<auth::Principal> RequestContext::require_principal() const {
  if (principal) return *principal;
  if (!token_error.is_ok()) return token_error;
  return Status::unauthenticated("sign in first: send 'Authorization: Bearer <accessToken>'");
}

const RequestContext& request_context(const std::any& context) {
  static const RequestContext kAnonymous;
  if (const auto* p = std::any_cast<ContextPtr>(&context); p && *p) return **p;
  return kAnonymous;
}

namespace {

std::string rfc3339(std::int64_t ms) { return base::format_rfc3339_ms(ms); }

// What a user sees of their own account.
Value own_user_value(const auth::User& u) {
  return Value::object()
      .set("__typename", "User")
      .set("id", u.id)
      .set("displayName", u.display_name)
      .set("email", u.email)
      .set("createdAt", rfc3339(u.created_at_ms));
}

Value auth_payload_value(const auth::AuthResult& r) {
  return Value::object()
      .set("accessToken", r.access_token)
      .set("accessTokenExpiresAt", rfc3339(r.access_expires_at_ms))
      .set("refreshToken", r.refresh_token)
      .set("user", own_user_value(r.user));
}

Value session_value(const auth::SessionInfo& s) {
  return Value::object()
      .set("__typename", "Session")
      .set("id", s.id)
      .set("createdAt", rfc3339(s.created_at_ms))
      .set("lastUsedAt", rfc3339(s.last_used_at_ms))
      .set("expiresAt", rfc3339(s.expires_at_ms))
      .set("ip", s.ip)
      .set("userAgent", s.user_agent)
      .set("current", s.current);
}

// Event payloads are the same values the queries return, as JSON.
std::string session_created_payload(const auth::SessionInfo& session) {
  return Value::object().set("session", session_value(session)).to_json();
}

std::string session_revoked_payload(const std::string& session_id) {
  return Value::object().set("sessionId", session_id).to_json();
}

// The SessionInfo of `session_id` among `sessions`, as other devices see it.
auth::SessionInfo find_session(const std::vector<auth::SessionInfo>& sessions, const std::string& session_id) {
  auth::SessionInfo info;
  info.id = session_id;
  for (const auto& s : sessions) {
    if (s.id == session_id) info = s;
  }
  info.current = false;
  return info;
}

std::string arg_string(const Value& args, std::string_view name) {
  const Value* v = args.find(name);
  return v ? v->as_string() : std::string();
}

}  // namespace

Result<std::unique_ptr<Api>> Api::create(ApiOptions options, auth::AuthService& auth, chat::ChatService& chat,
                                         bus::Bus& bus, base::Clock& clock, base::UlidGenerator& ids,
                                         calls::CallService* calls) {
  auto schema = graphql::Schema::from_sdl(kSchemaSdl);
  if (!schema.ok()) return Status::internal("schema.graphql: " + schema.error().message());
  std::unique_ptr<Api> api(new Api(options, auth, chat, bus, clock, ids));
  api->calls_ = calls;
  api->schema_ = std::move(*schema);
  api->bind_resolvers();
  return api;
}

Api::Prepared Api::prepare(std::string_view query, std::string_view operation_name) {
  std::string key;
  key.reserve(operation_name.size() + 1 + query.size());
  key.append(operation_name).append(1, '\0').append(query);
  {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  auto prepared = graphql::prepare(*schema_, query, operation_name, options_.limits);
  if (auto* op = std::get_if<std::shared_ptr<const graphql::PreparedOperation>>(&prepared)) {
    std::lock_guard lock(cache_mutex_);
    // Bounded: a client sending endless distinct queries must not grow memory.
    if (cache_.size() >= 2048) cache_.clear();
    cache_.emplace(std::move(key), *op);
  }
  return prepared;
}

ContextPtr Api::authenticate(std::string_view bearer_token, auth::ClientInfo client) const {
  auto ctx = std::make_shared<RequestContext>();
  ctx->client = std::move(client);
  if (!bearer_token.empty()) {
    auto principal = auth_.verify_access_token(bearer_token);
    if (principal.ok()) {
      ctx->principal = *principal;
    } else {
      ctx->token_error = principal.error();
    }
  }
  return ctx;
}

void Api::publish_user_event(const std::string& user_id, std::string type, std::string payload_json) {
  chat_.publish_ephemeral({user_id}, std::move(type), std::move(payload_json));
}

void Api::bind_resolvers() {
  auto& s = *schema_;

  s.resolve("Query", "me", [this](const FieldContext& f) -> Task<Result<Value>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    auto user = co_await auth_.get_user(principal->user_id);
    if (!user.ok()) co_return user.error();
    Value v = own_user_value(*user);
    v.set("presence", chat::presence_value(chat_.presence_of(user->id)));
    co_return v;
  });

  s.resolve("Query", "sessions", [this](const FieldContext& f) -> Task<Result<Value>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    auto sessions = co_await auth_.list_sessions(*principal);
    if (!sessions.ok()) co_return sessions.error();
    Value list = Value::list();
    for (const auto& session : *sessions) list.push(session_value(session));
    co_return list;
  });

  s.resolve("Mutation", "signUp", [this](const FieldContext& f) -> Task<Result<Value>> {
    const Value* input = f.args.find("input");
    std::string email = arg_string(*input, "email");
    std::string password = arg_string(*input, "password");
    std::string display_name = arg_string(*input, "displayName");
    auth::ClientInfo client = request_context(f.context).client;
    auto result = co_await auth_.sign_up(std::move(email), std::move(password), std::move(display_name),
                                         std::move(client));
    if (!result.ok()) co_return result.error();
    co_return auth_payload_value(*result);
  });

  s.resolve("Mutation", "signIn", [this](const FieldContext& f) -> Task<Result<Value>> {
    const Value* input = f.args.find("input");
    std::string email = arg_string(*input, "email");
    std::string password = arg_string(*input, "password");
    auth::ClientInfo client = request_context(f.context).client;
    auto result = co_await auth_.sign_in(std::move(email), std::move(password), client);
    if (!result.ok()) co_return result.error();
    // Tell the user's other devices about the new sign-in.
    auth::Principal principal;
    principal.user_id = result->user.id;
    principal.session_id = result->session_id;
    principal.expires_at_ms = result->access_expires_at_ms;
    auto sessions = co_await auth_.list_sessions(principal);
    if (sessions.ok()) {
      publish_user_event(result->user.id, "SessionCreatedEvent",
                         session_created_payload(find_session(*sessions, result->session_id)));
    }
    co_return auth_payload_value(*result);
  });

  s.resolve("Mutation", "refreshSession", [this](const FieldContext& f) -> Task<Result<Value>> {
    std::string token = arg_string(f.args, "refreshToken");
    if (token.empty()) token = request_context(f.context).refresh_cookie;  // see api/auth_cookie.hpp
    auth::ClientInfo client = request_context(f.context).client;
    auto result = co_await auth_.refresh(std::move(token), std::move(client));
    if (!result.ok()) co_return result.error();
    co_return auth_payload_value(*result);
  });

  s.resolve("Mutation", "signOut", [this](const FieldContext& f) -> Task<Result<Value>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    Status st = co_await auth_.sign_out(*principal);
    if (!st.is_ok()) co_return st;
    publish_user_event(principal->user_id, "SessionRevokedEvent", session_revoked_payload(principal->session_id));
    co_return Value(true);
  });

  s.resolve("Mutation", "revokeSession", [this](const FieldContext& f) -> Task<Result<Value>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    std::string id = arg_string(f.args, "id");
    Status st = co_await auth_.revoke_session(*principal, id);
    if (!st.is_ok()) co_return st;
    publish_user_event(principal->user_id, "SessionRevokedEvent", session_revoked_payload(id));
    co_return Value(true);
  });

  s.subscribe("events", [this](const FieldContext& f) -> Task<Result<std::shared_ptr<graphql::EventStream>>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    std::optional<BusEventStream::Replay> replay;
    if (const Value* since = f.args.find("since"); since != nullptr && !since->is_null()) {
      auto position = chat::decode_cursor(since->as_string());
      if (!position.ok()) co_return position.status();
      if (*position > chat_.published_position()) {
        co_return Status::bad_request("invalid cursor: it is ahead of the stream").with_field("since");
      }
      auto oldest_task = chat_.oldest_position();
      auto oldest = co_await std::move(oldest_task);
      if (!oldest.ok()) co_return oldest.status();
      if (*oldest > 0 && *position + 1 < *oldest) {
        co_return Status::conflict("cursor expired: events after it were pruned; reload and subscribe from eventCursor")
            .with_field("since");
      }
      replay = BusEventStream::Replay{&chat_, principal->user_id, *position};
    }
    auto stream = BusEventStream::open(bus_, bus::user_topic(principal->user_id), std::move(replay));
    co_return std::static_pointer_cast<graphql::EventStream>(stream);
  });

  bind_chat_resolvers();
  bind_call_resolvers();
}

}  // namespace parley::api
