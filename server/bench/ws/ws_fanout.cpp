// bench_ws_fanout: measures how fast parleyd fans one event out to N
// WebSockets of the same user, and what an idle / subscribed socket costs in
// parleyd's resident memory. See README.md in this folder.
//
// Shape: one process, one thread, one io_context. The bench spawns parleyd
// (a child process it owns and SIGTERMs at the end), drives it over HTTP
// (one keep-alive connection) and N graphql-transport-ws sockets. Every
// handler runs on that one thread, so the shared state below needs no locks.
// Errors inside the bench are exceptions caught in main(): it is a tool, not
// a module.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../common/graphql_client.hpp"
#include "../common/process.hpp"

namespace {

using namespace parley::bench;  // NOLINT(google-build-using-namespace): a one-file tool

constexpr std::string_view kEventsQuery =
    "subscription { events { __typename cursor ... on SessionRevokedEvent { sessionId } } }";
constexpr std::string_view kSignIn = "mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }";
constexpr std::string_view kRevoke = "mutation($id: ID!) { revokeSession(id: $id) }";
constexpr std::string_view kSignUp = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }";
constexpr std::string_view kSessions = "{ sessions { id current } }";
constexpr std::string_view kUserAgent = "bench_ws_fanout";
constexpr std::string_view kPassword = "fan-out bench password 7f3a";

struct Options {
  std::string parleyd = "build/bin/parleyd";
  int clients = 10'000;
  int rounds = 5;
  int concurrency = 200;      // WebSocket opens in flight
  int settle_ms = 500;        // after every subscription answered its ping
  int round_timeout_ms = 10'000;
  bool keep_data = false;
};

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--parleyd PATH] [--clients N] [--rounds K] [--concurrency C]\n"
               "          [--settle-ms MS] [--round-timeout-ms MS] [--keep-data]\n",
               argv0);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(argv[0]);
      return argv[++i];
    };
    auto int_value = [&] {
      std::string v = value();
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || n < 0 || n > 1'000'000) usage(argv[0]);
      return static_cast<int>(n);
    };
    if (a == "--parleyd") o.parleyd = value();
    else if (a == "--clients") o.clients = int_value();
    else if (a == "--rounds") o.rounds = int_value();
    else if (a == "--concurrency") o.concurrency = std::max(1, int_value());
    else if (a == "--settle-ms") o.settle_ms = int_value();
    else if (a == "--round-timeout-ms") o.round_timeout_ms = int_value();
    else if (a == "--keep-data") o.keep_data = true;
    else usage(argv[0]);
  }
  if (o.clients < 1 || o.rounds < 1) usage(argv[0]);
  return o;
}

// ---------------------------------------------------------------------------
// Fan-out bookkeeping shared by every socket (one thread: no locks).

struct Round {
  std::string label;
  std::string kind;        // "SessionCreatedEvent" or "SessionRevokedEvent"
  std::string session_id;  // expected sessionId (revocations)
  TimePoint t0;
  double mutation_ms = 0;  // HTTP round trip of the trigger
  std::vector<TimePoint> arrival;  // per socket; epoch = not (yet) received
  int received = 0;
  int duplicates = 0;
  std::string reference;  // the first `next` frame's payload bytes
  int mismatched = 0;     // payloads that differ from `reference`
  double cpu_ms = 0;      // parleyd CPU time spent during the round
  double bench_cpu_ms = 0;  // this process's CPU time during the round
  long rss_after = 0;     // parleyd VmRSS once the round is over (KiB)
};

struct Stats {
  int connected = 0;     // connection_ack received
  int failed = 0;        // could not connect / handshake / init
  int in_flight = 0;     // opens under way
  int pongs = 0;         // pong after subscribe
  int closed = 0;        // sockets that died after connection_ack
  int unexpected = 0;    // frames that are neither next nor pong
  int stray_events = 0;  // next frames that match no running round
  bool closing = false;  // the bench closes its sockets: closes are not failures
  std::string first_failure;
  std::string first_unexpected;
  Round* round = nullptr;  // the round being measured
};

