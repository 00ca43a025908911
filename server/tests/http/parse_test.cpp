#include "http/parse.hpp"

#include <gtest/gtest.h>

#include "http/message.hpp"

namespace parley::http {
namespace {

std::vector<Cidr> cidrs(std::initializer_list<const char*> list) {
  std::vector<Cidr> out;
  for (auto* c : list) out.push_back(*parse_cidr(c));
  return out;
}

TEST(PercentDecode, DecodesAndRejectsMalformed) {
  EXPECT_EQ(*percent_decode("/a%20b%2Fc"), "/a b/c");
  EXPECT_EQ(*percent_decode("a+b", true), "a b");
  EXPECT_EQ(*percent_decode("a+b", false), "a+b");
  EXPECT_FALSE(percent_decode("%").ok());
  EXPECT_FALSE(percent_decode("%4").ok());
  EXPECT_FALSE(percent_decode("%zz").ok());
  EXPECT_FALSE(percent_decode("a%00b").ok());
}

TEST(SplitTarget, OriginAndAbsoluteForms) {
  auto t = split_target("/x%2e%2e/y?a=1&b=%20");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/x../y");
  EXPECT_EQ(t->query, "a=1&b=%20");
  auto a = split_target("http://example.com/p?q");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->path, "/p");
  EXPECT_EQ(a->query, "q");
  EXPECT_EQ(split_target("http://example.com")->path, "/");
  EXPECT_FALSE(split_target("").ok());
  EXPECT_FALSE(split_target("example.com:443").ok());
}

TEST(QueryParam, FirstMatchDecoded) {
  EXPECT_EQ(find_query_param("a=1&b=x+y%21&a=2", "a"), "1");
  EXPECT_EQ(find_query_param("a=1&b=x+y%21", "b"), "x y!");
  EXPECT_EQ(find_query_param("flag&x=1", "flag"), "");
  EXPECT_EQ(find_query_param("x=1", "y"), std::nullopt);
  Request r;
  r.query = "token=ab%2Bc";
  EXPECT_EQ(r.query_param("token"), "ab+c");
}

TEST(Headers, CaseInsensitiveLookup) {
  Request r;
  r.headers = {{"Content-Type", "text/plain"}, {"X-A", "1"}, {"x-a", "2"}};
  EXPECT_EQ(r.header("content-type"), "text/plain");
  EXPECT_EQ(r.header("X-A"), "1");
  EXPECT_EQ(r.header("missing"), "");
}

TEST(AcceptEncoding, HonoursQZeroAndStar) {
  EXPECT_TRUE(accepts_encoding("gzip, deflate, br", "br"));
  EXPECT_TRUE(accepts_encoding("gzip;q=0.5", "gzip"));
  EXPECT_FALSE(accepts_encoding("gzip;q=0", "gzip"));
  EXPECT_FALSE(accepts_encoding("gzip", "br"));
  EXPECT_TRUE(accepts_encoding("*", "br"));
  EXPECT_FALSE(accepts_encoding("*;q=0", "br"));
  EXPECT_FALSE(accepts_encoding("", "br"));
}

TEST(Ip, ParsesForms) {
  EXPECT_EQ(format_ip(*parse_ip("1.2.3.4")), "1.2.3.4");
  EXPECT_EQ(format_ip(*parse_ip("1.2.3.4:8080")), "1.2.3.4");
  EXPECT_EQ(format_ip(*parse_ip("[2001:db8::1]:443")), "2001:db8::1");
  EXPECT_EQ(format_ip(*parse_ip("::ffff:10.0.0.1")), "10.0.0.1");
  EXPECT_FALSE(parse_ip("unknown"));
  EXPECT_FALSE(parse_ip("1.2.3.999"));
}

TEST(Cidr, Matching) {
  auto c = *parse_cidr("10.0.0.0/8");
  EXPECT_TRUE(contains(c, *parse_ip("10.9.8.7")));
  EXPECT_FALSE(contains(c, *parse_ip("11.0.0.1")));
  EXPECT_TRUE(contains(*parse_cidr("192.168.1.7"), *parse_ip("192.168.1.7")));
  EXPECT_FALSE(contains(*parse_cidr("192.168.1.7"), *parse_ip("192.168.1.8")));
  EXPECT_TRUE(contains(*parse_cidr("2001:db8::/32"), *parse_ip("2001:db8:1::5")));
  EXPECT_FALSE(contains(*parse_cidr("2001:db8::/32"), *parse_ip("10.0.0.1")));
  EXPECT_TRUE(contains(*parse_cidr("0.0.0.0/0"), *parse_ip("8.8.8.8")));
  EXPECT_FALSE(parse_cidr("10.0.0.0/33").ok());
  EXPECT_FALSE(parse_cidr("10.0.0.0/x").ok());
  EXPECT_FALSE(parse_cidr("nonsense/8").ok());
}

TEST(XForwardedFor, RightMostUntrustedHop) {
  auto trusted = cidrs({"127.0.0.0/8", "10.0.0.0/8"});
  // Untrusted peer: header ignored (it could be forged).
  EXPECT_EQ(resolve_client_ip("198.51.100.1", "1.1.1.1", trusted), "198.51.100.1");
  // Trusted peer: walk right to left past trusted proxies.
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "203.0.113.7", trusted), "203.0.113.7");
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3", trusted), "203.0.113.7");
  // A client-supplied (spoofed) left part does not win.
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "1.2.3.4,203.0.113.7", trusted), "203.0.113.7");
  // All hops trusted: the left-most.
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "10.0.0.5, 10.0.0.6", trusted), "10.0.0.5");
  // Garbage stops the walk at the last trusted hop.
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "203.0.113.7, garbage, 10.0.0.9", trusted), "10.0.0.9");
  // Ports and IPv6 brackets.
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "[2001:db8::7]:5000", trusted), "2001:db8::7");
  // No header: the peer.
  EXPECT_EQ(resolve_client_ip("127.0.0.1", "", trusted), "127.0.0.1");
}

TEST(BuildRequest, SecureFromTrustedProxyOnly) {
  auto trusted = cidrs({"127.0.0.1/32"});
  std::vector<Header> h = {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-For", "9.9.9.9"}};
  auto r = build_request("GET", "/a?b=1", h, "", "127.0.0.1", false, trusted);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->secure);
  EXPECT_EQ(r->client_ip, "9.9.9.9");
  auto u = build_request("GET", "/a", h, "", "192.0.2.1", false, trusted);
  EXPECT_FALSE(u->secure);
  EXPECT_EQ(u->client_ip, "192.0.2.1");
  EXPECT_FALSE(build_request("GET", "/a%zz", {}, "", "1.2.3.4", false, {}).ok());
}

}  // namespace
}  // namespace parley::http
