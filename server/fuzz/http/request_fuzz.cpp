// Fuzzes the HTTP request path: Beast's parser with the server's limits, then
// Parley's own code on whatever it yields (target splitting and decoding,
// query parameters, header lookup, X-Forwarded-For resolution, routing,
// Accept-Encoding). Nothing a peer sends may crash.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "http/parse.hpp"
#include "http/request_parser.hpp"
#include "http/router.hpp"

namespace {
using namespace parley::http;

const Router& router() {
  static const Router* r = [] {
    auto* r = new Router;
    auto h = [](Request&) -> parley::base::Task<Response> { co_return Response::text(200, "x"); };
    r->add("GET", "/a", h);
    r->add("POST", "/graphql", h);
    r->add_prefix("GET", "/files/", h);
    r->add_prefix("PUT", "/files/private/", h);
    r->add_websocket("/graphql", {"graphql-transport-ws"}, nullptr);
    return r;
  }();
  return *r;
}

const std::vector<Cidr>& trusted() {
  static const std::vector<Cidr> t = {*parse_cidr("127.0.0.0/8"), *parse_cidr("10.0.0.0/8"),
                                      *parse_cidr("2001:db8::/32")};
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseLimits limits{2048, 4096};
  std::size_t offset = 0;
  for (int i = 0; i < 4 && offset < bytes.size(); ++i) {  // a few pipelined requests
    auto parsed = parse_request(bytes.substr(offset), limits, "127.0.0.1", trusted());
    if (!parsed.complete || parsed.consumed == 0) break;
    offset += parsed.consumed;
    const Request& req = parsed.request;
    (void)router().match(req.method, req.path);
    (void)router().websocket(req.path);
    (void)req.query_param("q");
    (void)req.query_param("");
    (void)accepts_encoding(req.header("Accept-Encoding"), "br");
    (void)split_list(req.header("Sec-WebSocket-Protocol"));
    (void)resolve_client_ip(req.header("X-Real-Peer").empty() ? "10.1.1.1" : req.header("X-Real-Peer"),
                            req.header("X-Forwarded-For"), trusted());
    for (const auto& h : req.headers) (void)parse_cidr(h.value);
  }
  // The pure helpers on raw input too.
  (void)split_target(bytes);
  (void)percent_decode(bytes, true);
  (void)find_query_param(bytes, "a");
  (void)resolve_client_ip("127.0.0.1", bytes, trusted());
  return 0;
}
