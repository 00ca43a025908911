// AuthService: accounts, passwords, sessions and tokens. Pure domain logic on
// base::Task over storage::Store; no HTTP, GraphQL or Asio here.
//
// Threading: every method is thread-safe. Coroutine methods resume on the
// caller's executor; Argon2id hashing runs on the service's own worker pool
// (AuthOptions::hash_threads), never on the caller's thread.
// Lifetime: the Store, Clock and Random passed to open() must outlive the
// service, and the service must outlive every Task it returned.
//
// Errors (base::Status codes): BAD_REQUEST with a field for invalid input,
// CONFLICT for a taken e-mail, UNAUTHENTICATED for wrong credentials and any
// invalid, expired or revoked token, RATE_LIMITED (retry_after_s) when
// throttled, NOT_FOUND for someone else's or an unknown session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/status.hpp"
#include "base/task.hpp"
#include "storage/store.hpp"

namespace parley::auth {

struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

struct User {
  std::string id, email, display_name;
  std::int64_t created_at_ms = 0;
};

struct AuthResult {
  std::string access_token;   // JWT, EdDSA-signed
  std::string refresh_token;  // opaque: 32 random bytes, base64url (43 chars); single use
  std::int64_t access_expires_at_ms = 0;
  User user;
  std::string session_id;
};

// Who is calling, as proven by a verified access token.
struct Principal {
  std::string user_id;
  std::string session_id;
  std::int64_t expires_at_ms = 0;
};

struct SessionInfo {
  std::string id;
  std::int64_t created_at_ms = 0, last_used_at_ms = 0, expires_at_ms = 0;
  std::string ip, user_agent;
  bool current = false;  // the session of the principal that asked
};

struct AuthOptions {
  std::string issuer = "parley";
  int access_ttl_s = 900;
  int refresh_ttl_s = 30 * 24 * 3600;  // sliding: every refresh extends it
  int key_rotation_days = 30;          // age at which a new signing key takes over
  // Argon2id cost (OWASP: m=19 MiB, t=2, p=1). libsodium always uses p=1.
  std::uint64_t argon2_ops = 2;
  std::size_t argon2_mem_bytes = 19 * 1024 * 1024;
  int account_failures_per_window = 5;
  int ip_failures_per_window = 50;
  int throttle_window_s = 900;
  std::string common_passwords_file;  // empty = none
  int hash_threads = 1;
  // Additions beyond the first contract:
  int clock_leeway_s = 30;              // tolerated skew for exp / iat
  std::size_t token_cache_entries = 10000;  // verified-token cache bound; 0 disables it
};

class AuthService {
 public:
  // Creates or loads signing keys; loads the revoked-session set. Must be awaited before use.
  static base::Task<base::Result<std::unique_ptr<AuthService>>> open(storage::Store& store, base::Clock& clock,
                                                                    base::Random& random, AuthOptions options);
  ~AuthService();

  // Validates and normalises input (see validation.hpp), creates the user and a first session.
  base::Task<base::Result<AuthResult>> sign_up(std::string email, std::string password, std::string display_name,
                                               ClientInfo client);
  // UNAUTHENTICATED "wrong email or password" for an unknown e-mail and a wrong
  // password alike (same message, same Argon2 work). Throttled per account and
  // per IP before any hashing.
  base::Task<base::Result<AuthResult>> sign_in(std::string email, std::string password, ClientInfo client);
  // Exchanges a refresh token for a new access + refresh token pair. A token
  // presented twice revokes its whole session (all tokens derived from it).
  base::Task<base::Result<AuthResult>> refresh(std::string refresh_token, ClientInfo client);
  base::Task<base::Status> sign_out(Principal principal);
  // Synchronous, thread-safe, cached: checks signature, kid, alg, iss, exp and
  // that the session has not been revoked.
  base::Result<Principal> verify_access_token(std::string_view token);
  base::Task<base::Result<std::vector<SessionInfo>>> list_sessions(Principal principal);
  base::Task<base::Status> revoke_session(Principal principal, std::string session_id);
  base::Task<base::Result<User>> get_user(std::string user_id);
  // Makes a new signing key the signer now; older keys keep verifying until
  // every token they signed has expired.
  base::Task<base::Status> rotate_signing_key();

  // Housekeeping, to be run periodically (e.g. hourly): deletes sessions dead
  // for longer than the refresh TTL, used refresh tokens as old, and retired
  // signing keys. Returns the number of sessions deleted.
  base::Task<base::Result<std::int64_t>> purge_expired();

  // The kid that signs new tokens (for tests and operators).
  std::string current_kid() const;

 private:
  struct Impl;
  explicit AuthService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::auth
