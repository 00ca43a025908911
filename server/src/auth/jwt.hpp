// JSON Web Tokens (RFC 7519) in the one shape Parley issues: JWS compact
// serialisation, header {"alg":"EdDSA","typ":"JWT","kid":...} (RFC 8037),
// claims iss, sub, sid, iat, exp. Pure: no clock, no key store; the caller
// supplies keys and the time.
//
//   base64url(header) "." base64url(claims) "." base64url(ed25519 signature)
//   the signature covers the ASCII bytes before the second dot.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.hpp"

namespace parley::auth::jwt {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;  // libsodium's seed||public form
inline constexpr std::size_t kSeedBytes = 32;

struct Claims {
  std::string iss;
  std::string sub;  // user id
  std::string sid;  // session id
  std::int64_t iat = 0;  // seconds since the epoch
  std::int64_t exp = 0;
};

// A parsed but NOT yet verified token.
struct Parsed {
  std::string kid;
  Claims claims;
  std::string_view signing_input;  // points into the token passed to parse()
  std::string signature;           // 64 raw bytes
};

// Derives an Ed25519 key pair from a 32-byte seed.
void keypair_from_seed(std::string_view seed, std::string& public_key, std::string& secret_key);

// Signs `claims` with `secret_key` (64 bytes) under `kid`.
std::string sign(const Claims& claims, std::string_view kid, std::string_view secret_key);

// Splits and decodes; rejects (UNAUTHENTICATED) malformed structure, base64url
// or JSON, any alg but "EdDSA" (including "none"), a typ other than "JWT",
// a missing kid and missing or mistyped claims. Does not check the signature.
base::Result<Parsed> parse(std::string_view token);

// True when `signature` is a valid Ed25519 signature of `signing_input`.
bool verify_signature(const Parsed& parsed, std::string_view public_key);

}  // namespace parley::auth::jwt
