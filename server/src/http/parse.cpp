#include "http/parse.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace parley::http {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

base::Result<std::string> percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return base::Status::bad_request("truncated percent escape");
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return base::Status::bad_request("malformed percent escape");
      char d = static_cast<char>(hi * 16 + lo);
      if (d == '\0') return base::Status::bad_request("encoded NUL byte");
      out += d;
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else if (c == '\0') {
      return base::Status::bad_request("NUL byte");
    } else {
      out += c;
    }
  }
  return out;
}

base::Result<Target> split_target(std::string_view target) {
  if (target.empty()) return base::Status::bad_request("empty request target");
  if (target.front() != '/') {
    // absolute-form: scheme://authority/path?query
    auto scheme_end = target.find("://");
    if (scheme_end == std::string_view::npos) return base::Status::bad_request("unsupported request target form");
    auto path_start = target.find('/', scheme_end + 3);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  auto hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  Target t;
  auto q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (q != std::string_view::npos) t.query = std::string(target.substr(q + 1));
  auto decoded = percent_decode(raw_path);
  if (!decoded.ok()) return decoded.error();
  t.path = std::move(decoded).value();
  if (t.path.empty() || t.path.front() != '/') t.path.insert(t.path.begin(), '/');
  return t;
}

std::optional<std::string> find_query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key.ok() || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    auto value = percent_decode(pair.substr(eq + 1), true);
    if (!value.ok()) return std::nullopt;
    return std::move(value).value();
  }
  return std::nullopt;
}

std::vector<std::string_view> split_list(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    auto comma = value.find(',');
    auto item = trim(value.substr(0, comma));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    value = value.substr(comma + 1);
  }
  return out;
}

bool accepts_encoding(std::string_view accept_encoding, std::string_view coding) {
  bool star = false, star_zero = false;
  for (auto item : split_list(accept_encoding)) {
    auto semi = item.find(';');
    auto name = trim(item.substr(0, semi));
    bool zero = false;
    if (semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      auto qpos = params.find("q=");
      if (qpos != std::string_view::npos) {
        auto qv = trim(params.substr(qpos + 2));
        // q=0, q=0.0, q=0.000 mean "not acceptable".
        zero = !qv.empty() && qv.front() == '0' && qv.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (iequals(name, coding)) return !zero;
    if (name == "*") {
      star = true;
      star_zero = zero;
    }
  }
  return star && !star_zero;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string s;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    s = std::string(text.substr(1, close - 1));
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    s = std::string(text.substr(0, text.find(':')));  // IPv4 with a port
  } else {
    s = std::string(text);
  }
  IpAddress ip;
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip.bytes[10] = 0xff;
    ip.bytes[11] = 0xff;
    std::memcpy(ip.bytes.data() + 12, &v4, 4);
    ip.v4 = true;
    return ip;
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    ip.v4 = std::memcmp(ip.bytes.data(), kMapped, 12) == 0;
    return ip;
  }
  return std::nullopt;
}

std::string format_ip(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ip.v4) {
    inet_ntop(AF_INET, ip.bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf);
  }
  return buf;
}

base::Result<Cidr> parse_cidr(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return base::Status::bad_request("bad CIDR address: " + std::string(text));
  Cidr c;
  c.base = *ip;
  int max_bits = ip->v4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    auto num = text.substr(slash + 1);
    if (num.empty() || num.size() > 3 || num.find_first_not_of("0123456789") != std::string_view::npos) {
      return base::Status::bad_request("bad CIDR prefix: " + std::string(text));
    }
    bits = std::stoi(std::string(num));
    if (bits > max_bits) return base::Status::bad_request("CIDR prefix too long: " + std::string(text));
  }
  c.prefix_bits = ip->v4 ? bits + 96 : bits;
  return c;
}

bool contains(const Cidr& cidr, const IpAddress& ip) {
  int bits = cidr.prefix_bits;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((cidr.base.bytes[i] & mask) != (ip.bytes[i] & mask)) return false;
  }
  return true;
}

bool contains_any(const std::vector<Cidr>& cidrs, const IpAddress& ip) {
  for (const auto& c : cidrs) {
    if (contains(c, ip)) return true;
  }
  return false;
}

std::string resolve_client_ip(std::string_view peer, std::string_view x_forwarded_for,
                              const std::vector<Cidr>& trusted) {
  auto peer_ip = parse_ip(peer);
  if (!peer_ip) return std::string(peer);
  if (!contains_any(trusted, *peer_ip) || x_forwarded_for.empty()) return format_ip(*peer_ip);
  auto hops = split_list(x_forwarded_for);
  IpAddress last = *peer_ip;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto hop = parse_ip(*it);
    if (!hop) break;  // garbage: trust nothing further left
    if (!contains_any(trusted, *hop)) return format_ip(*hop);
    last = *hop;
  }
  return format_ip(last);
}

}  // namespace parley::http

#include "http/message.hpp"

namespace parley::http {

base::Result<Request> build_request(std::string method, std::string_view target, std::vector<Header> headers,
                                    std::string body, std::string_view peer_ip, bool tls,
                                    const std::vector<Cidr>& trusted) {
  auto t = split_target(target);
  if (!t.ok()) return t.error();
  Request r;
  r.method = std::move(method);
  r.target = std::string(target);
  r.path = std::move(t->path);
  r.query = std::move(t->query);
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.client_ip = resolve_client_ip(peer_ip, r.header("X-Forwarded-For"), trusted);
  r.secure = tls;
  if (!tls) {
    auto peer = parse_ip(peer_ip);
    if (peer && contains_any(trusted, *peer)) {
      auto proto = split_list(r.header("X-Forwarded-Proto"));
      if (!proto.empty() && iequals(proto.back(), "https")) r.secure = true;
    }
  }
  return r;
}

}  // namespace parley::http
