#include "auth/auth_service.hpp"

#include <sodium.h>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include "auth/jwt.hpp"
#include "auth/throttle.hpp"
#include "auth/validation.hpp"
#include "base/thread_pool.hpp"
#include "base/ulid.hpp"

namespace parley::auth {
namespace {

using base::Result;
using base::Status;
using base::Task;

constexpr char kWrongCredentials[] = "wrong email or password";
constexpr std::size_t kRefreshSecretBytes = 32;
constexpr std::int64_t kMsPerDay = 24LL * 3600 * 1000;

// Stored form of a refresh token: BLAKE2b-256 of the secret, base64url.
std::string refresh_hash(std::string_view secret) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  return base::base64url_encode(std::span<const std::uint8_t>(out, sizeof out));
}

bool looks_like_refresh_token(std::string_view t) {
  if (t.size() != 43) return false;  // 32 bytes, unpadded base64url
  for (char c : t) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s.substr(0, 320));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

User to_user(const storage::UserRecord& r) { return User{r.id, r.email, r.display_name, r.created_at_ms}; }

struct KeyEntry {
  std::string public_key;
  std::string secret_key;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> retire_after_ms;
};

}  // namespace

struct AuthService::Impl {
  Impl(storage::Store& s, base::Clock& c, base::Random& r, AuthOptions o)
      : store(s),
        clock(c),
        random(r),
        options(std::move(o)),
        pool(static_cast<std::size_t>(std::max(1, options.hash_threads))),
        ulids(c, r),
        account_throttle(options.account_failures_per_window, options.throttle_window_s * 1000LL),
        ip_throttle(options.ip_failures_per_window, options.throttle_window_s * 1000LL) {}

  storage::Store& store;
  base::Clock& clock;
  base::Random& random;
  const AuthOptions options;
  base::ThreadPool pool;
  base::UlidGenerator ulids;
  std::optional<CommonPasswords> common;
  std::string dummy_hash;  // verified against when the e-mail is unknown

  Throttle account_throttle;
  Throttle ip_throttle;

  mutable std::shared_mutex keys_mutex;
  std::map<std::string, KeyEntry> keys;  // GUARDED_BY(keys_mutex)
  std::string signer_kid;                // GUARDED_BY(keys_mutex)
  std::atomic<bool> rotating{false};

  std::shared_mutex revoked_mutex;
  std::unordered_map<std::string, std::int64_t> revoked;  // session id -> revoked_at; GUARDED_BY(revoked_mutex)

  std::shared_mutex cache_mutex;
  std::unordered_map<std::string, Principal> cache;  // token -> principal; GUARDED_BY(cache_mutex)

  // Profiles by id, read on every `me` and (later) for every message sender.
  // Entries live kProfileTtlMs. Nothing edits a profile yet; whatever does
  // must erase the entry here, and other nodes' edits show within the TTL.
  static constexpr std::int64_t kProfileTtlMs = 5000;
  static constexpr std::size_t kProfileEntries = 20000;
  struct CachedProfile {
    User user;
    std::int64_t expires_steady_ms;
  };
  std::shared_mutex profiles_mutex;
  std::unordered_map<std::string, CachedProfile> profiles;  // GUARDED_BY(profiles_mutex)

  std::optional<User> cached_profile(const std::string& id) {
    std::shared_lock lock(profiles_mutex);
    auto it = profiles.find(id);
    if (it == profiles.end() || it->second.expires_steady_ms <= clock.steady_ms()) return std::nullopt;
    return it->second.user;
  }
  void remember_profile(const User& user) {
    std::unique_lock lock(profiles_mutex);
    if (profiles.size() >= kProfileEntries) profiles.clear();  // bounded; refills from the store
    profiles[user.id] = CachedProfile{user, clock.steady_ms() + kProfileTtlMs};
  }

  std::int64_t access_ttl_ms() const { return options.access_ttl_s * 1000LL; }
  std::int64_t leeway_ms() const { return options.clock_leeway_s * 1000LL; }

