// Pure helpers for the HTTP edge: percent-decoding, request targets, query
// strings, header lists, IP/CIDR matching and X-Forwarded-For resolution.
// Bytes in, values or a clear error out; no I/O. Fuzzed by fuzz_http_request.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"

namespace parley::http {

bool iequals(std::string_view a, std::string_view b);

// %XX decoding. Malformed escapes are an error; so is a decoded NUL byte.
// plus_as_space for application/x-www-form-urlencoded query values.
base::Result<std::string> percent_decode(std::string_view s, bool plus_as_space = false);

struct Target {
  std::string path;   // percent-decoded, always starts with '/'
  std::string query;  // raw, without '?'
};
// Origin-form ("/a/b?x=1") or absolute-form ("http://host/a?x=1") targets.
base::Result<Target> split_target(std::string_view target);

// Value of the first `name` parameter in a raw query string, decoded.
std::optional<std::string> find_query_param(std::string_view query, std::string_view name);

// Comma-separated header list elements, trimmed, empty ones dropped.
std::vector<std::string_view> split_list(std::string_view value);

// Whether Accept-Encoding allows `coding` ("br", "gzip"): listed (or "*")
// without q=0.
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

// An IP address in 16 bytes (IPv4 as IPv4-mapped IPv6).
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
};
// "1.2.3.4", "::1", "[::1]", "1.2.3.4:8080", "[2001:db8::1]:443", "::ffff:1.2.3.4".
std::optional<IpAddress> parse_ip(std::string_view text);
std::string format_ip(const IpAddress& ip);

struct Cidr {
  IpAddress base;
  int prefix_bits = 0;  // within the 128-bit mapped form
};
// "10.0.0.0/8", "::1/128", "192.168.1.7" (a single host).
base::Result<Cidr> parse_cidr(std::string_view text);
bool contains(const Cidr& cidr, const IpAddress& ip);
bool contains_any(const std::vector<Cidr>& cidrs, const IpAddress& ip);

// The client's IP: `peer` itself unless it is a trusted proxy; then the
// right-most X-Forwarded-For hop that is not a trusted proxy (or the
// left-most valid hop when all are trusted). Malformed hops end the walk.
// Returned in canonical text form.
std::string resolve_client_ip(std::string_view peer, std::string_view x_forwarded_for,
                              const std::vector<Cidr>& trusted);

}  // namespace parley::http

namespace parley::http {

struct Header;
struct Request;

// Builds the application's Request from parsed parts: splits and decodes the
// target, resolves client_ip (X-Forwarded-For from trusted proxies) and
// secure (TLS, or X-Forwarded-Proto: https from a trusted proxy).
// Errors: BadRequest for an unusable target.
base::Result<Request> build_request(std::string method, std::string_view target, std::vector<Header> headers,
                                    std::string body, std::string_view peer_ip, bool tls,
                                    const std::vector<Cidr>& trusted);

}  // namespace parley::http
