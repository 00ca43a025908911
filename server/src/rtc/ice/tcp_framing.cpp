#include "rtc/ice/tcp_framing.hpp"

#include <algorithm>

namespace parley::rtc::ice {

base::Result<std::vector<std::uint8_t>> frame_for_tcp(std::span<const std::uint8_t> message) {
  if (message.size() > 0xFFFF) return base::Status::bad_request("ice-tcp: message larger than 65535 bytes");
  std::vector<std::uint8_t> out(2 + message.size());
  out[0] = static_cast<std::uint8_t>(message.size() >> 8);
  out[1] = static_cast<std::uint8_t>(message.size());
  std::copy(message.begin(), message.end(), out.begin() + 2);
  return out;
}

}  // namespace parley::rtc::ice
