#include "auth/auth_service.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <atomic>
#include <set>
#include <thread>

#include "auth/jwt.hpp"
#include "base/random.hpp"
#include "base/temp_dir.hpp"
#include "base/task.hpp"
#include "base/ulid.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace parley::auth {
namespace {

using base::Code;
using base::sync_wait;

using base::TempDir;

constexpr char kPassword[] = "correct horse battery";

AuthOptions cheap_options() {
  AuthOptions o;
  o.argon2_ops = crypto_pwhash_OPSLIMIT_MIN;
  o.argon2_mem_bytes = crypto_pwhash_MEMLIMIT_MIN;
  o.common_passwords_file = std::string(PARLEY_SOURCE_DIR) + "/data/common-passwords.txt";
  return o;
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = storage::open_sqlite({dir_.path() / "auth.db"}, clock_);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    store_ = std::move(s).value();
    auth_ = open(cheap_options());
    ASSERT_NE(auth_, nullptr);
  }

  std::unique_ptr<AuthService> open(AuthOptions o) {
    auto r = sync_wait(AuthService::open(*store_, clock_, random_, std::move(o)));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  AuthResult sign_up(const std::string& email, const std::string& ip = "198.51.100.1") {
    auto r = sync_wait(auth_->sign_up(email, kPassword, "Alice", {ip, "test"}));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : AuthResult{};
  }
  base::Result<AuthResult> sign_in(const std::string& email, const std::string& password,
                                   const std::string& ip = "198.51.100.1") {
    return sync_wait(auth_->sign_in(email, password, {ip, "test"}));
  }
  Principal principal_of(const AuthResult& a) {
    auto p = auth_->verify_access_token(a.access_token);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? *p : Principal{};
  }

  TempDir dir_;
  base::ManualClock clock_;
  base::SeededRandom random_{42};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AuthService> auth_;
};

// Splits a JWT into its three base64url parts.
std::vector<std::string> parts(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0, dot;
  while ((dot = token.find('.', start)) != std::string::npos) {
    out.push_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  out.push_back(token.substr(start));
  return out;
}
std::string decode(const std::string& part) {
  std::string out;
  base::base64url_decode(part, out);
  return out;
}

// ------------------------------------------------------------ sign-up

TEST_F(AuthServiceTest, SignUpNormalisesTheEmailAndReturnsAWorkingSession) {
  auto r = sync_wait(auth_->sign_up("  Alice@Example.COM ", kPassword, "  Alice  ", {"198.51.100.1", "ua"}));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->user.email, "alice@example.com");
  EXPECT_EQ(r->user.display_name, "Alice");
  EXPECT_TRUE(base::is_valid_ulid(r->user.id));
  EXPECT_EQ(r->refresh_token.size(), 43u);
  EXPECT_EQ(r->access_expires_at_ms, clock_.now_s() * 1000 + 900'000);
  Principal p = principal_of(*r);
  EXPECT_EQ(p.user_id, r->user.id);
  EXPECT_EQ(p.session_id, r->session_id);
  auto u = sync_wait(auth_->get_user(r->user.id));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->email, "alice@example.com");
  EXPECT_EQ(sync_wait(auth_->get_user("01ARZ3NDEKTSV4RRFFQ69G5FAV")).status().code(), Code::NotFound);
  // The password is stored as an Argon2id hash only.
  auto rec = sync_wait(store_->users().get(r->user.id));
  EXPECT_EQ(rec->password_hash.rfind("$argon2id$", 0), 0u);
}

TEST_F(AuthServiceTest, SignUpConflictsOnATakenEmailInAnyCase) {
  sign_up("alice@example.com");
  auto r = sync_wait(auth_->sign_up("ALICE@example.com", "another good one", "Other", {"198.51.100.1", ""}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::Conflict);
  EXPECT_EQ(r.status().message(), "email already registered");
  EXPECT_EQ(r.status().field(), "email");
}

TEST_F(AuthServiceTest, SignUpReportsTheOffendingField) {
  auto bad = [&](std::string email, std::string password, std::string name) {
    return sync_wait(auth_->sign_up(email, password, name, {"198.51.100.1", ""})).status();
  };
  EXPECT_EQ(bad("not-an-email", kPassword, "A").field(), "email");
  EXPECT_EQ(bad("a@example.com", "short", "A").field(), "password");
  auto common = bad("a@example.com", "QWERTYUIOP", "A");
  EXPECT_EQ(common.code(), Code::BadRequest);
  EXPECT_EQ(common.field(), "password");
  EXPECT_EQ(bad("a@example.com", "abcdefghij\xff", "A").field(), "password");
  EXPECT_EQ(bad("a@example.com", kPassword, "\x01").field(), "displayName");
  EXPECT_EQ(bad("a@example.com", kPassword, "").field(), "displayName");
  // Nothing was created by the failed attempts.
  EXPECT_EQ(sync_wait(store_->users().find_by_email("a@example.com")).status().code(), Code::NotFound);
}

// ------------------------------------------------------------ sign-in

TEST_F(AuthServiceTest, SignInSucceedsAndFailsIdenticallyForUnknownEmails) {
  sign_up("alice@example.com");
  auto ok = sign_in("Alice@Example.com", kPassword);
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ(ok->user.email, "alice@example.com");
  principal_of(*ok);

  auto wrong_password = sign_in("alice@example.com", "wrong password!");
  auto unknown_email = sign_in("bob@example.com", kPassword);
  auto invalid_email = sign_in("bob", kPassword);
  for (const auto* r : {&wrong_password, &unknown_email, &invalid_email}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), Code::Unauthenticated);
    EXPECT_EQ(r->status().message(), "wrong email or password");
    EXPECT_EQ(r->status().field(), "");
  }
}

