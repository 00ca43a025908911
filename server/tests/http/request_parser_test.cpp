#include "http/request_parser.hpp"

#include <gtest/gtest.h>

namespace parley::http {
namespace {

TEST(RequestParser, ParsesOneRequestAndReportsConsumedBytes) {
  std::string two = "POST /a%20b?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n";
  auto r = parse_request(two, {});
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.request.method, "POST");
  EXPECT_EQ(r.request.path, "/a b");
  EXPECT_EQ(r.request.query_param("x"), "1");
  EXPECT_EQ(r.request.body, "abc");
  EXPECT_EQ(two.substr(r.consumed), "GET / HTTP/1.1\r\n\r\n");
}

TEST(RequestParser, LimitsAndErrorsMapToStatuses) {
  ParseLimits small{64, 10};
  EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", small).error_status, 431);
  EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", small).error_status, 413);
  EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nb\r\nhello world\r\n0\r\n\r\n", small)
                .error_status,
            413);
  EXPECT_EQ(parse_request("G@T / HTTP/1.1\r\n\r\n", {}).error_status, 400);
  EXPECT_EQ(parse_request("GET /%zz HTTP/1.1\r\n\r\n", {}).error_status, 400);
  auto partial = parse_request("GET / HTTP/1.1\r\nHost:", {});
  EXPECT_EQ(partial.error_status, 0);
  EXPECT_FALSE(partial.complete);
}

}  // namespace
}  // namespace parley::http
