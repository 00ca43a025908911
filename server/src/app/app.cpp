#include "app/app.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "auth/auth_service.hpp"
#include "base/config.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/task.hpp"
#include "base/ulid.hpp"
#include "bus/bus.hpp"
#include "calls/call_service.hpp"
#include "chat/chat_service.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "ops/metrics.hpp"
#include "sfu/sfu.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.0.0"
#endif

namespace parley::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = R"(Parley: self-hosted chat, calls and phone calls.

usage:
  parleyd serve [--config FILE] [--listen HOST:PORT] [--data-dir DIR] [--profile dev|test|prod]
  parleyd check-config [--config FILE]
  parleyd --version

Every configuration key can also be set as PARLEY_<SECTION>_<KEY>; see docs/configuration.md.
)";

constexpr std::string_view kStatusPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2433}
code{background:#eef1f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Parley is running</h1>
<p>This server has no web client build yet, so it serves the API only.</p>
<ul><li>GraphQL: <code>POST /graphql</code>, and WebSocket subscriptions on <code>/graphql</code>
(protocol <code>graphql-transport-ws</code>)</li>
<li>Health: <code>/healthz</code>, <code>/readyz</code>; metrics: <code>/metrics</code></li></ul>
<p>See <code>docs/api.md</code> in the Parley sources.</p></body></html>
)";

struct Flags {
  std::string command;
  std::string config_file;
  std::string listen, data_dir, profile;
};

base::Result<Flags> parse_flags(const std::vector<std::string>& args) {
  Flags f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) -> base::Status {
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        out = a.substr(eq + 1);
        return base::Status::ok();
      }
      if (i + 1 >= args.size()) return base::Status::bad_request(a + " needs a value");
      out = args[++i];
      return base::Status::ok();
    };
    auto is = [&](std::string_view flag) { return a == flag || a.rfind(std::string(flag) + "=", 0) == 0; };
    if (a == "--version" || a == "-V" || a == "version") {
      f.command = "version";
    } else if (a == "--help" || a == "-h" || a == "help") {
      f.command = "help";
    } else if (is("--config")) {
      PARLEY_RETURN_IF_ERROR(value(f.config_file));
    } else if (is("--listen")) {
      PARLEY_RETURN_IF_ERROR(value(f.listen));
    } else if (is("--data-dir")) {
      PARLEY_RETURN_IF_ERROR(value(f.data_dir));
    } else if (is("--profile")) {
      PARLEY_RETURN_IF_ERROR(value(f.profile));
    } else if (!a.empty() && a[0] != '-' && f.command.empty()) {
      f.command = a;
    } else {
      return base::Status::bad_request("unknown argument '" + a + "'");
    }
  }
  if (f.command.empty()) f.command = "help";
  return f;
}

base::Result<base::Config> load(const Flags& flags) {
  // Flags are applied as the most specific environment layer.
  auto env = [&flags](const char* name) -> const char* {
    std::string_view n(name);
    if (n == "PARLEY_SERVER_LISTEN" && !flags.listen.empty()) return flags.listen.c_str();
    if (n == "PARLEY_SERVER_DATA_DIR" && !flags.data_dir.empty()) return flags.data_dir.c_str();
    if (n == "PARLEY_SERVER_PROFILE" && !flags.profile.empty()) return flags.profile.c_str();
    return std::getenv(name);
  };
  return base::load_config(flags.config_file, env);
}

fs::path exe_dir() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : p.parent_path();
}

// Finds a file shipped in the source tree (data/, web/out) from the binary's
// place in build/bin, or from the working directory.
fs::path find_shipped(const fs::path& relative) {
  for (const auto& base : {exe_dir() / ".." / "..", exe_dir() / "..", fs::current_path()}) {
    std::error_code ec;
    auto candidate = fs::weakly_canonical(base / relative, ec);
    if (!ec && fs::exists(candidate)) return candidate;
  }
  return {};
}

base::Result<std::pair<std::string, std::uint16_t>> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return base::Status::bad_request("server.listen must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) throw std::invalid_argument("port");
  } catch (...) {
    return base::Status::bad_request("server.listen must be HOST:PORT with a numeric port");
  }
  if (port < 0 || port > 65535) return base::Status::bad_request("server.listen port must be 0-65535");
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