  // ------------------------------------------------------------ passwords

  Task<Result<std::string>> hash_password(std::string password) {
    auto ops = options.argon2_ops;
    auto mem = options.argon2_mem_bytes;
    auto task = pool.submit([password = std::move(password), ops, mem]() -> Result<std::string> {
      char out[crypto_pwhash_STRBYTES];
      if (crypto_pwhash_str(out, password.data(), password.size(), ops, mem) != 0) {
        return Status::internal("password hashing failed (out of memory?)");
      }
      return std::string(out);
    });
    co_return co_await std::move(task);
  }

  Task<bool> verify_password(std::string hash, std::string password) {
    auto task = pool.submit([hash = std::move(hash), password = std::move(password)]() -> bool {
      return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    });
    co_return co_await std::move(task);
  }

  // ------------------------------------------------------------ keys

  storage::SigningKeyRecord new_key_record() {
    std::string seed(jwt::kSeedBytes, '\0');
    random.fill({reinterpret_cast<std::uint8_t*>(seed.data()), seed.size()});
    storage::SigningKeyRecord rec;
    rec.kid = ulids.next();
    rec.algorithm = "EdDSA";
    std::string secret;
    jwt::keypair_from_seed(seed, rec.public_key, secret);
    sodium_memzero(seed.data(), seed.size());
    rec.private_key = std::move(secret);
    rec.created_at_ms = clock.now_ms();
    return rec;
  }

  // Rebuilds the in-memory key set from store records (oldest first).
  void install_keys(const std::vector<storage::SigningKeyRecord>& records) {
    std::unique_lock lock(keys_mutex);
    keys.clear();
    signer_kid.clear();
    std::int64_t newest = -1;
    for (const auto& r : records) {
      if (r.algorithm != "EdDSA" || r.public_key.size() != jwt::kPublicKeyBytes ||
          r.private_key.size() != jwt::kSecretKeyBytes) {
        continue;
      }
      keys[r.kid] = KeyEntry{r.public_key, r.private_key, r.created_at_ms, r.retire_after_ms};
      if (!r.retire_after_ms && r.created_at_ms >= newest) {
        newest = r.created_at_ms;
        signer_kid = r.kid;
      }
    }
  }

  Task<Status> load_keys() {
    {
      auto t = store.keys().retire_expired(clock.now_ms());
      PARLEY_CO_RETURN_IF_ERROR(co_await std::move(t));
    }
    auto t = store.keys().list_live();
    PARLEY_CO_ASSIGN_OR_RETURN(auto records, co_await std::move(t));
    install_keys(records);
    co_return Status::ok();
  }

  Task<Status> rotate_key() {
    storage::SigningKeyRecord rec = new_key_record();
    std::int64_t retire_after = clock.now_ms() + access_ttl_ms() + leeway_ms();
    auto t = store.keys().rotate(rec, retire_after);
    PARLEY_CO_RETURN_IF_ERROR(co_await std::move(t));
    std::unique_lock lock(keys_mutex);
    std::int64_t now = clock.now_ms();
    for (auto it = keys.begin(); it != keys.end();) {
      if (!it->second.retire_after_ms) it->second.retire_after_ms = retire_after;
      it = *it->second.retire_after_ms <= now ? keys.erase(it) : std::next(it);
    }
    keys[rec.kid] = KeyEntry{rec.public_key, rec.private_key, rec.created_at_ms, std::nullopt};
    signer_kid = rec.kid;
    co_return Status::ok();
  }

  // Rotates when the signer is older than key_rotation_days (one rotation at a time).
  Task<Status> ensure_fresh_signer() {
    bool stale;
    {
      std::shared_lock lock(keys_mutex);
      auto it = keys.find(signer_kid);
      stale = it == keys.end() ||
              clock.now_ms() - it->second.created_at_ms >= options.key_rotation_days * kMsPerDay;
    }
    if (!stale) co_return Status::ok();
    if (rotating.exchange(true)) co_return Status::ok();  // someone else is rotating; old key still valid
    auto t = rotate_key();
    Status st = co_await std::move(t);
    rotating = false;
    co_return st;
  }

