// What every resolver knows about the request it serves.
#pragma once

#include <any>
#include <memory>
#include <optional>

#include "auth/auth_service.hpp"
#include "base/status.hpp"

namespace parley::api {

struct RequestContext {
  // Set when a valid access token came with the request (HTTP Authorization
  // header, or connection_init {authToken} on a WebSocket).
  std::optional<auth::Principal> principal;
  // Why `principal` is empty although a token was presented (expired, ...).
  // Kept so that resolvers needing a user say why, while signIn and
  // refreshSession still work with a stale token attached.
  base::Status token_error;
  auth::ClientInfo client;
  // The refresh token of the HttpOnly cookie (api/auth_cookie.hpp), for a
  // browser that opted in; refreshSession uses it when its argument is empty.
  std::string refresh_cookie;

  // The signed-in principal, or UNAUTHENTICATED.
  base::Result<auth::Principal> require_principal() const;
};

using ContextPtr = std::shared_ptr<const RequestContext>;

// The RequestContext inside the engine's opaque context.
const RequestContext& request_context(const std::any& context);

}  // namespace parley::api
