#include "base/config.hpp"

#include <gtest/gtest.h>

#include <map>

#include "base/log.hpp"

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

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  FakeEnv env;
  auto c = load_config("", env.fn());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(c->server.data_dir, "./var");
  EXPECT_EQ(c->server.profile, Profile::Dev);
  EXPECT_EQ(c->auth.access_ttl_s, 900);
}

TEST(Config, FileThenEnvironmentOverride) {
  FakeEnv env{{{"PARLEY_SERVER_LISTEN", "0.0.0.0:9000"}, {"PARLEY_LIMITS_MAX_BODY_BYTES", "2048"},
               {"PARLEY_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.0.0/16"}}};
  auto c = load_config_text(R"(
[server]
listen = "127.0.0.1:1"
data_dir = "/srv/parley"
[limits]
max_body_bytes = 4096
idle_timeout_s = 30
)",
                            env.fn());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->server.listen, "0.0.0.0:9000");
  EXPECT_EQ(c->server.data_dir, "/srv/parley");
  EXPECT_EQ(c->limits.max_body_bytes, 2048);
  EXPECT_EQ(c->limits.idle_timeout_s, 30);
  EXPECT_EQ(c->server.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "192.168.0.0/16"}));
}

TEST(Config, ErrorsNameTheKey) {
  FakeEnv env;
  auto typo = load_config_text("[server]\nlisten_addr = \"x\"\n", env.fn());
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message().find("server.listen_addr"), std::string::npos);

  auto section = load_config_text("[sever]\nlisten = \"x\"\n", env.fn());
  ASSERT_FALSE(section.ok());
  EXPECT_NE(section.error().message().find("[sever]"), std::string::npos);

  auto type = load_config_text("[limits]\nmax_body_bytes = \"big\"\n", env.fn());
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error().message().find("limits.max_body_bytes must be an integer"), std::string::npos);

  FakeEnv bad_env{{{"PARLEY_LIMITS_IDLE_TIMEOUT_S", "soon"}}};
  auto env_err = load_config("", bad_env.fn());
  ASSERT_FALSE(env_err.ok());
  EXPECT_NE(env_err.error().message().find("PARLEY_LIMITS_IDLE_TIMEOUT_S"), std::string::npos);

  auto syntax = load_config_text("[server\n", env.fn());
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.error().message().find("line 1"), std::string::npos);

  auto negative = load_config_text("[limits]\nmax_header_bytes = 0\n", env.fn());
  EXPECT_FALSE(negative.ok());
}

TEST(Config, ProdRefusesDefaultSecretAndPlainHttp) {
  FakeEnv env{{{"PARLEY_SERVER_PROFILE", "prod"}}};
  auto c = load_config("", env.fn());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("auth.secret"), std::string::npos);

  env.vars["PARLEY_AUTH_SECRET"] = "0123456789abcdef0123456789abcdef-long-enough";
  c = load_config("", env.fn());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("TLS"), std::string::npos);

  env.vars["PARLEY_SERVER_TRUSTED_PROXIES"] = "127.0.0.1/32";
  c = load_config("", env.fn());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->server.profile, Profile::Prod);

  env.vars["PARLEY_SERVER_PROFILE"] = "staging";
  EXPECT_FALSE(load_config("", env.fn()).ok());
}

TEST(Log, JsonEscaping) {
  std::string out;
  append_json_escaped(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u0001");
}

}  // namespace
}  // namespace parley::base
