#include "base/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>

namespace parley::base {

std::string_view profile_name(Profile p) {
  switch (p) {
    case Profile::Dev: return "dev";
    case Profile::Test: return "test";
    case Profile::Prod: return "prod";
  }
  return "dev";
}

namespace {

const std::string kDefaultSecret = AuthConfig{}.secret;

Result<Profile> parse_profile(std::string_view s) {
  if (s == "dev") return Profile::Dev;
  if (s == "test") return Profile::Test;
  if (s == "prod") return Profile::Prod;
  return Status::bad_request(fmt::format("server.profile must be dev, test or prod, not '{}'", s));
}

// One configurable key: how to set it from a TOML node or an env string.
struct Key {
  const char* section;
  const char* name;
  std::function<Status(Config&, const toml::node&)> from_toml;
  std::function<Status(Config&, std::string_view)> from_env;
};

Status type_error(const char* section, const char* name, const char* want) {
  return Status::bad_request(fmt::format("{}.{} must be {}", section, name, want));
}

template <typename T>
Key int_key(const char* section, const char* name, T Config::*sec, auto member) {
  using Int = std::remove_reference_t<decltype(std::declval<T&>().*member)>;
  return Key{section, name,
             [=](Config& c, const toml::node& n) -> Status {
               auto v = n.value<std::int64_t>();
               if (!n.is_integer() || !v) return type_error(section, name, "an integer");
               (c.*sec).*member = static_cast<Int>(*v);
               return Status::ok();
             },
             [=](Config& c, std::string_view s) -> Status {
               std::int64_t v = 0;
               auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
               if (ec != std::errc() || p != s.data() + s.size()) return type_error(section, name, "an integer");
               (c.*sec).*member = static_cast<Int>(v);
               return Status::ok();
             }};
}

template <typename T>
Key string_key(const char* section, const char* name, T Config::*sec, std::string T::*member) {
  return Key{section, name,
             [=](Config& c, const toml::node& n) -> Status {
               if (!n.is_string()) return type_error(section, name, "a string");
               (c.*sec).*member = *n.value<std::string>();
               return Status::ok();
             },
             [=](Config& c, std::string_view s) -> Status {
               (c.*sec).*member = std::string(s);
               return Status::ok();
             }};
}

// A list of strings: a TOML array, or comma-separated in the environment.
template <typename T>
Key list_key(const char* section, const char* name, T Config::*sec, std::vector<std::string> T::*member) {
  return Key{section, name,
             [=](Config& c, const toml::node& n) -> Status {
               const auto* arr = n.as_array();
               if (!arr) return type_error(section, name, "an array of strings");
               std::vector<std::string> out;
               for (const auto& e : *arr) {
                 if (!e.is_string()) return type_error(section, name, "an array of strings");
                 out.push_back(*e.value<std::string>());
               }
               (c.*sec).*member = std::move(out);
               return Status::ok();
             },
             [=](Config& c, std::string_view s) -> Status {
               std::vector<std::string> out;
               while (!s.empty()) {
                 auto comma = s.find(',');
                 auto item = s.substr(0, comma);
                 while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
                 while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
                 if (!item.empty()) out.emplace_back(item);
                 if (comma == std::string_view::npos) break;
                 s.remove_prefix(comma + 1);
               }
               (c.*sec).*member = std::move(out);
               return Status::ok();
             }};
}

Key profile_key() {
  auto set = [](Config& c, std::string_view s) -> Status {
    auto p = parse_profile(s);
    if (!p.ok()) return p.error();
    c.server.profile = *p;
    return Status::ok();
  };
  return Key{"server", "profile",
             [set](Config& c, const toml::node& n) -> Status {
               if (!n.is_string()) return type_error("server", "profile", "a string");
               return set(c, *n.value<std::string>());
             },
             set};
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      string_key("server", "listen", &Config::server, &ServerConfig::listen),
      string_key("server", "data_dir", &Config::server, &ServerConfig::data_dir),
      profile_key(),
      int_key("server", "threads", &Config::server, &ServerConfig::threads),
      string_key("server", "web_root", &Config::server, &ServerConfig::web_root),
      string_key("server", "public_url", &Config::server, &ServerConfig::public_url),
      string_key("server", "tls_cert", &Config::server, &ServerConfig::tls_cert),
      string_key("server", "tls_key", &Config::server, &ServerConfig::tls_key),
      list_key("server", "trusted_proxies", &Config::server, &ServerConfig::trusted_proxies),
      int_key("limits", "max_header_bytes", &Config::limits, &LimitsConfig::max_header_bytes),
      int_key("limits", "max_body_bytes", &Config::limits, &LimitsConfig::max_body_bytes),
      int_key("limits", "max_ws_message_bytes", &Config::limits, &LimitsConfig::max_ws_message_bytes),
      int_key("limits", "idle_timeout_s", &Config::limits, &LimitsConfig::idle_timeout_s),
      int_key("limits", "header_timeout_s", &Config::limits, &LimitsConfig::header_timeout_s),
      int_key("limits", "max_connections_per_ip", &Config::limits, &LimitsConfig::max_connections_per_ip),
      int_key("limits", "drain_timeout_s", &Config::limits, &LimitsConfig::drain_timeout_s),
      int_key("graphql", "max_depth", &Config::graphql, &GraphqlConfig::max_depth),
      int_key("graphql", "max_aliases", &Config::graphql, &GraphqlConfig::max_aliases),
      int_key("graphql", "max_tokens", &Config::graphql, &GraphqlConfig::max_tokens),
      int_key("graphql", "max_cost", &Config::graphql, &GraphqlConfig::max_cost),
      int_key("graphql", "max_query_bytes", &Config::graphql, &GraphqlConfig::max_query_bytes),
      int_key("graphql", "ws_init_timeout_s", &Config::graphql, &GraphqlConfig::ws_init_timeout_s),
      int_key("graphql", "max_subscriptions_per_socket", &Config::graphql, &GraphqlConfig::max_subscriptions_per_socket),
      string_key("storage", "driver", &Config::storage, &StorageConfig::driver),
      string_key("storage", "sqlite_synchronous", &Config::storage, &StorageConfig::sqlite_synchronous),
      int_key("storage", "read_threads", &Config::storage, &StorageConfig::read_threads),
      string_key("auth", "issuer", &Config::auth, &AuthConfig::issuer),
      string_key("auth", "secret", &Config::auth, &AuthConfig::secret),
      int_key("auth", "access_ttl_s", &Config::auth, &AuthConfig::access_ttl_s),
      int_key("auth", "clock_leeway_s", &Config::auth, &AuthConfig::clock_leeway_s),
      int_key("auth", "refresh_ttl_s", &Config::auth, &AuthConfig::refresh_ttl_s),
      int_key("auth", "key_rotation_days", &Config::auth, &AuthConfig::key_rotation_days),
      int_key("auth", "argon2_ops", &Config::auth, &AuthConfig::argon2_ops),
      int_key("auth", "argon2_mem_kib", &Config::auth, &AuthConfig::argon2_mem_kib),
      int_key("auth", "account_failures_per_window", &Config::auth, &AuthConfig::account_failures_per_window),
      int_key("auth", "ip_failures_per_window", &Config::auth, &AuthConfig::ip_failures_per_window),
      int_key("auth", "throttle_window_s", &Config::auth, &AuthConfig::throttle_window_s),
      string_key("auth", "common_passwords_file", &Config::auth, &AuthConfig::common_passwords_file),
      int_key("auth", "hash_threads", &Config::auth, &AuthConfig::hash_threads),
      int_key("chat", "max_group_members", &Config::chat, &ChatConfig::max_group_members),
      int_key("chat", "away_after_s", &Config::chat, &ChatConfig::away_after_s),
      int_key("chat", "typing_timeout_s", &Config::chat, &ChatConfig::typing_timeout_s),
      int_key("chat", "event_retention_days", &Config::chat, &ChatConfig::event_retention_days),
      int_key("media", "workers", &Config::media, &MediaConfig::workers),
      string_key("media", "listen_ip", &Config::media, &MediaConfig::listen_ip),
      int_key("media", "port", &Config::media, &MediaConfig::port),
      string_key("media", "announced_ip", &Config::media, &MediaConfig::announced_ip),
      int_key("calls", "ring_timeout_s", &Config::calls, &CallsConfig::ring_timeout_s),
      int_key("calls", "max_participants", &Config::calls, &CallsConfig::max_participants),
      string_key("log", "level", &Config::log, &LogConfig::level),
      string_key("log", "format", &Config::log, &LogConfig::format),
  };
  return k;
}

std::string env_name(const Key& k) {
  std::string s = fmt::format("PARLEY_{}_{}", k.section, k.name);
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<Config> build(const toml::table* table, const Environment& env) {
  Config config;
  // Reject unknown sections and keys first: a typo must not silently fall back to a default.
  if (table) {
    for (const auto& [section, node] : *table) {
      const auto* sec = node.as_table();
      bool known_section = false;
      for (const auto& k : keys()) known_section |= section.str() == k.section;
      if (!known_section || !sec) {
        return Status::bad_request(fmt::format("unknown config section [{}]", section.str()));
      }
      for (const auto& [name, value] : *sec) {
        bool known = false;
        for (const auto& k : keys()) known |= (section.str() == k.section && name.str() == k.name);
        if (!known) return Status::bad_request(fmt::format("unknown config key {}.{}", section.str(), name.str()));
      }
    }
  }
  for (const auto& k : keys()) {
    if (table) {
      if (const auto* node = table->at_path(fmt::format("{}.{}", k.section, k.name)).node()) {
        PARLEY_RETURN_IF_ERROR(k.from_toml(config, *node));
      }
    }
    if (env) {
      auto name = env_name(k);
      if (const char* v = env(name.c_str())) {
        Status st = k.from_env(config, v);
        if (!st.is_ok()) return Status::bad_request(fmt::format("{} (from {})", st.message(), name));
      }
    }
  }
  PARLEY_RETURN_IF_ERROR(validate_config(config));
  return config;
}

}  // namespace

Result<Config> load_config_text(std::string_view toml_text, const Environment& env) {
  try {
    toml::table table = toml::parse(toml_text);
    return build(&table, env);
  } catch (const toml::parse_error& e) {
    return Status::bad_request(fmt::format("config: {} at line {}, column {}", e.description(),
                                           e.source().begin.line, e.source().begin.column));
  }
}

Result<Config> load_config(const std::string& path, const Environment& env) {
  if (path.empty()) return build(nullptr, env);
  try {
    toml::table table = toml::parse_file(path);
    return build(&table, env);
  } catch (const toml::parse_error& e) {
    return Status::bad_request(fmt::format("{}: {} at line {}, column {}", path, e.description(),
                                           e.source().begin.line, e.source().begin.column));
  }
}

Status validate_config(const Config& c) {
  auto positive = [](std::int64_t v, const char* key) -> Status {
    if (v <= 0) return Status::bad_request(fmt::format("{} must be positive", key));
    return Status::ok();
  };
  PARLEY_RETURN_IF_ERROR(positive(c.limits.max_header_bytes, "limits.max_header_bytes"));
  PARLEY_RETURN_IF_ERROR(positive(c.limits.max_body_bytes, "limits.max_body_bytes"));
  PARLEY_RETURN_IF_ERROR(positive(c.limits.max_ws_message_bytes, "limits.max_ws_message_bytes"));
  PARLEY_RETURN_IF_ERROR(positive(c.limits.idle_timeout_s, "limits.idle_timeout_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.limits.header_timeout_s, "limits.header_timeout_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.limits.max_connections_per_ip, "limits.max_connections_per_ip"));
  PARLEY_RETURN_IF_ERROR(positive(c.graphql.max_depth, "graphql.max_depth"));
  PARLEY_RETURN_IF_ERROR(positive(c.graphql.max_tokens, "graphql.max_tokens"));
  PARLEY_RETURN_IF_ERROR(positive(c.graphql.max_query_bytes, "graphql.max_query_bytes"));
  PARLEY_RETURN_IF_ERROR(positive(c.graphql.ws_init_timeout_s, "graphql.ws_init_timeout_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.auth.access_ttl_s, "auth.access_ttl_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.auth.refresh_ttl_s, "auth.refresh_ttl_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.auth.argon2_ops, "auth.argon2_ops"));
  PARLEY_RETURN_IF_ERROR(positive(c.auth.argon2_mem_kib, "auth.argon2_mem_kib"));
  PARLEY_RETURN_IF_ERROR(positive(c.chat.max_group_members, "chat.max_group_members"));
  PARLEY_RETURN_IF_ERROR(positive(c.chat.away_after_s, "chat.away_after_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.chat.typing_timeout_s, "chat.typing_timeout_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.chat.event_retention_days, "chat.event_retention_days"));
  PARLEY_RETURN_IF_ERROR(positive(c.calls.ring_timeout_s, "calls.ring_timeout_s"));
  PARLEY_RETURN_IF_ERROR(positive(c.calls.max_participants, "calls.max_participants"));
  if (c.media.workers < 0 || c.media.workers > 64) return Status::bad_request("media.workers must be 0 (one per core) to 64");
  if (c.media.port < 0 || c.media.port + std::max(c.media.workers, 1) > 65536) {
    return Status::bad_request("media.port must be 0 (any free port) or leave room for one port per worker below 65536");
  }
  if (c.server.threads < 0) return Status::bad_request("server.threads must be 0 (one per core) or more");
  if (c.storage.driver != "sqlite") {
    return Status::bad_request(fmt::format("storage.driver '{}' is not supported (sqlite)", c.storage.driver));
  }
  if (c.storage.sqlite_synchronous != "full" && c.storage.sqlite_synchronous != "normal") {
    return Status::bad_request("storage.sqlite_synchronous must be full or normal");
  }
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), c.log.level) == std::end(kLevels)) {
    return Status::bad_request("log.level must be trace, debug, info, warn or error");
  }
  if (!c.log.format.empty() && c.log.format != "text" && c.log.format != "json") {
    return Status::bad_request("log.format must be text or json");
  }
  if (c.server.tls_cert.empty() != c.server.tls_key.empty()) {
    return Status::bad_request("server.tls_cert and server.tls_key must be set together");
  }
  if (c.server.profile == Profile::Prod) {
    if (c.auth.secret == kDefaultSecret || c.auth.secret.size() < 32) {
      return Status::bad_request(
          "profile prod refuses the default auth.secret: set PARLEY_AUTH_SECRET to at least 32 random characters");
    }
    if (c.server.tls_cert.empty() && c.server.trusted_proxies.empty()) {
      return Status::bad_request(
          "profile prod needs TLS (server.tls_cert and server.tls_key) or a TLS-terminating proxy "
          "(server.trusted_proxies)");
    }
  }
  return Status::ok();
}

std::vector<std::string> config_keys() {
  std::vector<std::string> out;
  for (const auto& k : keys()) out.push_back(fmt::format("{}.{} ({})", k.section, k.name, env_name(k)));
  return out;
}

}  // namespace parley::base
