// The HttpOnly refresh cookie's rules (api/auth_cookie.hpp): parsing,
// when a browser keeps it, opting in, and moving tokens out of responses.
#include "api/auth_cookie.hpp"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

using graphql::Value;

http::Request request(std::string host, bool secure = false, std::string mode = "cookie", std::string cookie = "") {
  http::Request r;
  r.method = "POST";
  r.path = "/graphql";
  r.secure = secure;
  r.headers.push_back({"Host", std::move(host)});
  if (!mode.empty()) r.headers.push_back({"X-Parley-Refresh", std::move(mode)});
  if (!cookie.empty()) r.headers.push_back({"Cookie", std::move(cookie)});
  return r;
}

Value payload(std::string refresh) {
  Value p = Value::object();
  p.set("accessToken", Value(std::string("access")));
  p.set("refreshToken", Value(std::move(refresh)));
  return p;
}

TEST(AuthCookieTest, FindsOneCookieAmongMany) {
  EXPECT_EQ(cookie_value("a=1; parley_refresh=tok.en; b=2", "parley_refresh"), "tok.en");
  EXPECT_EQ(cookie_value("parley_refresh=\"quoted\"", "parley_refresh"), "quoted");
  EXPECT_EQ(cookie_value("  parley_refresh = spaced ;x=y", "parley_refresh"), "spaced");
  EXPECT_EQ(cookie_value("xparley_refresh=no; parley_refreshx=no", "parley_refresh"), std::nullopt);
  EXPECT_EQ(cookie_value("", "parley_refresh"), std::nullopt);
  EXPECT_EQ(cookie_value("novalue; parley_refresh=", "parley_refresh"), "");
}

TEST(AuthCookieTest, KeptOverTlsOrOnLoopbackHostsOnly) {
  for (const char* host : {"localhost", "localhost:8080", "127.0.0.1:40123", "127.1.2.3", "[::1]:8080", "app.localhost"}) {
    EXPECT_TRUE(keeps_secure_cookie(request(host))) << host;
  }
  for (const char* host : {"chat.example.org", "192.168.1.10:8080", "127.0.0.1.evil.example", "[::2]:80", ""}) {
    EXPECT_FALSE(keeps_secure_cookie(request(host))) << host;
  }
  EXPECT_TRUE(keeps_secure_cookie(request("chat.example.org", /*secure=*/true)));
}

TEST(AuthCookieTest, ModeNeedsTheOptInHeaderAndAKeptCookie) {
  auto on = refresh_cookie_mode(request("127.0.0.1:9000", false, "cookie", "parley_refresh=abc"));
  EXPECT_TRUE(on.enabled);
  EXPECT_EQ(on.token, "abc");
  EXPECT_TRUE(refresh_cookie_mode(request("localhost", false, "Cookie")).enabled);
  EXPECT_EQ(refresh_cookie_mode(request("localhost")).token, "");
  EXPECT_FALSE(refresh_cookie_mode(request("localhost", false, "")).enabled);
  EXPECT_FALSE(refresh_cookie_mode(request("localhost", false, "body")).enabled);
  EXPECT_FALSE(refresh_cookie_mode(request("chat.example.org", false)).enabled);
  EXPECT_TRUE(refresh_cookie_mode(request("chat.example.org", true)).enabled);
}

TEST(AuthCookieTest, CookieAttributes) {
  EXPECT_EQ(set_refresh_cookie("t0k"),
            "parley_refresh=t0k; Path=/graphql; Max-Age=34560000; HttpOnly; Secure; SameSite=Strict");
  EXPECT_EQ(clear_refresh_cookie(), "parley_refresh=; Path=/graphql; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
}

TEST(AuthCookieTest, MovesIssuedTokensIntoTheCookie) {
  for (const char* field : {"signUp", "signIn", "refreshSession"}) {
    graphql::Response r;
    r.data = Value::object();
    r.data->set(field, payload("secret-refresh"));
    auto header = take_refresh_tokens(r);
    ASSERT_TRUE(header.has_value()) << field;
    EXPECT_EQ(*header, set_refresh_cookie("secret-refresh"));
    EXPECT_EQ(r.data->find(field)->find("refreshToken")->as_string(), "");
    EXPECT_EQ(r.data->find(field)->find("accessToken")->as_string(), "access");
    EXPECT_EQ(r.to_json().find("secret-refresh"), std::string::npos);
  }
}

TEST(AuthCookieTest, ClearsAfterSignOutOrARefusedRefresh) {
  graphql::Response out;
  out.data = Value::object();
  out.data->set("signOut", Value(true));
  EXPECT_EQ(take_refresh_tokens(out), clear_refresh_cookie());

  graphql::Response refused;
  graphql::Error e;
  e.code = "UNAUTHENTICATED";
  e.path.push_back(Value(std::string("refreshSession")));
  refused.errors.push_back(e);
  EXPECT_EQ(take_refresh_tokens(refused), clear_refresh_cookie());
}

TEST(AuthCookieTest, LeavesOtherResponsesAlone) {
  graphql::Response me;
  me.data = Value::object();
  Value user = Value::object();
  user.set("refreshToken", Value(std::string("not-a-root-auth-field")));
  me.data->set("me", user);
  EXPECT_EQ(take_refresh_tokens(me), std::nullopt);
  EXPECT_EQ(me.data->find("me")->find("refreshToken")->as_string(), "not-a-root-auth-field");

  graphql::Response rate_limited;  // a refused sign-in keeps the old cookie
  graphql::Error e;
  e.code = "RATE_LIMITED";
  e.path.push_back(Value(std::string("signIn")));
  rate_limited.errors.push_back(e);
  EXPECT_EQ(take_refresh_tokens(rate_limited), std::nullopt);

  graphql::Response empty;
  EXPECT_EQ(take_refresh_tokens(empty), std::nullopt);
}

}  // namespace
}  // namespace parley::api