TEST_F(AuthServiceTest, AccountThrottleRefusesAfterFiveFailuresUntilTheWindowPasses) {
  sign_up("alice@example.com");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sign_in("alice@example.com", "wrong password!", "198.51.100." + std::to_string(i)).status().code(),
              Code::Unauthenticated);
  }
  clock_.advance_ms(60'000);
  // Even the right password is refused now, from any IP, without hashing.
  auto limited = sign_in("ALICE@example.com", kPassword, "203.0.113.9");
  ASSERT_EQ(limited.status().code(), Code::RateLimited);
  EXPECT_EQ(limited.status().retry_after_s(), 900 - 60);
  clock_.advance_ms(840'000);
  EXPECT_TRUE(sign_in("alice@example.com", kPassword).ok());
}

TEST_F(AuthServiceTest, SuccessfulSignInResetsTheAccountCounter) {
  sign_up("alice@example.com");
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(sign_in("alice@example.com", "wrong password!").ok());
  EXPECT_TRUE(sign_in("alice@example.com", kPassword).ok());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sign_in("alice@example.com", "wrong password!").status().code(), Code::Unauthenticated);
  }
  EXPECT_TRUE(sign_in("alice@example.com", kPassword).ok());
}

TEST_F(AuthServiceTest, AThousandWrongPasswordsAreMostlyRefusedBeforeHashing) {
  sign_up("alice@example.com");
  int unauthenticated = 0, limited = 0;
  for (int i = 0; i < 1000; ++i) {
    auto r = sign_in("alice@example.com", "guess number " + std::to_string(i));
    if (r.status().code() == Code::Unauthenticated) ++unauthenticated;
    if (r.status().code() == Code::RateLimited) ++limited;
  }
  EXPECT_EQ(unauthenticated, 5);
  EXPECT_EQ(limited, 995);
}

TEST_F(AuthServiceTest, IpThrottleSpansAccounts) {
  const std::string ip = "192.0.2.77";
  for (int i = 0; i < 50; ++i) {
    auto r = sign_in("user" + std::to_string(i) + "@example.com", kPassword, ip);
    EXPECT_EQ(r.status().code(), Code::Unauthenticated) << i;
  }
  auto limited = sign_in("someone-else@example.com", kPassword, ip);
  ASSERT_EQ(limited.status().code(), Code::RateLimited);
  EXPECT_EQ(limited.status().retry_after_s(), 900);
  // Another address is unaffected.
  EXPECT_EQ(sign_in("someone-else@example.com", kPassword, "192.0.2.78").status().code(), Code::Unauthenticated);
}

