#include "rtc/socket_address.hpp"

#include <arpa/inet.h>

namespace parley::rtc {

std::optional<SocketAddress> SocketAddress::from_string(std::string_view ip, std::uint16_t port) {
  if (ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  ip.copy(text, ip.size());
  SocketAddress a;
  a.port = port;
  if (inet_pton(AF_INET, text, a.ip.data()) == 1) {
    a.family = Family::V4;
    return a;
  }
  if (inet_pton(AF_INET6, text, a.ip.data()) == 1) {
    a.family = Family::V6;
    return a;
  }
  return std::nullopt;
}

std::string SocketAddress::ip_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::V4 ? AF_INET : AF_INET6, ip.data(), text, sizeof text);
  return text;
}

std::string SocketAddress::to_string() const {
  if (family == Family::V4) return ip_string() + ":" + std::to_string(port);
  return "[" + ip_string() + "]:" + std::to_string(port);
}

}  // namespace parley::rtc