// Removes expired sessions, old refresh tokens and events older than the
// retention now and then every hour, on one of the server's loops. Stops with
// the process.
void schedule_housekeeping(base::Executor& loop, auth::AuthService& auth, storage::ChatStore& chat,
                           std::int64_t event_retention_ms) {
  struct Housekeeping {
    auth::AuthService& auth;
    storage::ChatStore& chat;
    std::int64_t retention_ms;

    static base::Task<void> run(Housekeeping* h) {
      auto removed = co_await h->auth.purge_expired();
      if (!removed.ok()) {
        spdlog::warn("housekeeping: purging expired sessions failed: {}", removed.error().message());
      } else if (*removed > 0) {
        spdlog::info("housekeeping: removed {} expired sessions and tokens", *removed);
      }
      auto prune_task = h->chat.prune_events(base::SystemClock::instance().now_ms() - h->retention_ms);
      auto pruned = co_await std::move(prune_task);
      if (!pruned.ok()) {
        spdlog::warn("housekeeping: pruning old events failed: {}", pruned.error().message());
      } else if (*pruned > 0) {
        spdlog::info("housekeeping: pruned {} events older than the retention", *pruned);
      }
    }
    static void every_hour(base::Executor& loop, Housekeeping* h) {
      base::spawn(run(h), [](std::exception_ptr) {});
      loop.post_after(3600 * 1000, [&loop, h] { every_hour(loop, h); });
    }
  };
  // Lives as long as the process (the loop's timers stop with it).
  static Housekeeping* h = new Housekeeping{auth, chat, event_retention_ms};
  loop.post([&loop] { Housekeeping::every_hour(loop, h); });
}

// The SFU's and the calls' figures on /metrics, read when scraped.
void add_media_metrics(ops::Registry& metrics, sfu::Sfu& sfu, calls::CallService& calls,
                       const std::atomic<bool>& media_running) {
  auto& datagrams = metrics.counter("parley_sfu_datagrams_total", "UDP datagrams of the media workers", {"direction"});
  auto& dropped = metrics.counter("parley_sfu_dropped_total",
                                  "media datagrams and packets dropped, by reason (docs/sfu.md)", {"reason"});
  auto& forwarded = metrics.counter("parley_sfu_forwarded_packets_total", "RTP packets forwarded to subscribers");
  auto& retransmitted =
      metrics.counter("parley_sfu_retransmitted_packets_total", "packets resent for NACKs (RTX when negotiated)");
  auto& nack_misses = metrics.counter("parley_sfu_nack_misses_total", "NACKed packets no longer in the cache");
  auto& keyframes = metrics.counter("parley_sfu_keyframe_requests_total", "PLIs sent to publishers");
  auto& rooms = metrics.gauge("parley_sfu_rooms", "rooms (calls) on the media workers");
  auto& transports = metrics.gauge("parley_sfu_transports", "WebRTC transports (two per participant)");
  auto& active = metrics.gauge("parley_calls", "calls in progress, by state", {"state"});
  auto& participants = metrics.gauge("parley_call_participants", "devices in calls");
  metrics.add_collector([&] {
    if (!media_running.load()) return;
    const sfu::Worker::Counters c = sfu.counters();
    datagrams.labels({"in"}).set_total(static_cast<double>(c.datagrams_in));
    datagrams.labels({"out"}).set_total(static_cast<double>(c.datagrams_out));
    const std::pair<const char*, std::uint64_t> reasons[] = {
        {"send_error", c.send_errors},   {"unknown_kind", c.unknown_kind},     {"malformed_stun", c.malformed_stun},
        {"unknown_ufrag", c.unknown_ufrag}, {"unknown_path", c.unknown_path},  {"unverified_path", c.unverified_path},
        {"not_ready", c.not_ready},      {"srtp_error", c.srtp_errors},        {"malformed", c.malformed},
        {"unknown_ssrc", c.unknown_ssrc}, {"malformed_rtcp", c.malformed_rtcp}};
    for (const auto& [reason, n] : reasons) dropped.labels({reason}).set_total(static_cast<double>(n));
    forwarded.get().set_total(static_cast<double>(c.forwarded));
    retransmitted.get().set_total(static_cast<double>(c.retransmitted));
    nack_misses.get().set_total(static_cast<double>(c.nack_misses));
    keyframes.get().set_total(static_cast<double>(c.keyframe_requests));
    rooms.get().set(static_cast<double>(c.rooms));
    transports.get().set(static_cast<double>(c.transports));
    const calls::CallService::Gauges g = calls.gauges();
    active.labels({"ringing"}).set(static_cast<double>(g.ringing));
    active.labels({"ongoing"}).set(static_cast<double>(g.calls - g.ringing));
    participants.get().set(static_cast<double>(g.participants));
  });
}