// {"id":"1","type":"subscribe","payload":{"query":<kEventsQuery>}}
std::string subscribe_frame() {
  Json sub;
  sub["id"] = "1";
  sub["type"] = "subscribe";
  sub["payload"]["query"] = kEventsQuery;
  return sub.dump();
}

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, int index, Stats& stats) : ws_(io), index_(index), stats_(stats) {}

  // Connects, upgrades, sends connection_init and waits for connection_ack;
  // then reads until the socket closes. Bumps stats_.connected once acked.
  asio::awaitable<void> run(tcp::endpoint endpoint, std::string host, std::string token) {
    auto self = shared_from_this();
    std::string failure = co_await open_graphql_ws(ws_, buffer_, endpoint, std::move(host), std::move(token));
    --stats_.in_flight;
    if (!failure.empty()) {
      ++stats_.failed;
      if (stats_.first_failure.empty()) stats_.first_failure = failure;
      co_return;
    }
    ++stats_.connected;
    beast::error_code ec;
    for (;;) {
      co_await ws_.async_read(buffer_, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      on_frame(SteadyClock::now());
      buffer_.consume(buffer_.size());
    }
    if (!stats_.closing) {
      ++stats_.closed;
      if (stats_.first_failure.empty()) {
        stats_.first_failure = "socket " + std::to_string(index_) + " closed: " + ec.message() + close_reason(ws_);
      }
    }
  }

  // subscribe to events as operation "1", then a ping: the server handles a
  // socket's messages in order, so the pong says the subscribe was taken.
  asio::awaitable<void> subscribe() {
    auto self = shared_from_this();
    beast::error_code ec;
    std::string sub = subscribe_frame();
    co_await ws_.async_write(asio::buffer(sub), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    static const std::string ping = R"({"type":"ping"})";
    co_await ws_.async_write(asio::buffer(ping), asio::redirect_error(asio::use_awaitable, ec));
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  void on_frame(TimePoint now) {
    std::string_view text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (text.find("\"type\":\"next\"") == std::string_view::npos) {
      if (text.find("\"type\":\"pong\"") != std::string_view::npos) {
        ++stats_.pongs;
        return;
      }
      if (text.find("\"type\":\"ping\"") != std::string_view::npos) return;  // not expected; harmless
      if (++stats_.unexpected == 1) stats_.first_unexpected = std::string(text.substr(0, 300));
      return;
    }
    Round* r = stats_.round;
    bool matches = r != nullptr && text.find(r->kind) != std::string_view::npos &&
                   (r->session_id.empty() || text.find("\"sessionId\":\"" + r->session_id + "\"") != std::string_view::npos);
    if (!matches) {
      ++stats_.stray_events;
      return;
    }
    auto& slot = r->arrival[static_cast<std::size_t>(index_)];
    if (slot != TimePoint{}) {
      ++r->duplicates;
      return;
    }
    slot = now;
    ++r->received;
    // The payload: everything after "payload": up to the frame's closing brace.
    auto at = text.find("\"payload\":");
    std::string_view payload = at == std::string_view::npos ? text : text.substr(at + 10, text.size() - at - 11);
    if (r->reference.empty()) r->reference = std::string(payload);
    else if (payload != r->reference) ++r->mismatched;
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  int index_;
  Stats& stats_;
};

struct Result {
  long rss_base = 0, rss_idle = 0, rss_sub = 0, rss_end = 0, hwm_end = 0;
  double open_s = 0;
  double subscribe_s = 0, subscribe_cpu_ms = 0;
  long threads = 0;
  std::vector<Round> rounds;  // rounds[0] is the warm-up sign-in
};

asio::awaitable<void> bench(const Options& o, Parleyd& server, Result& result, Stats& stats,
                            std::vector<std::shared_ptr<Client>>& clients) {
  auto& io = static_cast<asio::io_context&>((co_await asio::this_coro::executor).context());
  tcp::resolver resolver(io);
  auto endpoints = co_await resolver.async_resolve(server.host(), server.port(), asio::use_awaitable);
  tcp::endpoint endpoint = *endpoints.begin();
  GraphqlHttp api(io, endpoint, server.host() + ":" + server.port());

  // 1. One user, K spare sessions to revoke later.
  const std::string no_token;
  std::string email = "fanout." + std::to_string(::getpid()) + "@example.test";
  // (Json values are built outside co_await expressions: g++ 12 fails on
  // brace-initialised temporaries of string literals that live across one.)
  Json sign_up_vars;
  sign_up_vars["i"]["email"] = email;
  sign_up_vars["i"]["password"] = kPassword;
  sign_up_vars["i"]["displayName"] = "Fan Out";
  Json up = co_await api.post(kSignUp, sign_up_vars, no_token, kUserAgent);
  const std::string token = up["signUp"]["accessToken"];
  Json sign_in_vars;
  sign_in_vars["i"]["email"] = email;
  sign_in_vars["i"]["password"] = kPassword;
  for (int k = 0; k < o.rounds; ++k) co_await api.post(kSignIn, sign_in_vars, no_token, kUserAgent);
  Json sessions = co_await api.post(kSessions, Json::object(), token, kUserAgent);
  std::vector<std::string> spare;
  for (auto& s : sessions["sessions"]) {
    if (!s["current"].get<bool>()) spare.push_back(s["id"]);
  }
  if (static_cast<int>(spare.size()) < o.rounds) throw std::runtime_error("fewer spare sessions than rounds");
  std::printf("user %s, %zu spare sessions\n", up["signUp"]["user"]["id"].get<std::string>().c_str(), spare.size());

  co_await sleep_ms(200);
  result.rss_base = server.rss_kib();

  // 2. N authenticated sockets, `concurrency` opens in flight.
  auto open_start = SteadyClock::now();
  clients.reserve(static_cast<std::size_t>(o.clients));
  for (int i = 0; i < o.clients; ++i) {
    while (stats.in_flight >= o.concurrency) co_await sleep_ms(1);
    ++stats.in_flight;
    auto c = std::make_shared<Client>(io, i, stats);
    clients.push_back(c);
    asio::co_spawn(io, c->run(endpoint, server.host(), token), asio::detached);
  }
  co_await wait_until([&] { return stats.connected + stats.failed >= o.clients; }, 120'000);
  result.open_s = ms_between(open_start, SteadyClock::now()) / 1000;
  std::printf("opened %d sockets in %.2f s (%d failed%s%s)\n", stats.connected, result.open_s, stats.failed,
              stats.first_failure.empty() ? "" : "; first: ", stats.first_failure.c_str());
  co_await sleep_ms(300);
  result.rss_idle = server.rss_kib();

  // 3. Each subscribes to events; a ping/pong round trip plus a settle time
  // says the subscription is running (graphql::subscribe is asynchronous).
  auto sub_start = SteadyClock::now();
  const double sub_cpu0 = server.cpu_ms();
  for (auto& c : clients) asio::co_spawn(io, c->subscribe(), asio::detached);
  bool all_pongs = co_await wait_until([&] { return stats.pongs >= stats.connected - stats.closed; }, 60'000);
  result.subscribe_s = ms_between(sub_start, SteadyClock::now()) / 1000;
  result.subscribe_cpu_ms = server.cpu_ms() - sub_cpu0;
  std::printf("subscribed: %d pongs in %.2f s (parleyd CPU %.0f ms)%s\n", stats.pongs, result.subscribe_s,
              result.subscribe_cpu_ms, all_pongs ? "" : " (timed out waiting for the rest)");
  co_await sleep_ms(o.settle_ms);
  result.rss_sub = server.rss_kib();
  result.threads = server.threads();

  // 4. Round 0 is a warm-up: a sign-in publishes SessionCreatedEvent (its
  // time includes Argon2id). 5. Measured rounds: revokeSession publishes
  // SessionRevokedEvent; t0 is taken just before the request is written.
  result.rounds.resize(static_cast<std::size_t>(o.rounds) + 1);
  for (std::size_t k = 0; k < result.rounds.size(); ++k) {
    Round& r = result.rounds[k];
    r.label = k == 0 ? std::string("warm-up signIn") : "revoke " + std::to_string(k);
    r.kind = k == 0 ? "SessionCreatedEvent" : "SessionRevokedEvent";
    if (k > 0) r.session_id = spare[k - 1];
    r.arrival.assign(static_cast<std::size_t>(o.clients), TimePoint{});
    const int expected = stats.connected - stats.closed;
    const double cpu0 = server.cpu_ms();
    const double own_cpu0 = own_cpu_ms();
    stats.round = &r;
    r.t0 = SteadyClock::now();
    if (k == 0) {
      co_await api.post(kSignIn, sign_in_vars, no_token, kUserAgent);
    } else {
      Json revoke_vars;
      revoke_vars["id"] = r.session_id;
      Json d = co_await api.post(kRevoke, revoke_vars, token, kUserAgent);
      if (!d["revokeSession"].get<bool>()) throw std::runtime_error("revokeSession returned false");
    }
    r.mutation_ms = ms_between(r.t0, SteadyClock::now());
    co_await wait_until([&r, expected] { return r.received >= expected; }, o.round_timeout_ms);
    stats.round = nullptr;
    r.cpu_ms = server.cpu_ms() - cpu0;
    r.bench_cpu_ms = own_cpu_ms() - own_cpu0;
    co_await sleep_ms(200);
    r.rss_after = server.rss_kib();
  }
  result.rss_end = server.rss_kib();
  result.hwm_end = server.hwm_kib();
  stats.closing = true;
  for (auto& c : clients) c->close();
}

struct RoundSummary {
  double last_ms = 0, p50_ms = 0, p99_ms = 0, per_s = 0;
  int missed = 0;
};

RoundSummary summarize(const Round& r, int expected) {
  RoundSummary s;
  std::vector<double> lat;
  lat.reserve(static_cast<std::size_t>(r.received));
  for (auto t : r.arrival) {
    if (t != TimePoint{}) lat.push_back(ms_between(r.t0, t));
  }
  s.missed = expected - r.received;
  if (lat.empty()) return s;
  s.last_ms = *std::max_element(lat.begin(), lat.end());
  s.p50_ms = percentile(lat, 0.50);
  s.p99_ms = percentile(lat, 0.99);
  double first = *std::min_element(lat.begin(), lat.end());
  // Deliveries per second over the fan-out window (first to last delivery).
  s.per_s = s.last_ms > first ? (static_cast<double>(lat.size()) - 1) / ((s.last_ms - first) / 1000) : 0;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows up when piped too
  ::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit(static_cast<long>(o.clients) + 64);

  try {
    ParleydOptions po;
    po.path = o.parleyd;
    po.keep_data = o.keep_data;
    po.tmp_prefix = "parley-bench-ws";
    po.env_defaults = {{"PARLEY_LIMITS_MAX_CONNECTIONS_PER_IP", "20000"},  // default 256 per IP
                       {"PARLEY_LOG_LEVEL", "warn"}};
    Parleyd server(po);
    std::printf("parleyd pid %d at %s:%s, %d clients, %d rounds\n", server.pid(), server.host().c_str(),
                server.port().c_str(), o.clients, o.rounds);
    asio::io_context io(1);
    Stats stats;
    Result result;
    std::vector<std::shared_ptr<Client>> clients;
    std::exception_ptr failure;
    asio::co_spawn(io, bench(o, server, result, stats, clients), [&](std::exception_ptr e) {
      failure = e;
      stats.closing = true;
      for (auto& c : clients) c->close();
    });
    io.run();
    clients.clear();
    std::string exit = server.stop();
    if (failure) std::rethrow_exception(failure);

    const int expected = stats.connected;
    const double n = std::max(1, stats.connected);
    std::printf("\nparleyd RSS: base %ld KiB, %d idle sockets %ld KiB, subscribed %ld KiB, end %ld KiB (peak %ld KiB)\n",
                result.rss_base, stats.connected, result.rss_idle, result.rss_sub, result.rss_end, result.hwm_end);
    const double per_idle = static_cast<double>(result.rss_idle - result.rss_base) / n;
    const double per_sub = static_cast<double>(result.rss_sub - result.rss_base) / n;
    std::printf("per socket: %.2f KiB idle+authenticated, %.2f KiB with one subscription (+%.2f)\n", per_idle, per_sub,
                per_sub - per_idle);
    std::printf("parleyd threads: %ld\n", result.threads);
    std::printf("\n%-16s %9s %9s %9s %9s %10s %7s %6s %9s %8s %8s %10s\n", "round", "trigger", "p50_ms", "p99_ms",
                "last_ms", "deliv/s", "missed", "dups", "identical", "srv_cpu", "own_cpu", "rss_kib");
    std::vector<double> last, p50, p99, rate;
    int missed = 0, mismatched = 0;
    for (std::size_t i = 0; i < result.rounds.size(); ++i) {
      const Round& r = result.rounds[i];
      RoundSummary s = summarize(r, expected);
      std::printf("%-16s %9.2f %9.2f %9.2f %9.2f %10.0f %7d %6d %9s %8.0f %8.0f %10ld\n", r.label.c_str(),
                  r.mutation_ms, s.p50_ms, s.p99_ms, s.last_ms, s.per_s, s.missed, r.duplicates,
                  r.mismatched == 0 ? "yes" : "NO", r.cpu_ms, r.bench_cpu_ms, r.rss_after);
      mismatched += r.mismatched;
      if (i == 0) continue;  // the warm-up is shown, not summarized
      last.push_back(s.last_ms);
      p50.push_back(s.p50_ms);
      p99.push_back(s.p99_ms);
      rate.push_back(s.per_s);
      missed += s.missed;
    }
    if (!result.rounds.empty() && !result.rounds.back().reference.empty()) {
      std::printf("\nlast payload: %s\n", result.rounds.back().reference.c_str());
    }
    std::printf("sockets closed during the run: %d, unexpected frames: %d%s%s, stray events: %d\n", stats.closed,
                stats.unexpected, stats.first_unexpected.empty() ? "" : " (first: ", 
                stats.first_unexpected.empty() ? "" : (stats.first_unexpected + ")").c_str(), stats.stray_events);
    if (!stats.first_failure.empty()) std::printf("first failure: %s\n", stats.first_failure.c_str());
    const bool clean_exit = Parleyd::clean_exit(exit);
    std::printf("parleyd: %s%s\n", exit.c_str(), clean_exit ? "" : "  <-- did not exit cleanly on SIGTERM");
    std::printf(
        "\nfanout clients=%d connected=%d rounds=%d last_ms=%.2f p50_ms=%.2f p99_ms=%.2f deliveries_per_s=%.0f "
        "missed=%d identical=%s rss_per_idle_socket_kib=%.2f rss_per_subscribed_socket_kib=%.2f open_s=%.2f "
        "clean_exit=%s\n",
        o.clients, stats.connected, o.rounds, median(last), median(p50), median(p99), median(rate), missed,
        mismatched == 0 ? "yes" : "no", per_idle, per_sub, result.open_s, clean_exit ? "yes" : "no");
    return (missed == 0 && stats.failed == 0 && mismatched == 0 && clean_exit) ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ws_fanout: %s\n", e.what());
    return 1;
  }
}
