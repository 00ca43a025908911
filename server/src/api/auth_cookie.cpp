#include "api/auth_cookie.hpp"

#include <strings.h>

#include <array>
#include <cctype>

namespace parley::api {

using graphql::Value;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// "host", "host:port", "[v6]:port" -> the host part, lower-cased.
std::string host_only(std::string_view host) {
  std::string_view h = trim(host);
  if (!h.empty() && h.front() == '[') {
    auto close = h.find(']');
    h = close == std::string_view::npos ? h : h.substr(0, close + 1);
  } else if (auto colon = h.rfind(':'); colon != std::string_view::npos) {
    h = h.substr(0, colon);
  }
  std::string out(h);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_loopback_host(const std::string& h) {
  if (h == "localhost" || h == "[::1]") return true;
  if (h.size() > 10 && h.compare(h.size() - 10, 10, ".localhost") == 0) return true;
  if (h.rfind("127.", 0) != 0) return false;
  // 127.a.b.c with digits only.
  int dots = 0;
  for (char c : h) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}

constexpr std::array<std::string_view, 3> kIssuingFields = {"signUp", "signIn", "refreshSession"};

}  // namespace

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return std::nullopt;
}

bool keeps_secure_cookie(const http::Request& req) {
  if (req.secure) return true;
  return is_loopback_host(host_only(req.header("host")));
}

RefreshCookieMode refresh_cookie_mode(const http::Request& req) {
  RefreshCookieMode mode;
  if (!iequals(trim(req.header(kRefreshModeHeader)), "cookie") || !keeps_secure_cookie(req)) return mode;
  mode.enabled = true;
  if (auto v = cookie_value(req.header("cookie"), kRefreshCookieName)) mode.token = std::move(*v);
  return mode;
}

std::string set_refresh_cookie(std::string_view token) {
  std::string out(kRefreshCookieName);
  out += '=';
  out += token;
  out += "; Path=/graphql; Max-Age=";
  out += std::to_string(kRefreshCookieMaxAgeS);
  out += "; HttpOnly; Secure; SameSite=Strict";
  return out;
}

std::string clear_refresh_cookie() {
  std::string out(kRefreshCookieName);
  out += "=; Path=/graphql; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
  return out;
}

std::optional<std::string> take_refresh_tokens(graphql::Response& response) {
  std::optional<std::string> header;
  if (response.data && response.data->is_object()) {
    for (std::string_view field : kIssuingFields) {
      const Value* payload = response.data->find(field);
      if (payload == nullptr || !payload->is_object()) continue;
      const Value* token = payload->find("refreshToken");
      if (token == nullptr || !token->is_string() || token->as_string().empty()) continue;
      header = set_refresh_cookie(token->as_string());
      Value blanked = *payload;
      blanked.set("refreshToken", Value(std::string()));
      response.data->set(std::string(field), std::move(blanked));
    }
    if (header) return header;
    const Value* signed_out = response.data->find("signOut");
    if (signed_out != nullptr && signed_out->kind() == Value::Kind::Bool) return clear_refresh_cookie();
  }
  for (const auto& e : response.errors) {
    if (e.path.empty()) continue;
    const std::string& field = e.path.front().as_string();
    if ((e.code == "UNAUTHENTICATED" && field == "refreshSession") || field == "signOut") return clear_refresh_cookie();
  }
  return std::nullopt;
}

}  // namespace parley::api
