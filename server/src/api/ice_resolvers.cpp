// Query.iceServers: STUN/TURN servers for RTCPeerConnection, with TURN
// credentials of coturn's REST API (turn/ice_servers.hpp, docs/turn.md).
#include "api/api.hpp"
#include "base/clock.hpp"
#include "turn/ice_servers.hpp"

namespace parley::api {

using base::Result;
using base::Task;
using graphql::FieldContext;
using graphql::Value;

namespace {

// Built outside the coroutine (g++ 12 and temporaries in coroutine bodies).
Value ice_servers_value(const std::vector<turn::IceServer>& servers) {
  Value list = Value::list();
  for (const auto& s : servers) {
    Value urls = Value::list();
    for (const auto& u : s.urls) urls.push(Value(u));
    Value entry = Value::object();
    entry.set("__typename", "IceServer");
    entry.set("urls", std::move(urls));
    entry.set("username", s.username ? Value(*s.username) : Value());
    entry.set("credential", s.credential ? Value(*s.credential) : Value());
    entry.set("expiresAt", s.expires_at_ms ? Value(base::format_rfc3339_ms(*s.expires_at_ms)) : Value());
    list.push(std::move(entry));
  }
  return list;
}

}  // namespace

void Api::bind_ice_resolvers() {
  schema_->resolve("Query", "iceServers", [this](const FieldContext& f) -> Task<Result<Value>> {
    auto principal = request_context(f.context).require_principal();
    if (!principal.ok()) co_return principal.error();
    co_return ice_servers_value(turn::ice_servers(options_.turn, principal->user_id, clock_));
  });
}

}  // namespace parley::api
