// An IPv4 or IPv6 transport address as STUN and ICE see it: no sockets, no
// name resolution; a value type that hashes and compares by its bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::rtc {

struct SocketAddress {
  enum class Family : std::uint8_t { V4 = 1, V6 = 2 };  // STUN's family codes

  Family family = Family::V4;
  std::array<std::uint8_t, 16> ip{};  // V4 uses the first four bytes
  std::uint16_t port = 0;

  // "192.0.2.1" or "2001:db8::1" (no brackets, no zone); nullopt otherwise.
  static std::optional<SocketAddress> from_string(std::string_view ip, std::uint16_t port);
  std::size_t ip_size() const { return family == Family::V4 ? 4 : 16; }
  std::string ip_string() const;  // inet_ntop form
  std::string to_string() const;  // "192.0.2.1:3478", "[2001:db8::1]:3478"

  friend bool operator==(const SocketAddress& a, const SocketAddress& b) {
    return a.family == b.family && a.port == b.port && a.ip == b.ip;
  }
};

}  // namespace parley::rtc
