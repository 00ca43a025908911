// Store: the one persistence interface domain services talk to. No SQL and no
// backend types here; backends (sqlite/, later postgres/) implement it.
//
// Contracts shared by every method:
//  - Each returns a lazy base::Task; the work starts when awaited. The awaiting
//    coroutine resumes on the executor that was current when it suspended
//    (base::Completion), never on a store thread, unless it had none.
//  - Mutations complete only after their transaction has committed durably
//    (per the backend's durability setting). A failed mutation changed nothing.
//  - Errors: NOT_FOUND for absent rows, CONFLICT for uniqueness violations,
//    UNAVAILABLE when the store is shutting down or busy, INTERNAL otherwise.
//  - Timestamps are Unix epoch milliseconds, supplied by the caller (the store
//    never reads a clock for domain data), so tests control time.
//  - All methods are thread-safe. The Store must outlive every Task it returned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "base/task.hpp"
#include "storage/chat_store.hpp"

namespace parley::storage {

using StatusTask = base::Task<base::Status>;

// ---------------------------------------------------------------- users

struct UserRecord {
  std::string id;             // ULID
  std::string email;          // normalised by the caller; unique
  std::string display_name;
  std::string password_hash;  // an encoded hash string (e.g. "$argon2id$...")
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  // CONFLICT "email already registered" when the email exists (also for an id clash).
  virtual StoreTask<UserRecord> create(UserRecord user) = 0;
  virtual StoreTask<UserRecord> get(std::string id) = 0;                 // NOT_FOUND
  virtual StoreTask<UserRecord> find_by_email(std::string email) = 0;    // NOT_FOUND
  virtual StatusTask update_password_hash(std::string id, std::string hash, std::int64_t now_ms) = 0;
  virtual StatusTask update_display_name(std::string id, std::string name, std::int64_t now_ms) = 0;
};

// ---------------------------------------------------------------- sessions

struct SessionRecord {
  std::string id;  // ULID
  std::string user_id;
  std::int64_t created_at_ms = 0;
  std::int64_t last_used_at_ms = 0;
  std::int64_t expires_at_ms = 0;            // refresh expiry; slides on rotation
  std::optional<std::int64_t> revoked_at_ms;
  std::string user_agent;
  std::string ip;
};

// Outcome of presenting a refresh token (see SessionStore::rotate).
enum class RotateOutcome {
  Rotated,  // old token marked used, new token stored, session extended
  Reused,   // the token was already used: the session (whole family) is now revoked
  Unknown,  // no such token
  Expired,  // the session's refresh lifetime ended
  Revoked,  // the session had been revoked (sign-out, revoke, earlier reuse)
};
std::string_view rotate_outcome_name(RotateOutcome o);

struct RotateResult {
  RotateOutcome outcome = RotateOutcome::Unknown;
  SessionRecord session;  // filled for every outcome except Unknown
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Inserts the session and its first refresh token (hash) in one transaction.
  // NOT_FOUND if the user does not exist.
  virtual StoreTask<SessionRecord> create(SessionRecord session, std::string refresh_hash) = 0;
  virtual StoreTask<SessionRecord> get(std::string id) = 0;  // NOT_FOUND
  // Sessions of `user_id` neither revoked nor expired at `now_ms`, newest first.
  virtual StoreTask<std::vector<SessionRecord>> list_active(std::string user_id, std::int64_t now_ms) = 0;
  // Revokes session `id` if it belongs to `user_id` and is not yet revoked;
  // NOT_FOUND otherwise (someone else's sessions are invisible).
  virtual StatusTask revoke(std::string user_id, std::string id, std::int64_t now_ms) = 0;
  // Ids of sessions revoked at or after `since_ms` (for verifiers' deny lists).
  virtual StoreTask<std::vector<std::string>> list_revoked_since(std::int64_t since_ms) = 0;
  // Housekeeping: deletes sessions that expired or were revoked before
  // `before_ms` (with their refresh tokens) and used refresh tokens older than
  // `before_ms` (a replay of one then reads as Unknown instead of Reused).
  // Returns the number of sessions deleted.
  virtual StoreTask<std::int64_t> purge(std::int64_t before_ms) = 0;
  // Atomically consumes refresh token `old_hash`: exactly one of any number of
  // concurrent rotations of the same token can return Rotated. On Rotated the
  // session's last_used_at becomes now_ms and expires_at new_expires_at_ms.
  // On Reused the session is revoked at now_ms (and stays revoked).
  virtual StoreTask<RotateResult> rotate(std::string old_hash, std::string new_hash, std::int64_t now_ms,
                                         std::int64_t new_expires_at_ms) = 0;
};

// ---------------------------------------------------------------- signing keys

struct SigningKeyRecord {
  std::string kid;
  std::string algorithm;    // "EdDSA"
  std::string public_key;   // raw bytes
  std::string private_key;  // raw bytes (stored as is; encryption at rest is a follow-up)
  std::int64_t created_at_ms = 0;
  // The key stops signing when a newer key exists; it keeps verifying until
  // retire_after_ms (unset = still the signer or not yet scheduled).
  std::optional<std::int64_t> retire_after_ms;
  std::optional<std::int64_t> retired_at_ms;  // set once it no longer verifies
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual StatusTask insert(SigningKeyRecord key) = 0;  // CONFLICT on duplicate kid
  // Every key not yet retired (retired_at unset), oldest first.
  virtual StoreTask<std::vector<SigningKeyRecord>> list_live() = 0;
  // Inserts `new_key` and, in the same transaction, sets retire_after_ms on
  // every other live key that has none yet (they stop signing, keep verifying).
  virtual StatusTask rotate(SigningKeyRecord new_key, std::int64_t retire_after_ms) = 0;
  // Marks keys whose retire_after_ms <= now_ms as retired.
  virtual StatusTask retire_expired(std::int64_t now_ms) = 0;
};

// ---------------------------------------------------------------- store

struct StoreStats {
  std::uint64_t write_ops = 0;     // mutations applied (succeeded or failed)
  std::uint64_t failed_ops = 0;    // mutations that rolled back on their own
  std::uint64_t commits = 0;       // transactions committed (one fsync each)
  std::uint64_t read_ops = 0;
  int schema_version = 0;
};

class Store {
 public:
  virtual ~Store() = default;  // drains queued writes, then stops the store's threads
  virtual UserStore& users() = 0;
  virtual SessionStore& sessions() = 0;
  virtual KeyStore& keys() = 0;
  virtual ChatStore& chat() = 0;
  virtual StoreStats stats() const = 0;
};

}  // namespace parley::storage
