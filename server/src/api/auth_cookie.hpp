// The refresh token in an HttpOnly cookie, for browsers.
//
// A browser client opts in per request with the header
// "X-Parley-Refresh: cookie". For such a request, when the browser will keep
// a Secure cookie (TLS, a trusted proxy that said https, or a loopback Host:
// browsers treat those origins as secure), the HTTP transport
//   - gives refreshSession the cookie's token when its refreshToken argument
//     is empty (RequestContext::refresh_cookie), and
//   - moves the refresh token of signUp / signIn / refreshSession out of the
//     response body into
//       Set-Cookie: parley_refresh=<token>; Path=/graphql; Max-Age=...;
//                   HttpOnly; Secure; SameSite=Strict
//     (the body's refreshToken becomes ""), and clears the cookie after
//     signOut or a refused refresh.
// Script on the page then never sees a refresh token. Without the header, or
// when the cookie would not be kept (plain HTTP to a non-loopback host),
// nothing changes: the token stays in the body as before.
//
// Pure functions over messages: no I/O, no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "graphql/graphql.hpp"
#include "http/message.hpp"

namespace parley::api {

inline constexpr std::string_view kRefreshCookieName = "parley_refresh";
inline constexpr std::string_view kRefreshModeHeader = "x-parley-refresh";
// Browsers cap cookie lifetimes at 400 days; the server decides how long the
// token itself is valid (auth.refresh_ttl_s).
inline constexpr long kRefreshCookieMaxAgeS = 400L * 24 * 3600;

// The value of cookie `name` in a Cookie header; nullopt when absent.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

// True when a browser keeps a Secure cookie set by a response to `req`:
// TLS (or a trusted proxy's https), or a Host of localhost, 127.0.0.0/8 or [::1].
bool keeps_secure_cookie(const http::Request& req);

struct RefreshCookieMode {
  bool enabled = false;  // opted in and the cookie will be kept
  std::string token;     // the cookie's refresh token ("" when none came)
};
RefreshCookieMode refresh_cookie_mode(const http::Request& req);

std::string set_refresh_cookie(std::string_view token);
std::string clear_refresh_cookie();

// For a request in cookie mode: blanks the refresh tokens in `response` and
// returns the Set-Cookie value to send (a new token, or a clearing one after
// signOut or a refused refreshSession); nullopt when the cookie stays as is.
std::optional<std::string> take_refresh_tokens(graphql::Response& response);

}  // namespace parley::api