int serve(const base::Config& config) {
  base::init_logging(config);
  auto listen = split_listen(config.server.listen);
  if (!listen.ok()) {
    std::cerr << "parleyd: " << listen.error().message() << "\n";
    return 2;
  }
  std::error_code ec;
  fs::create_directories(config.server.data_dir, ec);
  if (ec) {
    std::cerr << "parleyd: cannot create data directory " << config.server.data_dir << ": " << ec.message() << "\n";
    return 1;
  }

  auto& clock = base::SystemClock::instance();
  auto& random = base::SystemRandom::instance();
  base::UlidGenerator ids(clock, random);

  storage::SqliteOptions store_options;
  store_options.path = fs::path(config.server.data_dir) / "parley.db";
  store_options.synchronous_full = config.storage.sqlite_synchronous == "full";
  store_options.read_threads = config.storage.read_threads;
  auto store = storage::open_sqlite(store_options, clock);
  if (!store.ok()) {
    spdlog::critical("cannot open the database {}: {}", store_options.path.string(), store.error().message());
    return 1;
  }

  auth::AuthOptions auth_options;
  auth_options.issuer = config.auth.issuer;
  auth_options.access_ttl_s = config.auth.access_ttl_s;
  auth_options.clock_leeway_s = config.auth.clock_leeway_s;
  auth_options.refresh_ttl_s = config.auth.refresh_ttl_s;
  auth_options.key_rotation_days = config.auth.key_rotation_days;
  auth_options.argon2_ops = static_cast<std::uint64_t>(config.auth.argon2_ops);
  auth_options.argon2_mem_bytes = static_cast<std::size_t>(config.auth.argon2_mem_kib) * 1024;
  auth_options.account_failures_per_window = config.auth.account_failures_per_window;
  auth_options.ip_failures_per_window = config.auth.ip_failures_per_window;
  auth_options.throttle_window_s = config.auth.throttle_window_s;
  auth_options.hash_threads = config.auth.hash_threads;
  auth_options.common_passwords_file = config.auth.common_passwords_file.empty()
                                           ? find_shipped("data/common-passwords.txt").string()
                                           : config.auth.common_passwords_file;
  if (auth_options.common_passwords_file.empty()) {
    spdlog::warn("data/common-passwords.txt not found: common passwords are not refused");
  }
  auto auth = base::sync_wait(auth::AuthService::open(**store, clock, random, auth_options));
  if (!auth.ok()) {
    spdlog::critical("cannot start accounts: {}", auth.error().message());
    return 1;
  }

  bus::LocalBus bus;
  chat::ChatOptions chat_options;
  chat_options.max_group_members = config.chat.max_group_members;
  chat_options.away_after_s = config.chat.away_after_s;
  chat_options.typing_timeout_s = config.chat.typing_timeout_s;
  chat::ChatService chat(**store, bus, clock, ids, chat_options);
  if (auto st = base::sync_wait(chat.start()); !st.is_ok()) {
    spdlog::critical("cannot start chat: {}", st.message());
    return 1;
  }

  // Media: the SFU's workers, then the calls that use them.
  sfu::Sfu::Options media_options;
  media_options.workers = config.media.workers;
  media_options.listen_ip = config.media.listen_ip;
  media_options.first_port = static_cast<std::uint16_t>(config.media.port);
  media_options.announced_ip = config.media.announced_ip;
  media_options.worker.room.max_participants = static_cast<std::size_t>(config.calls.max_participants);
  auto sfu = sfu::Sfu::create(media_options, clock, random);
  if (!sfu.ok()) {
    spdlog::critical("cannot start media workers on {} port {}: {}", config.media.listen_ip, config.media.port,
                     sfu.error().message());
    return 1;
  }
  (*sfu)->start();
  for (std::size_t i = 0; i < (*sfu)->size(); ++i) {
    spdlog::info("media worker {} on udp {}:{} (announced {})", i, config.media.listen_ip, (*sfu)->worker(i).port(),
                 config.media.announced_ip.empty() ? config.media.listen_ip : config.media.announced_ip);
  }
  calls::CallOptions call_options;
  call_options.ring_timeout_s = config.calls.ring_timeout_s;
  call_options.max_participants = config.calls.max_participants;
  calls::CallService calls(**store, chat, **sfu, clock, ids, call_options);
  calls.start();

  api::ApiOptions api_options;
  api_options.limits.max_depth = config.graphql.max_depth;
  api_options.limits.max_aliases = config.graphql.max_aliases;
  api_options.limits.max_tokens = config.graphql.max_tokens;
  api_options.limits.max_cost = config.graphql.max_cost;
  api_options.limits.max_query_bytes = static_cast<std::size_t>(config.graphql.max_query_bytes);
  api_options.ws_init_timeout_s = config.graphql.ws_init_timeout_s;
  api_options.max_subscriptions_per_socket = config.graphql.max_subscriptions_per_socket;
  auto api = api::Api::create(api_options, **auth, chat, bus, clock, ids, &calls);
  if (!api.ok()) {
    spdlog::critical("{}", api.error().message());
    return 1;
  }

  auto router = std::make_shared<http::Router>();
  (*api)->install(*router);
  fs::path web_root = config.server.web_root.empty() ? find_shipped("web/out") : fs::path(config.server.web_root);
  if (!web_root.empty() && fs::exists(web_root / "index.html")) {
    router->set_static_root(web_root);
  } else {
    spdlog::info("no web client build found (web/out); serving the API only");
    // Whoever opens the printed URL learns what is there instead of a 404.
    router->add("GET", "/", [](http::Request&) -> base::Task<http::Response> {
      auto res = http::Response::text(200, std::string(kStatusPage), "text/html; charset=utf-8");
      res.set_header("Cache-Control", "no-cache");
      co_return res;
    });
  }

  ops::Registry metrics;
  std::atomic<bool> media_running{true};
  add_media_metrics(metrics, **sfu, calls, media_running);
  http::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.threads = config.server.threads;
  options.tls_cert_file = config.server.tls_cert;
  options.tls_key_file = config.server.tls_key;
  options.max_header_bytes = static_cast<std::size_t>(config.limits.max_header_bytes);
  options.max_body_bytes = static_cast<std::size_t>(config.limits.max_body_bytes);
  options.max_ws_message_bytes = static_cast<std::size_t>(config.limits.max_ws_message_bytes);
  options.idle_timeout_s = config.limits.idle_timeout_s;
  options.header_timeout_s = config.limits.header_timeout_s;
  options.max_connections_per_ip = config.limits.max_connections_per_ip;
  options.trusted_proxies = config.server.trusted_proxies;
  options.drain_timeout_s = config.limits.drain_timeout_s;
  http::Server server(options, router, metrics);
  if (auto st = server.start(); !st.is_ok()) {
    spdlog::critical("cannot listen on {}: {}", config.server.listen, st.message());
    return 1;
  }
  std::string scheme = config.server.tls_cert.empty() ? "http" : "https";
  std::string shown_host = options.host == "0.0.0.0" || options.host.empty() ? "127.0.0.1" : options.host;
  if (shown_host.find(':') != std::string::npos) shown_host = "[" + shown_host + "]";
  schedule_housekeeping(*server.executors().front(), **auth, (*store)->chat(),
                       static_cast<std::int64_t>(config.chat.event_retention_days) * 86'400'000);
  server.set_ready(true);
  spdlog::info("parleyd {} ({} profile) serving {} on {}", PARLEY_VERSION, base::profile_name(config.server.profile),
               config.server.data_dir, config.server.listen);
  // The one line tools and people look for; tests parse it.
  std::printf("Parley is running at %s://%s:%u/\n", scheme.c_str(), shown_host.c_str(), server.port());
  std::fflush(stdout);

  server.wait();  // until SIGTERM or SIGINT
  spdlog::info("shutting down: draining connections");
  server.drain();
  calls.stop();  // ends calls in progress (their timeline entries are written)
  media_running = false;
  (*sfu)->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(const std::vector<std::string>& args) {
  auto flags = parse_flags(args);
  if (!flags.ok()) {
    std::cerr << "parleyd: " << flags.error().message() << "\n\n" << kUsage;
    return 2;
  }
  if (flags->command == "version") {
    std::cout << "parleyd " << PARLEY_VERSION << "\n";
    return 0;
  }
  if (flags->command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (flags->command != "serve" && flags->command != "check-config") {
    std::cerr << "parleyd: unknown command '" << flags->command << "'\n\n" << kUsage;
    return 2;
  }
  auto config = load(*flags);
  if (!config.ok()) {
    std::cerr << "parleyd: configuration error: " << config.error().message() << "\n";
    return 2;
  }
  if (flags->command == "check-config") {
    auto listen = split_listen(config->server.listen);
    if (!listen.ok()) {
      std::cerr << "parleyd: configuration error: " << listen.error().message() << "\n";
      return 2;
    }
    std::cout << "configuration OK (profile " << base::profile_name(config->server.profile) << ")\n";
    return 0;
  }
  return serve(*config);
}

}  // namespace parley::app