TEST_F(AuthServiceTest, RehashesOnSignInWhenTheCostChanged) {
  AuthResult a = sign_up("alice@example.com");
  auto before = sync_wait(store_->users().get(a.user.id))->password_hash;
  AuthOptions o = cheap_options();
  o.argon2_ops = crypto_pwhash_OPSLIMIT_MIN + 1;
  auth_ = open(o);
  ASSERT_TRUE(sign_in("alice@example.com", kPassword).ok());
  auto after = sync_wait(store_->users().get(a.user.id))->password_hash;
  EXPECT_NE(before, after);
  EXPECT_NE(after.find("t=2"), std::string::npos) << after;
  EXPECT_TRUE(sign_in("alice@example.com", kPassword).ok());
}

// ------------------------------------------------------------ access tokens

TEST_F(AuthServiceTest, AccessTokenHeaderAndClaims) {
  AuthResult a = sign_up("alice@example.com");
  auto p = parts(a.access_token);
  ASSERT_EQ(p.size(), 3u);
  auto header = decode(p[0]);
  EXPECT_NE(header.find("\"alg\":\"EdDSA\""), std::string::npos) << header;
  EXPECT_NE(header.find("\"typ\":\"JWT\""), std::string::npos);
  EXPECT_NE(header.find("\"kid\":\"" + auth_->current_kid() + "\""), std::string::npos);
  auto claims = decode(p[1]);
  EXPECT_NE(claims.find("\"sub\":\"" + a.user.id + "\""), std::string::npos) << claims;
  EXPECT_NE(claims.find("\"sid\":\"" + a.session_id + "\""), std::string::npos);
  EXPECT_NE(claims.find("\"iss\":\"parley\""), std::string::npos);
  EXPECT_NE(claims.find("\"exp\":" + std::to_string(clock_.now_s() + 900)), std::string::npos);
}

