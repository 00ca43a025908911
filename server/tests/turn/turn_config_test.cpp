// The [turn] section of base/config (kept beside the module that uses it).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "base/config.hpp"

namespace parley::base {
namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  Environment fn() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

const char* kProdBase = R"(
[server]
profile = "prod"
trusted_proxies = ["10.0.0.0/8"]
[auth]
secret = "0123456789abcdef0123456789abcdef-auth"
)";

TEST(TurnConfig, DefaultsServeNothing) {
  FakeEnv env;
  auto c = load_config("", env.fn());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_TRUE(c->turn.urls.empty());
  EXPECT_TRUE(c->turn.stun_urls.empty());
  EXPECT_TRUE(c->turn.secret.empty());
  EXPECT_EQ(c->turn.ttl_s, 3600);
}

TEST(TurnConfig, FileThenEnvironment) {
  FakeEnv env{{{"PARLEY_TURN_SECRET", "from-env"},
               {"PARLEY_TURN_TTL_S", "600"},
               {"PARLEY_TURN_URLS", "turn:127.0.0.1:3478?transport=udp, turn:127.0.0.1:3478?transport=tcp"}}};
  auto c = load_config_text(R"(
[turn]
urls = ["turns:turn.example:5349"]
stun_urls = ["stun:turn.example:3478"]
secret = "from-file"
)",
                            env.fn());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->turn.urls, (std::vector<std::string>{"turn:127.0.0.1:3478?transport=udp",
                                                    "turn:127.0.0.1:3478?transport=tcp"}));
  EXPECT_EQ(c->turn.stun_urls, (std::vector<std::string>{"stun:turn.example:3478"}));
  EXPECT_EQ(c->turn.secret, "from-env");
  EXPECT_EQ(c->turn.ttl_s, 600);
}

TEST(TurnConfig, TurnUrlNeedsASecret) {
  FakeEnv env{{{"PARLEY_TURN_URLS", "turn:127.0.0.1:3478"}}};
  auto c = load_config("", env.fn());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("turn.secret"), std::string::npos) << c.error().message();
  // STUN alone needs none.
  FakeEnv stun{{{"PARLEY_TURN_URLS", "stun:127.0.0.1:3478"}}};
  EXPECT_TRUE(load_config("", stun.fn()).ok());
}

TEST(TurnConfig, RejectsOtherSchemesAndBadTtl) {
  FakeEnv env;
  auto http = load_config_text("[turn]\nurls = [\"http://turn.example\"]\nsecret = \"s\"\n", env.fn());
  ASSERT_FALSE(http.ok());
  EXPECT_NE(http.error().message().find("turn.urls"), std::string::npos);
  auto turn_in_stun = load_config_text("[turn]\nstun_urls = [\"turn:turn.example\"]\n", env.fn());
  ASSERT_FALSE(turn_in_stun.ok());
  EXPECT_NE(turn_in_stun.error().message().find("turn.stun_urls"), std::string::npos);
  auto ttl = load_config_text("[turn]\nttl_s = 0\n", env.fn());
  ASSERT_FALSE(ttl.ok());
  EXPECT_NE(ttl.error().message().find("turn.ttl_s"), std::string::npos);
  auto typo = load_config_text("[turn]\nsecrets = \"s\"\n", env.fn());
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message().find("turn.secrets"), std::string::npos);
}

TEST(TurnConfig, ProdRefusesAShortSecretOnlyWhenTurnIsConfigured) {
  FakeEnv none;
  EXPECT_TRUE(load_config_text(kProdBase, none.fn()).ok());

  FakeEnv weak{{{"PARLEY_TURN_URLS", "turn:turn.example:3478"}, {"PARLEY_TURN_SECRET", "short"}}};
  auto c = load_config_text(kProdBase, weak.fn());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("turn.secret"), std::string::npos) << c.error().message();

  FakeEnv strong{{{"PARLEY_TURN_URLS", "turn:turn.example:3478"},
                  {"PARLEY_TURN_SECRET", "a-long-random-secret-of-40-characters-xx"}}};
  EXPECT_TRUE(load_config_text(kProdBase, strong.fn()).ok());

  // dev accepts a short one (a developer's coturn), but not none.
  EXPECT_TRUE(load_config_text("", weak.fn()).ok());
}

TEST(TurnConfig, KeysAreListed) {
  auto keys = config_keys();
  for (const char* k : {"turn.urls (PARLEY_TURN_URLS)", "turn.stun_urls (PARLEY_TURN_STUN_URLS)",
                        "turn.secret (PARLEY_TURN_SECRET)", "turn.ttl_s (PARLEY_TURN_TTL_S)"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << k;
  }
}

}  // namespace
}  // namespace parley::base
