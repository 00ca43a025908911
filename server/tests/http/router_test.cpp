#include "http/router.hpp"

#include <gtest/gtest.h>

namespace parley::http {
namespace {

Handler ok() {
  return [](Request&) -> base::Task<Response> { co_return Response::text(200, "ok"); };
}

TEST(Router, ExactPrefixAndMethods) {
  Router r;
  r.add("GET", "/a", ok());
  r.add("POST", "/a", ok());
  r.add_prefix("GET", "/files/", ok());
  r.add_prefix("PUT", "/files/private/", ok());

  auto m = r.match("GET", "/a");
  EXPECT_EQ(m.kind, Router::MatchKind::Found);
  EXPECT_EQ(m.route, "/a");
  EXPECT_EQ(r.match("HEAD", "/a").kind, Router::MatchKind::Found);

  auto bad = r.match("DELETE", "/a");
  EXPECT_EQ(bad.kind, Router::MatchKind::MethodNotAllowed);
  EXPECT_EQ(bad.allow, "GET, HEAD, POST");

  auto f = r.match("GET", "/files/x/y");
  EXPECT_EQ(f.kind, Router::MatchKind::Found);
  EXPECT_EQ(f.route, "/files/*");

  // The longest prefix owns the path; GET is not allowed there.
  auto p = r.match("GET", "/files/private/k");
  EXPECT_EQ(p.kind, Router::MatchKind::MethodNotAllowed);
  EXPECT_EQ(p.allow, "PUT");
  EXPECT_EQ(r.match("PUT", "/files/private/k").route, "/files/private/*");

  EXPECT_EQ(r.match("GET", "/nothing").kind, Router::MatchKind::NotFound);
  EXPECT_EQ(r.match("GET", "/a/").kind, Router::MatchKind::NotFound);
}

TEST(Router, WebSocketRoutes) {
  Router r;
  r.add_websocket("/graphql", {"graphql-transport-ws"}, nullptr);
  ASSERT_NE(r.websocket("/graphql"), nullptr);
  EXPECT_EQ(r.websocket("/graphql")->subprotocols[0], "graphql-transport-ws");
  EXPECT_EQ(r.websocket("/other"), nullptr);
}

}  // namespace
}  // namespace parley::http