  // ------------------------------------------------------------ tokens

  struct Access {
    std::string token;
    std::int64_t expires_at_ms;
  };

  Result<Access> sign_access(const std::string& user_id, const std::string& session_id) {
    std::shared_lock lock(keys_mutex);
    auto it = keys.find(signer_kid);
    if (it == keys.end()) return Status::internal("no signing key");
    jwt::Claims c;
    c.iss = options.issuer;
    c.sub = user_id;
    c.sid = session_id;
    c.iat = clock.now_s();
    c.exp = c.iat + options.access_ttl_s;
    return Access{jwt::sign(c, it->first, it->second.secret_key), c.exp * 1000};
  }

  bool is_revoked(const std::string& session_id) {
    std::shared_lock lock(revoked_mutex);
    return revoked.count(session_id) != 0;
  }

  void mark_revoked(const std::string& session_id, std::int64_t at_ms) {
    std::unique_lock lock(revoked_mutex);
    revoked[session_id] = at_ms;
    // A revoked session matters only while access tokens issued before the
    // revocation can still be valid.
    if (revoked.size() % 256 == 0) {
      std::int64_t horizon = clock.now_ms() - access_ttl_ms() - leeway_ms();
      for (auto r = revoked.begin(); r != revoked.end();) r = r->second < horizon ? revoked.erase(r) : std::next(r);
    }
  }

  Result<Principal> verify(std::string_view token) {
    const std::int64_t now_ms = clock.now_ms();
    std::optional<Principal> hit;
    if (options.token_cache_entries > 0) {
      std::shared_lock lock(cache_mutex);
      auto it = cache.find(std::string(token));
      if (it != cache.end()) hit = it->second;
    }
    if (hit) {
      if (hit->expires_at_ms + leeway_ms() < now_ms) return Status::unauthenticated("access token expired");
      if (is_revoked(hit->session_id)) return Status::unauthenticated("session revoked");
      return *hit;
    }

    PARLEY_ASSIGN_OR_RETURN(jwt::Parsed parsed, jwt::parse(token));
    {
      std::shared_lock lock(keys_mutex);
      auto it = keys.find(parsed.kid);
      if (it == keys.end() || (it->second.retire_after_ms && *it->second.retire_after_ms < now_ms)) {
        return Status::unauthenticated("unknown signing key");
      }
      if (!jwt::verify_signature(parsed, it->second.public_key)) {
        return Status::unauthenticated("bad token signature");
      }
    }
    const jwt::Claims& c = parsed.claims;
    if (c.iss != options.issuer) return Status::unauthenticated("wrong token issuer");
    const std::int64_t now_s = now_ms / 1000;
    if (now_s > c.exp + options.clock_leeway_s) return Status::unauthenticated("access token expired");
    if (c.iat > now_s + options.clock_leeway_s) return Status::unauthenticated("access token issued in the future");
    if (is_revoked(c.sid)) return Status::unauthenticated("session revoked");

    Principal p{c.sub, c.sid, c.exp * 1000};
    if (options.token_cache_entries > 0) {
      std::unique_lock lock(cache_mutex);
      if (cache.size() >= options.token_cache_entries) {
        for (auto it = cache.begin(); it != cache.end();) {
          it = it->second.expires_at_ms + leeway_ms() < now_ms ? cache.erase(it) : std::next(it);
        }
        // Still full of live tokens: start over rather than track recency.
        if (cache.size() >= options.token_cache_entries) cache.clear();
      }
      cache.emplace(std::string(token), p);
    }
    return p;
  }

