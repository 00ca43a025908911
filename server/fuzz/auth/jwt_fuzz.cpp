// libFuzzer target: arbitrary bytes as an access token. parse() must never
// crash, and a token signed by one key must never verify under another.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto keys = [] {
    std::string pub, sec;
    parley::auth::jwt::keypair_from_seed(std::string(parley::auth::jwt::kSeedBytes, '\x07'), pub, sec);
    return pub;
  }();
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto parsed = parley::auth::jwt::parse(token);
  if (parsed.ok()) {
    // Random input that verifies against a key nobody used to sign it would be a forgery.
    if (parley::auth::jwt::verify_signature(*parsed, keys)) __builtin_trap();
  }
  return 0;
}
