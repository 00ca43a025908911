#include "base/status.hpp"

namespace parley::base {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::Ok: return "OK";
    case Code::BadRequest: return "BAD_REQUEST";
    case Code::Unauthenticated: return "UNAUTHENTICATED";
    case Code::Forbidden: return "FORBIDDEN";
    case Code::NotFound: return "NOT_FOUND";
    case Code::Conflict: return "CONFLICT";
    case Code::RateLimited: return "RATE_LIMITED";
    case Code::LimitExceeded: return "LIMIT_EXCEEDED";
    case Code::Unavailable: return "UNAVAILABLE";
    case Code::Internal: return "INTERNAL";
  }
  return "INTERNAL";
}

std::string Status::to_string() const {
  if (is_ok()) return "OK";
  std::string s(code_name(code_));
  s += ": ";
  s += message_;
  return s;
}

}  // namespace parley::base