  // Creates a session for `user` and its first token pair.
  Task<Result<AuthResult>> start_session(storage::UserRecord user, ClientInfo client) {
    {
      auto t = ensure_fresh_signer();
      PARLEY_CO_RETURN_IF_ERROR(co_await std::move(t));
    }
    const std::int64_t now = clock.now_ms();
    std::string secret = random.token(kRefreshSecretBytes);
    storage::SessionRecord rec;
    rec.id = ulids.next();
    rec.user_id = user.id;
    rec.created_at_ms = rec.last_used_at_ms = now;
    rec.expires_at_ms = now + options.refresh_ttl_s * 1000LL;
    rec.user_agent = client.user_agent.substr(0, 512);
    rec.ip = client.ip.substr(0, 64);
    auto t = store.sessions().create(rec, refresh_hash(secret));
    PARLEY_CO_ASSIGN_OR_RETURN(auto session, co_await std::move(t));
    PARLEY_CO_ASSIGN_OR_RETURN(Access access, sign_access(user.id, session.id));
    co_return AuthResult{std::move(access.token), std::move(secret), access.expires_at_ms, to_user(user), session.id};
  }

  // ------------------------------------------------------------ operations

  Task<Result<AuthResult>> sign_up(std::string email, std::string password, std::string display_name,
                                   ClientInfo client) {
    PARLEY_CO_ASSIGN_OR_RETURN(std::string norm_email, normalize_email(email));
    PARLEY_CO_RETURN_IF_ERROR(validate_password(password, common ? &*common : nullptr));
    PARLEY_CO_ASSIGN_OR_RETURN(std::string name, normalize_display_name(display_name));
    if (auto wait = ip_throttle.blocked_for(client.ip, clock.now_ms())) {
      co_return Status::rate_limited("too many failed attempts; try again later", *wait);
    }
    auto ht = hash_password(std::move(password));
    PARLEY_CO_ASSIGN_OR_RETURN(std::string hash, co_await std::move(ht));
    const std::int64_t now = clock.now_ms();
    storage::UserRecord rec{ulids.next(), norm_email, name, std::move(hash), now, now};
    auto ct = store.users().create(std::move(rec));
    auto created = co_await std::move(ct);
    if (!created.ok()) {
      if (created.status().code() == base::Code::Conflict) {
        // Probing for registered addresses through sign-up counts against the IP.
        (void)ip_throttle.try_acquire(client.ip, clock.now_ms());
        co_return Status::conflict("email already registered").with_field("email");
      }
      co_return std::move(created).take_error();
    }
    auto st = start_session(std::move(created).value(), std::move(client));
    co_return co_await std::move(st);
  }

  Task<Result<AuthResult>> sign_in(std::string email, std::string password, ClientInfo client) {
    const std::int64_t now = clock.now_ms();
    auto norm = normalize_email(email);
    const std::string account_key = norm.ok() ? *norm : lower_trimmed(email);
    if (auto wait = ip_throttle.try_acquire(client.ip, now)) {
      co_return Status::rate_limited("too many failed sign-in attempts; try again later", *wait);
    }
    if (auto wait = account_throttle.try_acquire(account_key, now)) {
      ip_throttle.refund(client.ip);
      co_return Status::rate_limited("too many failed sign-in attempts; try again later", *wait);
    }
    // From here every path does one Argon2 verification, so response time does
    // not reveal whether the account exists.
    if (password.size() > kMaxPasswordCodePoints * 4) password.resize(kMaxPasswordCodePoints * 4);
    std::optional<storage::UserRecord> user;
    if (norm.ok()) {
      auto ft = store.users().find_by_email(*norm);
      auto found = co_await std::move(ft);
      if (found.ok()) {
        user = std::move(found).value();
      } else if (found.status().code() != base::Code::NotFound) {
        ip_throttle.refund(client.ip);
        account_throttle.refund(account_key);
        co_return std::move(found).take_error();
      }
    }
    auto vt = verify_password(user ? user->password_hash : dummy_hash, password);
    bool ok = co_await std::move(vt);
    if (!user || !ok) co_return Status::unauthenticated(kWrongCredentials);

    account_throttle.reset(account_key);
    ip_throttle.refund(client.ip);
    if (crypto_pwhash_str_needs_rehash(user->password_hash.c_str(), options.argon2_ops, options.argon2_mem_bytes) !=
        0) {
      auto ht = hash_password(password);
      auto rehashed = co_await std::move(ht);
      if (rehashed.ok()) {
        auto ut = store.users().update_password_hash(user->id, *rehashed, clock.now_ms());
        (void)co_await std::move(ut);  // best effort: the old hash still works
      }
    }
    auto st = start_session(std::move(*user), std::move(client));
    co_return co_await std::move(st);
  }

