// Injected randomness. Secrets (tokens, keys, salts) come from a Random&;
// production uses the OS CSPRNG, tests a seeded deterministic generator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>

namespace parley::base {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;  // thread-safe
  std::uint64_t next_u64();
  // `n` random bytes encoded as unpadded base64url (for tokens).
  std::string token(std::size_t n);
};

// libsodium's randombytes (getrandom(2)). Cryptographically secure.
class SystemRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
  static SystemRandom& instance();
};

// Deterministic (splitmix64) for tests. Never for secrets.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::mutex mutex_;
  std::uint64_t state_;  // GUARDED_BY(mutex_)
};

// Unpadded base64url (RFC 4648 section 5), as JWTs and tokens use it.
std::string base64url_encode(std::span<const std::uint8_t> data);
std::string base64url_encode(std::string_view data);
// Accepts unpadded or padded input; false on any character outside the alphabet.
bool base64url_decode(std::string_view text, std::string& out);

}  // namespace parley::base
