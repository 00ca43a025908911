// Parley's configuration: a TOML file (optional) whose every key can be
// overridden by an environment variable PARLEY_<SECTION>_<KEY> (upper case),
// then by command-line flags. Unknown keys are errors, so typos do not pass
// silently. docs/configuration.md lists every key; keep it in sync with
// kConfigKeys in config.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.hpp"

namespace parley::base {

enum class Profile { Dev, Test, Prod };
std::string_view profile_name(Profile p);

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";   // HOST:PORT; port 0 picks a free port
  std::string data_dir = "./var";
  Profile profile = Profile::Dev;
  int threads = 0;                          // event-loop threads; 0 = one per core
  std::string web_root;                     // the web client's static export; empty = <exe>/../../web/out
  std::string public_url;                   // how users reach this node (for links); optional
  std::string tls_cert;                     // PEM files; both set = HTTPS/WSS
  std::string tls_key;
  std::vector<std::string> trusted_proxies;  // CIDRs whose X-Forwarded-For is believed
};

struct LimitsConfig {
  std::int64_t max_header_bytes = 8 * 1024;
  std::int64_t max_body_bytes = 1024 * 1024;
  std::int64_t max_ws_message_bytes = 64 * 1024;
  int idle_timeout_s = 60;
  int header_timeout_s = 10;
  int max_connections_per_ip = 256;
  int drain_timeout_s = 10;
};

struct GraphqlConfig {
  int max_depth = 15;
  int max_aliases = 30;
  int max_tokens = 5000;
  int max_cost = 10000;
  std::int64_t max_query_bytes = 100 * 1024;
  int ws_init_timeout_s = 10;        // graphql-transport-ws: connection_init must arrive in time (4408)
  int max_subscriptions_per_socket = 100;
};

struct StorageConfig {
  std::string driver = "sqlite";
  std::string sqlite_synchronous = "full";  // full | normal
  int read_threads = 2;
};

struct AuthConfig {
  std::string issuer = "parley";
  // Server-wide secret (HMAC keys for derived credentials). prod refuses the default.
  std::string secret = "parley-dev-secret-change-me";
  int access_ttl_s = 900;
  int clock_leeway_s = 30;                     // accepted clock skew when checking token expiry
  int refresh_ttl_s = 30 * 24 * 3600;
  int key_rotation_days = 30;
  std::int64_t argon2_ops = 2;                 // OWASP: Argon2id m=19 MiB, t=2, p=1
  std::int64_t argon2_mem_kib = 19 * 1024;
  int account_failures_per_window = 5;
  int ip_failures_per_window = 50;
  int throttle_window_s = 900;
  std::string common_passwords_file;           // empty = the shipped data/common-passwords.txt
  int hash_threads = 1;
};

struct ChatConfig {
  int max_group_members = 1000;
  int away_after_s = 300;           // clients report idle after this long without input
  int typing_timeout_s = 6;         // a typing indicator lasts this long unless refreshed
  int event_retention_days = 30;    // stored events older than this are pruned (cursors before them expire)
};

// The SFU's media workers (docs/sfu.md): one thread and one UDP port each.
struct MediaConfig {
  int workers = 0;                        // 0 = one per core
  std::string listen_ip = "127.0.0.1";   // where the UDP ports are bound
  int port = 0;                          // worker i binds port + i; 0 = any free port (set one for firewalls)
  std::string announced_ip;              // the address browsers reach (ICE candidate); empty = listen_ip
};

struct CallsConfig {
  int ring_timeout_s = 45;     // unanswered ringing becomes a missed call
  int max_participants = 50;   // devices in one call
};

struct LogConfig {
  std::string level = "info";   // trace debug info warn error
  std::string format;           // text | json; empty = json in prod, text otherwise
};

struct Config {
  ServerConfig server;
  LimitsConfig limits;
  GraphqlConfig graphql;
  StorageConfig storage;
  AuthConfig auth;
  ChatConfig chat;
  MediaConfig media;
  CallsConfig calls;
  LogConfig log;
};

using Environment = std::function<const char*(const char*)>;  // getenv-like, injectable

// Builds a Config from defaults, then the TOML file (if `path` is non-empty),
// then the environment. The profile (which changes some defaults) is read
// first from the file/env key server.profile. Errors name the key and source.
Result<Config> load_config(const std::string& path, const Environment& env);
// Same from TOML text (for tests).
Result<Config> load_config_text(std::string_view toml_text, const Environment& env);

// Rules that depend on several keys: prod needs a non-default secret and
// either TLS or trusted proxies; limits must be positive; etc.
Status validate_config(const Config& config);

// Every key as "section.key", for docs and `parleyd check-config --keys`.
std::vector<std::string> config_keys();

}  // namespace parley::base
