#include "turn/ice_servers.hpp"

#include <gtest/gtest.h>

namespace parley::turn {
namespace {

// RFC 2202 section 3, test cases 1 and 2 (HMAC-SHA1), as base64:
//   printf 'b617318655057264e28bc0b6fb378c8ef146be00' | xxd -r -p | base64
//   printf 'what do ya want for nothing?' | openssl dgst -sha1 -hmac Jefe -binary | base64
TEST(HmacSha1Base64, Rfc2202Vectors) {
  EXPECT_EQ(hmac_sha1_base64(std::string(20, '\x0b'), "Hi There"), "thcxhlUFcmTii8C2+zeMjvFGvgA=");
  EXPECT_EQ(hmac_sha1_base64("Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

// The vector was computed outside Parley:
//   printf '1700003600:01HZXAMPLEUSER0000000000AB' |
//     openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
TEST(Credential, CoturnRestApiFormat) {
  auto c = make_credential("north-wind-secret", "01HZXAMPLEUSER0000000000AB", 1'700'000'000, 3600);
  EXPECT_EQ(c.expires_at_s, 1'700'003'600);
  EXPECT_EQ(c.username, "1700003600:01HZXAMPLEUSER0000000000AB");
  EXPECT_EQ(c.password, "OYBbATTUMRifKGc5QIZLiLBe7ho=");
}

TEST(Credential, DependsOnSecretUserAndTime) {
  auto a = make_credential("s1", "U1", 1000, 60);
  EXPECT_NE(a.password, make_credential("s2", "U1", 1000, 60).password);
  EXPECT_NE(a.password, make_credential("s1", "U2", 1000, 60).password);
  EXPECT_NE(a.password, make_credential("s1", "U1", 1001, 60).password);
  EXPECT_EQ(a.password, make_credential("s1", "U1", 1000, 60).password);
}

TEST(IceServers, NothingConfiguredMeansNoServers) {
  base::ManualClock clock;
  EXPECT_TRUE(ice_servers(TurnOptions{}, "U1", clock).empty());
}

TEST(IceServers, StunOnlyHasNoCredentials) {
  base::ManualClock clock;
  TurnOptions o;
  o.stun_urls = {"stun:stun.example.org:3478"};
  auto servers = ice_servers(o, "U1", clock);
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].urls, (std::vector<std::string>{"stun:stun.example.org:3478"}));
  EXPECT_FALSE(servers[0].username);
  EXPECT_FALSE(servers[0].credential);
  EXPECT_FALSE(servers[0].expires_at_ms);
}

TEST(IceServers, StunEntryThenTurnEntryWithFreshCredential) {
  base::ManualClock clock(1'700'000'000'500);  // 500 ms past a whole second: the expiry counts whole seconds
  TurnOptions o;
  o.stun_urls = {"stun:a.example:3478"};
  o.urls = {"stun:turn.example:3478", "turn:turn.example:3478?transport=udp",
            "turns:turn.example:5349?transport=tcp"};
  o.secret = "north-wind-secret";
  o.ttl_s = 3600;
  auto servers = ice_servers(o, "01HZXAMPLEUSER0000000000AB", clock);
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0].urls, (std::vector<std::string>{"stun:a.example:3478", "stun:turn.example:3478"}));
  EXPECT_FALSE(servers[0].username);
  const auto& relay = servers[1];
  EXPECT_EQ(relay.urls, (std::vector<std::string>{"turn:turn.example:3478?transport=udp",
                                                  "turns:turn.example:5349?transport=tcp"}));
  EXPECT_EQ(relay.username, "1700003600:01HZXAMPLEUSER0000000000AB");
  EXPECT_EQ(relay.credential, "OYBbATTUMRifKGc5QIZLiLBe7ho=");
  EXPECT_EQ(relay.expires_at_ms, 1'700'003'600'000);

  // An hour later the credential is a new one with a later expiry.
  clock.advance_ms(3600 * 1000);
  auto later = ice_servers(o, "01HZXAMPLEUSER0000000000AB", clock);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[1].username, "1700007200:01HZXAMPLEUSER0000000000AB");
  EXPECT_EQ(later[1].expires_at_ms, 1'700'007'200'000);
  EXPECT_NE(later[1].credential, relay.credential);
}

TEST(IceServers, TtlComesFromOptions) {
  base::ManualClock clock(1'700'000'000'000);
  TurnOptions o;
  o.urls = {"turn:127.0.0.1:3478"};
  o.secret = "s";
  o.ttl_s = 60;
  auto servers = ice_servers(o, "U", clock);
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].username, "1700000060:U");
  EXPECT_EQ(servers[0].expires_at_ms, 1'700'000'060'000);
}

}  // namespace
}  // namespace parley::turn