  Task<Result<AuthResult>> refresh(std::string token, ClientInfo client) {
    if (!looks_like_refresh_token(token)) co_return Status::unauthenticated("invalid refresh token");
    {
      auto t = ensure_fresh_signer();
      PARLEY_CO_RETURN_IF_ERROR(co_await std::move(t));
    }
    const std::int64_t now = clock.now_ms();
    std::string next = random.token(kRefreshSecretBytes);
    auto rt = store.sessions().rotate(refresh_hash(token), refresh_hash(next), now, now + options.refresh_ttl_s * 1000LL);
    PARLEY_CO_ASSIGN_OR_RETURN(storage::RotateResult r, co_await std::move(rt));
    switch (r.outcome) {
      case storage::RotateOutcome::Rotated:
        break;
      case storage::RotateOutcome::Reused:
        mark_revoked(r.session.id, r.session.revoked_at_ms.value_or(now));
        co_return Status::unauthenticated("refresh token reuse detected; session revoked");
      case storage::RotateOutcome::Expired:
        co_return Status::unauthenticated("refresh token expired");
      case storage::RotateOutcome::Revoked:
      case storage::RotateOutcome::Unknown:
        co_return Status::unauthenticated("invalid refresh token");
    }
    auto ut = store.users().get(r.session.user_id);
    PARLEY_CO_ASSIGN_OR_RETURN(storage::UserRecord user, co_await std::move(ut));
    PARLEY_CO_ASSIGN_OR_RETURN(Access access, sign_access(user.id, r.session.id));
    co_return AuthResult{std::move(access.token), std::move(next), access.expires_at_ms, to_user(user), r.session.id};
  }

  Task<Status> revoke(std::string user_id, std::string session_id, bool missing_ok) {
    auto t = store.sessions().revoke(user_id, session_id, clock.now_ms());
    Status st = co_await std::move(t);
    if (st.is_ok() || (missing_ok && st.code() == base::Code::NotFound)) {
      mark_revoked(session_id, clock.now_ms());
      co_return Status::ok();
    }
    co_return st;
  }

  Task<Result<std::vector<SessionInfo>>> list_sessions(Principal p) {
    auto t = store.sessions().list_active(p.user_id, clock.now_ms());
    PARLEY_CO_ASSIGN_OR_RETURN(auto records, co_await std::move(t));
    std::vector<SessionInfo> out;
    out.reserve(records.size());
    for (auto& r : records) {
      out.push_back(SessionInfo{r.id, r.created_at_ms, r.last_used_at_ms, r.expires_at_ms, std::move(r.ip),
                                std::move(r.user_agent), r.id == p.session_id});
    }
    co_return out;
  }

  Task<Result<User>> get_user(std::string id) {
    if (auto hit = cached_profile(id)) co_return std::move(*hit);
    auto t = store.users().get(std::move(id));
    PARLEY_CO_ASSIGN_OR_RETURN(auto rec, co_await std::move(t));
    User user = to_user(rec);
    remember_profile(user);
    co_return user;
  }
};

AuthService::AuthService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuthService::~AuthService() = default;

