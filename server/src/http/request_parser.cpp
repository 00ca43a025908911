#include "http/request_parser.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace parley::http {
namespace bhttp = boost::beast::http;

ParsedRequest parse_request(std::string_view bytes, const ParseLimits& limits, std::string_view peer_ip,
                            const std::vector<Cidr>& trusted) {
  ParsedRequest out;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
  parser.body_limit(limits.max_body_bytes);
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    std::size_t n = parser.put(boost::asio::buffer(bytes.data() + out.consumed, bytes.size() - out.consumed), ec);
    out.consumed += n;
    if (ec == bhttp::error::need_more) {
      if (out.consumed >= bytes.size()) break;
      ec = {};
      if (n == 0) break;
      continue;
    }
    if (ec) break;
    if (n == 0 && !parser.is_done()) break;
  }
  if (ec == bhttp::error::header_limit) {
    out.error_status = 431;
    return out;
  }
  if (ec == bhttp::error::body_limit) {
    out.error_status = 413;
    return out;
  }
  if (ec && ec != bhttp::error::need_more) {
    out.error_status = 400;
    return out;
  }
  if (!parser.is_done()) return out;  // need more bytes
  auto msg = parser.release();
  std::vector<Header> headers;
  for (const auto& f : msg) headers.push_back({std::string(f.name_string()), std::string(f.value())});
  auto built = build_request(std::string(msg.method_string()), msg.target(), std::move(headers), std::move(msg.body()),
                             peer_ip, false, trusted);
  if (!built.ok()) {
    out.error_status = 400;
    return out;
  }
  out.request = std::move(built).value();
  out.complete = true;
  return out;
}

}  // namespace parley::http
