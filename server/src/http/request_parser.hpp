// One-shot, pure HTTP/1.1 request parsing with the server's limits: the same
// Beast parser settings and Request building the server uses, minus sockets.
// Used by the fuzz target and by tests; the server itself parses
// incrementally from the socket.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/parse.hpp"

namespace parley::http {

struct ParseLimits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
};

struct ParsedRequest {
  int error_status = 0;   // 0, or the status the server would answer: 400, 413, 431
  bool complete = false;  // a whole request was parsed (error_status == 0)
  std::size_t consumed = 0;  // bytes of `bytes` used by this request
  Request request;        // valid when complete
};

ParsedRequest parse_request(std::string_view bytes, const ParseLimits& limits, std::string_view peer_ip = "127.0.0.1",
                            const std::vector<Cidr>& trusted = {});

}  // namespace parley::http