base::Task<base::Result<std::unique_ptr<AuthService>>> AuthService::open(storage::Store& store, base::Clock& clock,
                                                                         base::Random& random, AuthOptions options) {
  if (sodium_init() < 0) co_return Status::internal("libsodium failed to initialise");
  if (options.access_ttl_s <= 0 || options.refresh_ttl_s <= 0 || options.key_rotation_days <= 0 ||
      options.throttle_window_s <= 0 || options.issuer.empty()) {
    co_return Status::bad_request("invalid auth options");
  }
  if (options.argon2_ops < crypto_pwhash_OPSLIMIT_MIN || options.argon2_mem_bytes < crypto_pwhash_MEMLIMIT_MIN) {
    co_return Status::bad_request("argon2 cost below libsodium's minimum");
  }
  std::optional<CommonPasswords> common;
  if (!options.common_passwords_file.empty()) {
    PARLEY_CO_ASSIGN_OR_RETURN(auto list, CommonPasswords::load(options.common_passwords_file));
    common = std::move(list);
  }
  auto impl = std::make_unique<Impl>(store, clock, random, std::move(options));
  impl->common = std::move(common);

  // The dummy hash has the configured cost so unknown e-mails cost the same.
  {
    auto ht = impl->hash_password(random.token(16));
    PARLEY_CO_ASSIGN_OR_RETURN(impl->dummy_hash, co_await std::move(ht));
  }
  {
    auto lt = impl->load_keys();
    PARLEY_CO_RETURN_IF_ERROR(co_await std::move(lt));
  }
  {
    auto et = impl->ensure_fresh_signer();  // creates the first key, or rotates a stale one
    PARLEY_CO_RETURN_IF_ERROR(co_await std::move(et));
  }
  {
    std::int64_t since = clock.now_ms() - impl->access_ttl_ms() - impl->leeway_ms();
    auto rt = store.sessions().list_revoked_since(since);
    PARLEY_CO_ASSIGN_OR_RETURN(auto ids, co_await std::move(rt));
    for (auto& id : ids) impl->revoked.emplace(std::move(id), clock.now_ms());
  }
  co_return std::unique_ptr<AuthService>(new AuthService(std::move(impl)));
}

base::Task<base::Result<AuthResult>> AuthService::sign_up(std::string email, std::string password,
                                                          std::string display_name, ClientInfo client) {
  return impl_->sign_up(std::move(email), std::move(password), std::move(display_name), std::move(client));
}
base::Task<base::Result<AuthResult>> AuthService::sign_in(std::string email, std::string password, ClientInfo client) {
  return impl_->sign_in(std::move(email), std::move(password), std::move(client));
}
base::Task<base::Result<AuthResult>> AuthService::refresh(std::string refresh_token, ClientInfo client) {
  return impl_->refresh(std::move(refresh_token), std::move(client));
}
base::Task<base::Status> AuthService::sign_out(Principal principal) {
  return impl_->revoke(principal.user_id, principal.session_id, /*missing_ok=*/true);
}
base::Result<Principal> AuthService::verify_access_token(std::string_view token) { return impl_->verify(token); }
base::Task<base::Result<std::vector<SessionInfo>>> AuthService::list_sessions(Principal principal) {
  return impl_->list_sessions(std::move(principal));
}
base::Task<base::Status> AuthService::revoke_session(Principal principal, std::string session_id) {
  return impl_->revoke(principal.user_id, std::move(session_id), /*missing_ok=*/false);
}
base::Task<base::Result<User>> AuthService::get_user(std::string user_id) { return impl_->get_user(std::move(user_id)); }
base::Task<base::Status> AuthService::rotate_signing_key() { return impl_->rotate_key(); }
base::Task<base::Result<std::int64_t>> AuthService::purge_expired() {
  Impl& impl = *impl_;
  {
    auto t = impl.store.keys().retire_expired(impl.clock.now_ms());
    PARLEY_CO_RETURN_IF_ERROR(co_await std::move(t));
  }
  auto t = impl.store.sessions().purge(impl.clock.now_ms() - impl.options.refresh_ttl_s * 1000LL);
  co_return co_await std::move(t);
}
std::string AuthService::current_kid() const {
  std::shared_lock lock(impl_->keys_mutex);
  return impl_->signer_kid;
}

}  // namespace parley::auth
