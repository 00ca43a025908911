// HTTP request/response values as seen by application handlers. No Beast here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::http {

struct Header {
  std::string name, value;
};

struct Request {
  std::string method;     // "GET", "POST", ...
  std::string target;     // raw request target
  std::string path;       // percent-decoded path without query
  std::string query;      // raw query string (without '?')
  std::vector<Header> headers;
  std::string body;
  std::string client_ip;  // after trusted-proxy resolution
  bool secure = false;    // TLS or trusted proxy said https

  // Case-insensitive; the first occurrence; "" if absent.
  std::string_view header(std::string_view name) const;
  // The first `name=value` pair of the query, percent-decoded ('+' is a space).
  std::optional<std::string> query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // Content-Type etc. Content-Length is computed by the server.
  std::string body;

  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response json(int status, std::string body);

  std::string_view header(std::string_view name) const;  // case-insensitive, "" if absent
  void set_header(std::string name, std::string value);  // replaces an existing one
};

// The standard reason phrase ("Not Found"), "Unknown" for unlisted codes.
std::string_view reason_phrase(int status);

}  // namespace parley::http