TEST_F(AuthServiceTest, RejectsForgedAndMalformedTokens) {
  AuthResult a = sign_up("alice@example.com");
  auto p = parts(a.access_token);
  auto expect_rejected = [&](const std::string& token, const char* why) {
    auto r = auth_->verify_access_token(token);
    EXPECT_FALSE(r.ok()) << why;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::Unauthenticated) << why;
    }
  };
  std::string kid = auth_->current_kid();
  expect_rejected(base::base64url_encode(std::string(R"({"alg":"none","typ":"JWT"})")) + "." + p[1] + ".", "alg none");
  expect_rejected(base::base64url_encode(R"({"alg":"none","typ":"JWT","kid":")" + kid + "\"}") + "." + p[1] + "." +
                      p[2],
                  "alg none with kid");
  expect_rejected(base::base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":")" + kid + "\"}") + "." + p[1] + "." +
                      p[2],
                  "alg HS256");
  // Tampered payload: another user's id under the original signature.
  std::string claims = decode(p[1]);
  std::string forged = claims;
  forged.replace(forged.find(a.user.id), a.user.id.size(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  expect_rejected(p[0] + "." + base::base64url_encode(forged) + "." + p[2], "tampered payload");
  // Unknown kid.
  std::string header = decode(p[0]);
  header.replace(header.find(kid), kid.size(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  expect_rejected(base::base64url_encode(header) + "." + p[1] + "." + p[2], "unknown kid");
  // Flipped signature bit.
  std::string sig = decode(p[2]);
  sig[10] ^= 1;
  expect_rejected(p[0] + "." + p[1] + "." + base::base64url_encode(sig), "bad signature");
  expect_rejected("", "empty");
  expect_rejected("a.b", "two parts");
  expect_rejected("a.b.c.d", "four parts");
  expect_rejected(p[0] + ".@@@." + p[2], "bad base64url");
  expect_rejected(base::base64url_encode(std::string("not json")) + "." + p[1] + "." + p[2], "bad json");
  expect_rejected(base::base64url_encode(std::string("[1,2]")) + "." + p[1] + "." + p[2], "json not an object");
  EXPECT_TRUE(auth_->verify_access_token(a.access_token).ok());
}

TEST_F(AuthServiceTest, RejectsATokenOfAnotherIssuer) {
  AuthOptions o = cheap_options();
  o.issuer = "other";
  auto other = open(o);  // same store, so the same keys
  AuthResult a = sign_up("alice@example.com");
  auto r = other->verify_access_token(a.access_token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::Unauthenticated);
  EXPECT_EQ(r.status().message(), "wrong token issuer");
}

TEST_F(AuthServiceTest, TokensExpireAfterTheTtlPlusLeewayEvenWhenCached) {
  AuthResult a = sign_up("alice@example.com");
  ASSERT_TRUE(auth_->verify_access_token(a.access_token).ok());  // now cached
  clock_.advance_ms(900'000 + 30'000);
  EXPECT_TRUE(auth_->verify_access_token(a.access_token).ok());  // within leeway
  clock_.advance_ms(2'000);
  auto r = auth_->verify_access_token(a.access_token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::Unauthenticated);
  // And uncached, through a fresh service.
  auto fresh = open(cheap_options());
  EXPECT_EQ(fresh->verify_access_token(a.access_token).status().code(), Code::Unauthenticated);
}

TEST_F(AuthServiceTest, KeyRotationKeepsOldTokensValidAndSignsWithTheNewKid) {
  AuthResult before = sign_up("alice@example.com");
  std::string old_kid = auth_->current_kid();
  ASSERT_TRUE(sync_wait(auth_->rotate_signing_key()).is_ok());
  std::string new_kid = auth_->current_kid();
  EXPECT_NE(old_kid, new_kid);
  auto after = sign_in("alice@example.com", kPassword);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(decode(parts(after->access_token)[0]).find(new_kid), std::string::npos);
  EXPECT_TRUE(auth_->verify_access_token(before.access_token).ok());
  // A restarted node loads both keys.
  auto restarted = open(cheap_options());
  EXPECT_EQ(restarted->current_kid(), new_kid);
  EXPECT_TRUE(restarted->verify_access_token(before.access_token).ok());
  EXPECT_TRUE(restarted->verify_access_token(after->access_token).ok());
}

TEST_F(AuthServiceTest, SigningKeyRotatesAutomaticallyAfterTheConfiguredPeriod) {
  AuthResult a = sign_up("alice@example.com");
  std::string first = auth_->current_kid();
  clock_.advance_ms(29LL * 24 * 3600 * 1000);
  auto r1 = sync_wait(auth_->refresh(a.refresh_token, {"198.51.100.1", "ua"}));
  ASSERT_TRUE(r1.ok()) << r1.status().to_string();
  EXPECT_EQ(auth_->current_kid(), first);
  clock_.advance_ms(1LL * 24 * 3600 * 1000);
  auto r2 = sync_wait(auth_->refresh(r1->refresh_token, {"198.51.100.1", "ua"}));
  ASSERT_TRUE(r2.ok()) << r2.status().to_string();
  EXPECT_NE(auth_->current_kid(), first);
  EXPECT_NE(decode(parts(r2->access_token)[0]).find(auth_->current_kid()), std::string::npos);
}

// ------------------------------------------------------------ refresh

TEST_F(AuthServiceTest, RefreshRotatesAndReuseRevokesTheWholeFamily) {
  AuthResult a = sign_up("alice@example.com");
  clock_.advance_ms(1000);
  auto r1 = sync_wait(auth_->refresh(a.refresh_token, {"198.51.100.1", "ua"}));
  ASSERT_TRUE(r1.ok()) << r1.status().to_string();
  EXPECT_NE(r1->refresh_token, a.refresh_token);
  EXPECT_EQ(r1->session_id, a.session_id);
  EXPECT_EQ(r1->user.id, a.user.id);
  EXPECT_TRUE(auth_->verify_access_token(r1->access_token).ok());

  // The old token again: an attacker (or a replay). The session dies.
  auto replay = sync_wait(auth_->refresh(a.refresh_token, {"203.0.113.5", "evil"}));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.status().code(), Code::Unauthenticated);
  auto next = sync_wait(auth_->refresh(r1->refresh_token, {"198.51.100.1", "ua"}));
  EXPECT_EQ(next.status().code(), Code::Unauthenticated);
  EXPECT_EQ(auth_->verify_access_token(r1->access_token).status().code(), Code::Unauthenticated);
  EXPECT_EQ(auth_->verify_access_token(a.access_token).status().code(), Code::Unauthenticated);
}

TEST_F(AuthServiceTest, RefreshRejectsGarbageAndExpiresButSlidesWithUse) {
  AuthResult a = sign_up("alice@example.com");
  EXPECT_EQ(sync_wait(auth_->refresh("nonsense", {})).status().code(), Code::Unauthenticated);
  EXPECT_EQ(sync_wait(auth_->refresh(std::string(43, 'A'), {})).status().code(), Code::Unauthenticated);
  // Sliding: refresh every 20 days, well past the 30-day TTL in total.
  std::string token = a.refresh_token;
  for (int i = 0; i < 3; ++i) {
    clock_.advance_ms(20LL * 24 * 3600 * 1000);
    auto r = sync_wait(auth_->refresh(token, {}));
    ASSERT_TRUE(r.ok()) << i << r.status().to_string();
    token = r->refresh_token;
  }
  clock_.advance_ms(30LL * 24 * 3600 * 1000);
  auto expired = sync_wait(auth_->refresh(token, {}));
  EXPECT_EQ(expired.status().code(), Code::Unauthenticated);
  EXPECT_EQ(expired.status().message(), "refresh token expired");
}

TEST_F(AuthServiceTest, ConcurrentRefreshesOfOneTokenHaveOneWinner) {
  AuthResult a = sign_up("alice@example.com");
  std::vector<base::Task<base::Result<AuthResult>>> tasks;
  for (int i = 0; i < 6; ++i) tasks.push_back(auth_->refresh(a.refresh_token, {"198.51.100.1", "ua"}));
  auto results = sync_wait(base::when_all(std::move(tasks)));
  int winners = 0;
  for (auto& r : results) {
    if (r.ok()) {
      ++winners;
    } else {
      EXPECT_EQ(r.status().code(), Code::Unauthenticated);
    }
  }
  EXPECT_EQ(winners, 1);
}

// ------------------------------------------------------------ sessions

TEST_F(AuthServiceTest, SignOutInvalidatesTheCachedAccessToken) {
  AuthResult a = sign_up("alice@example.com");
  Principal p = principal_of(a);  // cached now
  ASSERT_TRUE(sync_wait(auth_->sign_out(p)).is_ok());
  EXPECT_EQ(auth_->verify_access_token(a.access_token).status().code(), Code::Unauthenticated);
  EXPECT_EQ(sync_wait(auth_->refresh(a.refresh_token, {})).status().code(), Code::Unauthenticated);
  EXPECT_TRUE(sync_wait(auth_->sign_out(p)).is_ok());  // idempotent
  // A node started later learns the revocation from the store.
  auto restarted = open(cheap_options());
  EXPECT_EQ(restarted->verify_access_token(a.access_token).status().code(), Code::Unauthenticated);
}

TEST_F(AuthServiceTest, ListsAndRevokesOnlyOwnSessions) {
  AuthResult first = sign_up("alice@example.com");
  clock_.advance_ms(1000);
  auto second = sign_in("alice@example.com", kPassword, "203.0.113.20");
  ASSERT_TRUE(second.ok());
  AuthResult bob = sign_up("bob@example.com");
  Principal alice = principal_of(*second);

  auto list = sync_wait(auth_->list_sessions(alice));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, second->session_id);
  EXPECT_TRUE((*list)[0].current);
  EXPECT_EQ((*list)[0].ip, "203.0.113.20");
  EXPECT_FALSE((*list)[1].current);

  EXPECT_EQ(sync_wait(auth_->revoke_session(alice, bob.session_id)).code(), Code::NotFound);
  EXPECT_TRUE(auth_->verify_access_token(bob.access_token).ok());
  EXPECT_EQ(sync_wait(auth_->revoke_session(alice, "no-such-session")).code(), Code::NotFound);

  ASSERT_TRUE(sync_wait(auth_->revoke_session(alice, first.session_id)).is_ok());
  EXPECT_EQ(auth_->verify_access_token(first.access_token).status().code(), Code::Unauthenticated);
  EXPECT_TRUE(auth_->verify_access_token(second->access_token).ok());
  list = sync_wait(auth_->list_sessions(alice));
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, second->session_id);
}

TEST_F(AuthServiceTest, UncachedVerificationWorksToo) {
  AuthOptions o = cheap_options();
  o.token_cache_entries = 0;
  auth_ = open(o);
  AuthResult a = sign_up("alice@example.com");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(auth_->verify_access_token(a.access_token).ok());
  ASSERT_TRUE(sync_wait(auth_->sign_out(principal_of(a))).is_ok());
  EXPECT_FALSE(auth_->verify_access_token(a.access_token).ok());
}

// Whatever a peer sends as a bearer token never crashes the verifier, and no
// mutation of a valid token is accepted as another principal.
TEST_F(AuthServiceTest, MutatedTokensNeverVerifyAsSomeoneElse) {
  AuthResult a = sign_up("alice@example.com");
  base::SeededRandom rng(7);
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=\"{}:, ";
  alphabet += std::string("\0\xff", 2);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string t = a.access_token;
    int edits = 1 + static_cast<int>(rng.next_u64() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      std::size_t pos = rng.next_u64() % t.size();
      switch (rng.next_u64() % 3) {
        case 0: t[pos] = alphabet[rng.next_u64() % alphabet.size()]; break;
        case 1: t.erase(pos, 1 + rng.next_u64() % 8); break;
        default: t.insert(pos, 1, alphabet[rng.next_u64() % alphabet.size()]); break;
      }
    }
    auto r = auth_->verify_access_token(t);
    if (r.ok()) {
      ++accepted;  // only possible when the edit left the signed bytes intact (e.g. base64 padding)
      EXPECT_EQ(r->user_id, a.user.id);
      EXPECT_EQ(r->session_id, a.session_id);
    } else {
      EXPECT_EQ(r.status().code(), Code::Unauthenticated);
    }
  }
  EXPECT_LT(accepted, 200);
}

TEST_F(AuthServiceTest, VerificationIsThreadSafeWhileSessionsAreRevoked) {
  std::vector<AuthResult> sessions;
  for (int i = 0; i < 8; ++i) sessions.push_back(sign_up("user" + std::to_string(i) + "@example.com"));
  std::atomic<bool> stop{false};
  std::atomic<long> checks{0};
  std::vector<std::thread> verifiers;
  for (int t = 0; t < 3; ++t) {
    verifiers.emplace_back([&] {
      while (!stop) {
        for (auto& s : sessions) {
          auto r = auth_->verify_access_token(s.access_token);
          if (r.ok()) {
            EXPECT_EQ(r->session_id, s.session_id);
          }
          checks.fetch_add(1);
        }
      }
    });
  }
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(sync_wait(auth_->sign_out(principal_of(sessions[i]))).is_ok());
  stop = true;
  for (auto& v : verifiers) v.join();
  EXPECT_GT(checks.load(), 0);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(auth_->verify_access_token(sessions[i].access_token).ok(), i >= 4) << i;
}

TEST_F(AuthServiceTest, PurgeRemovesSessionsDeadForLongerThanTheRefreshTtl) {
  AuthResult gone = sign_up("alice@example.com");
  AuthResult kept = sign_up("bob@example.com");
  ASSERT_TRUE(sync_wait(auth_->sign_out(principal_of(gone))).is_ok());
  clock_.advance_ms(20LL * 24 * 3600 * 1000);
  auto r = sync_wait(auth_->refresh(kept.refresh_token, {}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*sync_wait(auth_->purge_expired()), 0);
  clock_.advance_ms(11LL * 24 * 3600 * 1000);
  EXPECT_EQ(*sync_wait(auth_->purge_expired()), 1);
  EXPECT_EQ(sync_wait(store_->sessions().get(gone.session_id)).status().code(), Code::NotFound);
  EXPECT_TRUE(sync_wait(auth_->refresh(r->refresh_token, {})).ok());
}

TEST_F(AuthServiceTest, OpenRefusesAMissingCommonPasswordList) {
  AuthOptions o = cheap_options();
  o.common_passwords_file = "/nonexistent/list.txt";
  auto r = sync_wait(AuthService::open(*store_, clock_, random_, o));
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace parley::auth
