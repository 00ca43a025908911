// bench_chat: Parley's chat under load, over real graphql-transport-ws
// sockets against a parleyd it starts itself. Three scenarios (README.md in
// this folder has the details):
//
//   --scenario throughput  users in groups all send at a stepped aggregate
//                          rate; every message is acknowledged (committed)
//                          and must reach every member exactly once, in seq
//                          order. Finds the highest sustained delivery rate,
//                          then measures send-to-delivery latency at a
//                          fixed rate.
//   --scenario idle        many idle subscribed sockets: parleyd's RSS per
//                          connection above its baseline.
//   --scenario reconnect   clients that are N events behind reconnect at
//                          once with events(since: cursor): time until all
//                          caught up, each with exactly its missed events.
//
// Shape: one process, one thread, one io_context; the bench's clients are
// Beast WebSocket streams driven by completion handlers (reads) and a write
// queue per socket. All bookkeeping is touched only on that thread, so there
// are no locks. Frames are classified with substring searches on the bytes
// parleyd sends (its layout is {"id":..,"type":..,"payload":..}); no JSON
// parse on the hot path. Each scenario prints one machine-readable summary
// line starting with "chat <scenario>" and exits non-zero on any lost,
// duplicated or out-of-order delivery, failed socket or unclean parleyd exit.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../common/graphql_client.hpp"
#include "../common/process.hpp"

namespace {

using namespace parley::bench;  // NOLINT(google-build-using-namespace): a one-file tool

constexpr std::string_view kUserAgent = "bench_chat";
constexpr std::string_view kPassword = "chat load bench password 5c1e";
constexpr std::string_view kSignUp = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }";
constexpr std::string_view kCreateGroup =
    "mutation($t: String!, $m: [ID!]!) { createGroupConversation(title: $t, memberIds: $m) { id } }";
constexpr std::string_view kEventCursor = "{ eventCursor }";
// What a chat client asks for: enough to render the message and to resume.
constexpr std::string_view kSendMutation =
    "mutation($i: SendMessageInput!) { sendMessage(input: $i) { id seq createdAt } }";
constexpr std::string_view kEventFields =
    "__typename cursor ... on MessageCreatedEvent { message { id seq clientId conversationId body createdAt "
    "sender { id } } }";
// A message body of a typical chat line's length (~60 bytes with its number).
constexpr std::string_view kBodyText = "Load test message, about as long as a typical chat line: #";

struct Options {
  std::string scenario;
  std::string parleyd = "build/bin/parleyd";
  int users = 1000;         // throughput, reconnect: users; idle: accounts
  int group_size = 5;
  std::vector<int> rates = {2'500,  5'000,  7'500,  10'000, 15'000,  20'000,  30'000, 40'000,
                           50'000, 60'000, 80'000, 100'000, 120'000, 150'000, 200'000};  // deliveries/s
  int step_s = 10;
  int warmup_ms = 1000;     // of each step, not counted
  int latency_rate = 50'000;  // deliveries/s for the latency run (0 = none)
  int max_in_flight = 64;   // sendMessage operations per socket (the server allows 100 operations)
  int connections = 10'000;  // idle
  int clients = 5000;        // reconnect
  int behind = 100;          // reconnect: events each client missed
  std::string cursors = "per-group";  // reconnect: per-group (each group's members left at another position) | same
  int concurrency = -1;      // WebSocket opens in flight, 0 = all at once; default 500, reconnect 0
  int http_concurrency = 16;  // sign-ups, groups, setup messages
  int settle_ms = 1000;
  bool keep_data = false;
  // Self-test of the verification: tamper with the 1,000th MessageCreatedEvent
  // the bench receives (drop it, process it twice, or process it after the
  // socket's next frame). A run with a fault must fail.
  std::string inject_fault;
};

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --scenario throughput|idle|reconnect [--parleyd PATH] [--users N] [--group-size N]\n"
               "          [--rates R1,R2,...] [--step-s S] [--warmup-ms MS] [--latency-rate R] [--max-in-flight N]\n"
               "          [--connections N] [--clients N] [--behind N] [--cursors per-group|same] [--concurrency C]\n"
               "          [--http-concurrency C]\n"
               "          [--settle-ms MS] [--keep-data] [--inject-fault drop|duplicate|reorder]\n"
               "rates are delivered messages per second (each message reaches group-size - 1 others)\n",
               argv0);
  std::exit(2);
}

int parse_int(const std::string& v, const char* argv0) {
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (end == v.c_str() || *end != '\0' || n < 0 || n > 10'000'000) usage(argv0);
  return static_cast<int>(n);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(argv[0]);
      return argv[++i];
    };
    auto int_value = [&] { return parse_int(value(), argv[0]); };
    if (a == "--scenario") o.scenario = value();
    else if (a == "--parleyd") o.parleyd = value();
    else if (a == "--users") o.users = int_value();
    else if (a == "--group-size") o.group_size = int_value();
    else if (a == "--rates") {
      o.rates.clear();
      std::string list = value();
      std::size_t at = 0;
      while (at <= list.size()) {
        auto comma = list.find(',', at);
        if (comma == std::string::npos) comma = list.size();
        o.rates.push_back(parse_int(list.substr(at, comma - at), argv[0]));
        at = comma + 1;
      }
    } else if (a == "--step-s") o.step_s = int_value();
    else if (a == "--warmup-ms") o.warmup_ms = int_value();
    else if (a == "--latency-rate") o.latency_rate = int_value();
    else if (a == "--max-in-flight") o.max_in_flight = std::max(1, int_value());
    else if (a == "--connections") o.connections = int_value();
    else if (a == "--clients") o.clients = int_value();
    else if (a == "--behind") o.behind = int_value();
    else if (a == "--cursors") o.cursors = value();
    else if (a == "--concurrency") o.concurrency = int_value();
    else if (a == "--http-concurrency") o.http_concurrency = std::max(1, int_value());
    else if (a == "--settle-ms") o.settle_ms = int_value();
    else if (a == "--keep-data") o.keep_data = true;
    else if (a == "--inject-fault") o.inject_fault = value();
    else usage(argv[0]);
  }
  if (o.scenario != "throughput" && o.scenario != "idle" && o.scenario != "reconnect") usage(argv[0]);
  if (o.users < 2 || o.group_size < 2 || o.users % o.group_size != 0 || o.step_s < 1 || o.rates.empty()) {
    usage(argv[0]);
  }
  if (o.warmup_ms >= o.step_s * 1000) usage(argv[0]);
  if (o.cursors != "per-group" && o.cursors != "same") usage(argv[0]);
  if (!o.inject_fault.empty() && o.inject_fault != "drop" && o.inject_fault != "duplicate" &&
      o.inject_fault != "reorder") {
    usage(argv[0]);
  }
  if (o.concurrency < 0) o.concurrency = o.scenario == "reconnect" ? 0 : 500;
  return o;
}

// ---------------------------------------------------------------------------
// Frame helpers. parleyd writes every graphql-transport-ws frame as
// {"id":"<id>","type":"<type>",...}; ids the bench chooses are plain ASCII.

std::string_view frame_id(std::string_view text) {
  constexpr std::string_view kPrefix = "{\"id\":\"";
  if (text.substr(0, kPrefix.size()) != kPrefix) return {};
  auto end = text.find('"', kPrefix.size());
  if (end == std::string_view::npos) return {};
  return text.substr(kPrefix.size(), end - kPrefix.size());
}

// The string value after `key` (which ends with the opening quote), or "".
std::string_view string_after(std::string_view text, std::string_view key, std::size_t from = 0) {
  auto at = text.find(key, from);
  if (at == std::string_view::npos) return {};
  at += key.size();
  auto end = text.find('"', at);
  if (end == std::string_view::npos) return {};
  return text.substr(at, end - at);
}

// The non-negative integer after `key` (which ends with the colon), or -1.
std::int64_t int_after(std::string_view text, std::string_view key, std::size_t from = 0) {
  auto at = text.find(key, from);
  if (at == std::string_view::npos) return -1;
  at += key.size();
  std::int64_t n = 0;
  bool any = false;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    n = n * 10 + (text[at] - '0');
    any = true;
    ++at;
  }
  return any ? n : -1;
}

// Digits after a one-letter prefix ("b123" -> 123), or -1.
std::int64_t number_after_prefix(std::string_view s, char prefix) {
  if (s.size() < 2 || s[0] != prefix) return -1;
  std::int64_t n = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

std::string subscribe_events_frame(const std::string& id, const std::string& since) {
  Json f;
  f["id"] = id;
  f["type"] = "subscribe";
  if (since.empty()) {
    f["payload"]["query"] = "subscription { events { " + std::string(kEventFields) + " } }";
  } else {
    f["payload"]["query"] = "subscription($since: String) { events(since: $since) { " + std::string(kEventFields) + " } }";
    f["payload"]["variables"]["since"] = since;
  }
  return f.dump();
}

// sendMessage as a graphql-transport-ws operation with id "s<index>" and
// clientId "b<index>". Built by hand: it is on the hot path.
std::string send_frame(std::int64_t index, const std::string& conversation_id) {
  std::string f;
  f.reserve(320);
  f += "{\"id\":\"s";
  f += std::to_string(index);
  f += "\",\"type\":\"subscribe\",\"payload\":{\"query\":\"";
  f += kSendMutation;
  f += "\",\"variables\":{\"i\":{\"conversationId\":\"";
  f += conversation_id;
  f += "\",\"clientId\":\"b";
  f += std::to_string(index);
  f += "\",\"body\":\"";
  f += kBodyText;
  f += std::to_string(index);
  f += "\"}}}}";
  return f;
}

// ---------------------------------------------------------------------------
// The population: users, their tokens, and their groups.

struct User {
  std::string id;
  std::string token;
  int group = -1;  // index into World::groups
  int slot = -1;   // position among the group's members
};

struct Group {
  std::string id;
  std::vector<int> members;  // user indexes; members[0] created the group
};

struct World {
  std::vector<User> users;
  std::vector<Group> groups;
};

asio::awaitable<void> sign_up_worker(GraphqlHttp& api, World& world, int& next, const std::string& tag) {
  const std::string no_token;
  while (next < static_cast<int>(world.users.size())) {
    const int i = next++;
    Json vars;
    vars["i"]["email"] = "u" + std::to_string(i) + "." + tag + "@bench.test";
    vars["i"]["password"] = kPassword;
    vars["i"]["displayName"] = "Load User " + std::to_string(i);
    Json data = co_await api.post(kSignUp, vars, no_token, kUserAgent);
    world.users[static_cast<std::size_t>(i)].token = data["signUp"]["accessToken"].get<std::string>();
    world.users[static_cast<std::size_t>(i)].id = data["signUp"]["user"]["id"].get<std::string>();
  }
}

asio::awaitable<void> group_worker(GraphqlHttp& api, World& world, int& next) {
  while (next < static_cast<int>(world.groups.size())) {
    const int g = next++;
    Group& group = world.groups[static_cast<std::size_t>(g)];
    Json vars;
    vars["t"] = "Load group " + std::to_string(g);
    vars["m"] = Json::array();
    for (std::size_t k = 1; k < group.members.size(); ++k) {
      vars["m"].push_back(world.users[static_cast<std::size_t>(group.members[k])].id);
    }
    const std::string& token = world.users[static_cast<std::size_t>(group.members[0])].token;
    Json data = co_await api.post(kCreateGroup, vars, token, kUserAgent);
    group.id = data["createGroupConversation"]["id"].get<std::string>();
  }
}

// Runs `count` copies of `worker` on their own keep-alive connections and
// waits for all. Exceptions propagate to the caller.
template <typename Worker>
asio::awaitable<void> run_workers(tcp::endpoint endpoint, const std::string& host, int count, Worker worker) {
  auto executor = co_await asio::this_coro::executor;
  auto& io = static_cast<asio::io_context&>(executor.context());
  std::vector<std::unique_ptr<GraphqlHttp>> conns;
  int done = 0;
  std::exception_ptr failure;
  for (int i = 0; i < count; ++i) {
    conns.push_back(std::make_unique<GraphqlHttp>(io, endpoint, host));
    asio::co_spawn(io, worker(*conns.back()), [&done, &failure](std::exception_ptr e) {
      if (e && !failure) failure = e;
      ++done;
    });
  }
  co_await wait_until([&done, count] { return done == count; }, 3'600'000);
  if (failure) std::rethrow_exception(failure);
}

// Users 0..n-1 in groups of `group_size` (users g*size .. g*size+size-1).
asio::awaitable<void> build_world(const Options& o, tcp::endpoint endpoint, const std::string& host, World& world,
                                  bool with_groups) {
  world.users.resize(static_cast<std::size_t>(o.users));
  const std::string tag = std::to_string(::getpid());
  int next_user = 0;
  auto t0 = SteadyClock::now();
  co_await run_workers(endpoint, host, o.http_concurrency, [&world, &next_user, &tag](GraphqlHttp& api) {
    return sign_up_worker(api, world, next_user, tag);
  });
  const double sign_up_s = ms_between(t0, SteadyClock::now()) / 1000;
  std::printf("signed up %d users in %.1f s (%.0f/s)\n", o.users, sign_up_s, o.users / sign_up_s);
  if (!with_groups) co_return;
  world.groups.resize(static_cast<std::size_t>(o.users / o.group_size));
  for (int u = 0; u < o.users; ++u) {
    auto& user = world.users[static_cast<std::size_t>(u)];
    user.group = u / o.group_size;
    user.slot = u % o.group_size;
    world.groups[static_cast<std::size_t>(user.group)].members.push_back(u);
  }
  int next_group = 0;
  t0 = SteadyClock::now();
  co_await run_workers(endpoint, host, o.http_concurrency,
                       [&world, &next_group](GraphqlHttp& api) { return group_worker(api, world, next_group); });
  std::printf("created %zu groups of %d in %.1f s\n", world.groups.size(), o.group_size,
              ms_between(t0, SteadyClock::now()) / 1000);
}

// ---------------------------------------------------------------------------
// One graphql-transport-ws socket. The scenario sees its frames through a
// Listener; sends are queued and written one at a time (Beast allows one
// write in flight).

std::string g_fault;       // Options::inject_fault, read by every client
long g_fault_count = 0;    // MessageCreatedEvents seen while injecting

class Client;

class Listener {
 public:
  virtual ~Listener() = default;
  // A complete text frame; `text` is valid only during the call.
  virtual void on_frame(Client& client, std::string_view text, TimePoint now) = 0;
};

struct SocketStats {
  int opened = 0;   // connection_ack received
  int failed = 0;   // could not connect, upgrade or initialise
  int closed = 0;   // died after connection_ack while the bench still wanted it
  int in_flight = 0;  // opens under way
  bool closing = false;  // the bench closes its sockets: closes are not failures
  std::string first_failure;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, int index, int user, Listener& listener, SocketStats& stats)
      : ws_(io), index_(index), user_(user), listener_(listener), stats_(stats) {}

  int index() const { return index_; }
  int user() const { return user_; }
  bool open() const { return open_; }
  TimePoint opened_at() const { return opened_at_; }

  // Connects and initialises, then reads until the socket closes. The
  // caller counts the open in stats.in_flight before spawning this.
  asio::awaitable<void> run(tcp::endpoint endpoint, std::string host, std::string token) {
    auto self = shared_from_this();
    std::string failure = co_await open_graphql_ws(ws_, buffer_, endpoint, std::move(host), std::move(token));
    --stats_.in_flight;
    if (!failure.empty()) {
      ++stats_.failed;
      if (stats_.first_failure.empty()) stats_.first_failure = failure;
      co_return;
    }
    open_ = true;
    opened_at_ = SteadyClock::now();
    ++stats_.opened;
    if (!queue_.empty()) write_next();  // sends queued while opening
    read();
  }

  void send(std::string frame) {
    queue_.push_back(std::move(frame));
    if (open_ && !writing_) write_next();
  }

  void close() {
    open_ = false;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  // Per-client counters the scenarios use (all on the bench thread).
  int in_flight_ops = 0;
  std::int64_t last_seq = 0;   // throughput: last seq delivered from the user's group
  int received = 0;            // reconnect: MessageCreatedEvents received
  TimePoint done_at{};         // reconnect: when the last missed event arrived

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->on_closed(ec);
      std::string_view text(static_cast<const char*>(self->buffer_.data().data()), self->buffer_.size());
      if (g_fault.empty()) {
        self->listener_.on_frame(*self, text, SteadyClock::now());
      } else {
        self->deliver_with_fault(text);
      }
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  // --inject-fault: the 1,000th MessageCreatedEvent of the run is dropped,
  // doubled, or held back until this socket's next MessageCreatedEvent.
  void deliver_with_fault(std::string_view text) {
    const auto now = SteadyClock::now();
    const bool message = text.find("\"MessageCreatedEvent\"") != std::string_view::npos;
    if (message && ++g_fault_count == 1000) {
      if (g_fault == "drop") return;
      if (g_fault == "duplicate") listener_.on_frame(*this, text, now);
      if (g_fault == "reorder") {
        held_ = std::string(text);
        return;
      }
    }
    listener_.on_frame(*this, text, now);
    if (message && !held_.empty()) listener_.on_frame(*this, std::exchange(held_, {}), now);
  }

  void write_next() {
    writing_ = true;
    ws_.async_write(asio::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->queue_.pop_front();
      if (ec || self->queue_.empty()) {
        self->writing_ = false;
        return;  // a failed write shows up as a failed read too
      }
      self->write_next();
    });
  }

  void on_closed(beast::error_code ec) {
    const bool was_open = open_;
    open_ = false;
    if (stats_.closing || !was_open) return;
    ++stats_.closed;
    if (stats_.first_failure.empty()) {
      stats_.first_failure = "socket " + std::to_string(index_) + " closed: " + ec.message() + close_reason(ws_);
    }
  }

  WsStream ws_;
  beast::flat_buffer buffer_;
  std::string held_;  // --inject-fault reorder
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool open_ = false;
  TimePoint opened_at_{};
  int index_;
  int user_;
  Listener& listener_;
  SocketStats& stats_;
};

using Clients = std::vector<std::shared_ptr<Client>>;

// Opens one client per entry of `users` (user index per client), at most
// `concurrency` opens in flight (0 = all at once), and waits until each is
// open or failed.
asio::awaitable<void> open_clients(Clients& clients, const std::vector<int>& users, const World& world,
                                   Listener& listener, SocketStats& stats, tcp::endpoint endpoint,
                                   const std::string& host, int concurrency) {
  auto& io = static_cast<asio::io_context&>((co_await asio::this_coro::executor).context());
  const int first = static_cast<int>(clients.size());
  const int before = stats.opened + stats.failed;
  for (std::size_t i = 0; i < users.size(); ++i) {
    while (concurrency > 0 && stats.in_flight >= concurrency) co_await sleep_ms(1);
    auto c = std::make_shared<Client>(io, first + static_cast<int>(i), users[i], listener, stats);
    clients.push_back(c);
    ++stats.in_flight;
    asio::co_spawn(io, c->run(endpoint, host, world.users[static_cast<std::size_t>(users[i])].token),
                   asio::detached);
  }
  const int expected = before + static_cast<int>(users.size());
  co_await wait_until([&] { return stats.opened + stats.failed >= expected; }, 600'000);
}

void close_all(Clients& clients, SocketStats& stats) {
  stats.closing = true;
  for (auto& c : clients) c->close();
}

bool is_pong(std::string_view text) { return text.find("\"type\":\"pong\"") != std::string_view::npos; }

// ---------------------------------------------------------------------------
// Scenario 1: throughput and latency.

struct Message {
  TimePoint sent{};
  TimePoint acked{};
  std::int32_t sender = 0;
  std::int32_t group = 0;
  std::int32_t ack_seq = -1;      // from the mutation's answer
  std::int32_t event_seq = -1;    // from the first delivery
  std::uint32_t delivered = 0;    // bit per member slot
  bool failed = false;            // the mutation answered an error
};

struct Step {
  std::string label;
  int target = 0;  // deliveries per second
  TimePoint start{}, window_start{}, stop{};
  std::int64_t first_message = 0, end_message = 0;  // [first, end) sent in this step
  std::int64_t planned = 0;
  std::int64_t held_back = 0;  // sends skipped because a socket had max_in_flight operations
  std::int64_t deliveries_in_window = 0;
  std::vector<float> latency_ms;  // deliveries to others of messages sent in the window
  std::vector<float> ack_ms;      // mutation round trips of messages sent in the window
  double drain_ms = 0;            // after the step's last send until everything arrived
  double server_cpu_ms = 0, bench_cpu_ms = 0;
  double busiest_thread_cpu_ms = 0;  // parleyd's busiest thread (the store writer under this load)
  double cpu_wait_ms = 0;            // parleyd's threads runnable but without a CPU (other load)
  long long wrote_bytes = 0, write_calls = 0;  // parleyd's write/pwrite (the SQLite WAL and database)
  bool complete = false;  // every message acknowledged and delivered after the drain
  bool sustained = false;
};

class Throughput final : public Listener {
 public:
  Throughput(const Options& o, World& world) : o_(o), world_(world) {}

  void on_frame(Client& client, std::string_view text, TimePoint now) override {
    std::string_view id = frame_id(text);
    if (id == "e") return on_event(client, text, now);
    if (!id.empty() && id[0] == 's') return on_send_answer(client, id, text, now);
    if (is_pong(text)) {
      ++pongs_;
      return;
    }
    unexpected(text);
  }

  int pongs() const { return pongs_; }

  // Sends one message from `user` (the next in the rotation); false when its
  // socket already has max_in_flight operations.
  bool send_from(Client& client) {
    if (client.in_flight_ops >= o_.max_in_flight) return false;
    const User& user = world_.users[static_cast<std::size_t>(client.user())];
    const std::int64_t index = static_cast<std::int64_t>(messages_.size());
    Message m;
    m.sender = client.user();
    m.group = user.group;
    m.sent = SteadyClock::now();
    messages_.push_back(m);
    ++client.in_flight_ops;
    client.send(send_frame(index, world_.groups[static_cast<std::size_t>(user.group)].id));
    return true;
  }

  std::int64_t sent() const { return static_cast<std::int64_t>(messages_.size()); }

  // Whether every message in [first, end) was answered and delivered to every member.
  bool all_arrived(std::int64_t first, std::int64_t end) const {
    const std::uint32_t all = (1u << o_.group_size) - 1;
    for (std::int64_t i = std::max(first, settled_upto_); i < end; ++i) {
      const Message& m = messages_[static_cast<std::size_t>(i)];
      if (m.ack_seq < 0 || m.delivered != all) return false;
    }
    return true;
  }

  // Advances the prefix of messages known complete (so polling stays cheap).
  void advance_settled() {
    const std::uint32_t all = (1u << o_.group_size) - 1;
    while (settled_upto_ < sent()) {
      const Message& m = messages_[static_cast<std::size_t>(settled_upto_)];
      if (m.ack_seq < 0 || m.delivered != all) break;
      ++settled_upto_;
    }
  }

  // Counts what never arrived among [first, end).
  void count_missing(std::int64_t first, std::int64_t end) {
    const std::uint32_t all = (1u << o_.group_size) - 1;
    for (std::int64_t i = first; i < end; ++i) {
      const Message& m = messages_[static_cast<std::size_t>(i)];
      if (m.ack_seq < 0 && !m.failed) ++unanswered;
      lost += __builtin_popcount(all & ~m.delivered);
    }
  }

  void begin_step(Step* step) { step_ = step; }

  // Totals over the run.
  std::int64_t deliveries = 0, echoes = 0, acks = 0;
  std::int64_t duplicates = 0, out_of_order = 0, seq_mismatches = 0, send_errors = 0, unexpected_frames = 0;
  std::int64_t lost = 0, unanswered = 0;
  std::string first_problem;

 private:
  void problem(const std::string& what) {
    if (first_problem.empty()) first_problem = what;
  }

  void unexpected(std::string_view text) {
    ++unexpected_frames;
    problem("unexpected frame: " + std::string(text.substr(0, 300)));
  }

  void on_send_answer(Client& client, std::string_view id, std::string_view text, TimePoint now) {
    const std::int64_t index = number_after_prefix(id, 's');
    if (index < 0 || index >= sent()) return unexpected(text);
    Message& m = messages_[static_cast<std::size_t>(index)];
    if (text.find("\"type\":\"complete\"") != std::string_view::npos) {
      --client.in_flight_ops;
      return;
    }
    const std::int64_t seq = int_after(text, "\"seq\":");
    if (text.find("\"type\":\"next\"") == std::string_view::npos || seq < 0 ||
        text.find("\"errors\"") != std::string_view::npos) {
      ++send_errors;
      m.failed = true;
      problem("sendMessage failed: " + std::string(text.substr(0, 300)));
      if (text.find("\"type\":\"error\"") != std::string_view::npos) --client.in_flight_ops;  // no complete follows
      return;
    }
    if (m.ack_seq >= 0) {
      ++duplicates;
      problem("a second answer to " + std::string(id));
      return;
    }
    m.ack_seq = static_cast<std::int32_t>(seq);
    m.acked = now;
    ++acks;
    if (m.event_seq >= 0 && m.event_seq != m.ack_seq) {
      ++seq_mismatches;
      problem("message " + std::to_string(index) + " answered seq " + std::to_string(seq) + " but was delivered as " +
              std::to_string(m.event_seq));
    }
    if (step_ && m.sent >= step_->window_start) step_->ack_ms.push_back(static_cast<float>(ms_between(m.sent, now)));
  }

  void on_event(Client& client, std::string_view text, TimePoint now) {
    if (text.find("\"MessageCreatedEvent\"") == std::string_view::npos) {
      if (text.find("\"type\":\"next\"") != std::string_view::npos && text.find("\"errors\"") == std::string_view::npos) {
        ++other_events_;  // not a message: nothing else happens in this scenario, but harmless
        return;
      }
      return unexpected(text);
    }
    const std::int64_t index = number_after_prefix(string_after(text, "\"clientId\":\""), 'b');
    const std::int64_t seq = int_after(text, "\"seq\":");
    if (index < 0 || index >= sent() || seq < 0) return unexpected(text);
    Message& m = messages_[static_cast<std::size_t>(index)];
    const User& receiver = world_.users[static_cast<std::size_t>(client.user())];
    const Group& group = world_.groups[static_cast<std::size_t>(m.group)];
    if (receiver.group != m.group || string_after(text, "\"conversationId\":\"") != group.id) {
      ++unexpected_frames;
      problem("message " + std::to_string(index) + " reached a non-member or named the wrong conversation");
      return;
    }
    const std::uint32_t bit = 1u << receiver.slot;
    if (m.delivered & bit) {
      ++duplicates;
      problem("message " + std::to_string(index) + " delivered twice to user " + std::to_string(client.user()));
      return;
    }
    m.delivered |= bit;
    if (seq <= client.last_seq) {
      ++out_of_order;
      problem("user " + std::to_string(client.user()) + " got seq " + std::to_string(seq) + " after " +
              std::to_string(client.last_seq));
    }
    client.last_seq = std::max<std::int64_t>(client.last_seq, seq);
    if (m.event_seq < 0) {
      m.event_seq = static_cast<std::int32_t>(seq);
      if (m.ack_seq >= 0 && m.ack_seq != m.event_seq) {
        ++seq_mismatches;
        problem("message " + std::to_string(index) + " delivered as seq " + std::to_string(seq) + " but answered " +
                std::to_string(m.ack_seq));
      }
    } else if (m.event_seq != seq) {
      ++seq_mismatches;
      problem("message " + std::to_string(index) + " delivered with two different seqs");
    }
    if (client.user() == m.sender) {
      ++echoes;  // the sender's own socket (its other devices would get it the same way)
      return;
    }
    ++deliveries;
    if (step_) {
      if (now >= step_->window_start && (step_->stop == TimePoint{} || now <= step_->stop)) ++step_->deliveries_in_window;
      if (m.sent >= step_->window_start) step_->latency_ms.push_back(static_cast<float>(ms_between(m.sent, now)));
    }
  }

  const Options& o_;
  World& world_;
  std::vector<Message> messages_;
  std::int64_t settled_upto_ = 0;
  std::int64_t other_events_ = 0;
  int pongs_ = 0;
  Step* step_ = nullptr;
};

// Runs one step at `target` deliveries/s; records it in `step`.
asio::awaitable<void> run_step(const Options& o, Parleyd& server, Throughput& t, Clients& clients, Step& step) {
  const int others = o.group_size - 1;
  const double messages_per_s = static_cast<double>(step.target) / others;
  const std::int64_t planned = static_cast<std::int64_t>(messages_per_s * o.step_s);
  // Senders rotate over groups first, then members, so consecutive messages
  // go to different conversations and every user sends at the same rate.
  const int groups = static_cast<int>(clients.size()) / o.group_size;
  auto sender_at = [&](std::int64_t k) {
    const int g = static_cast<int>(k % groups);
    const int member = static_cast<int>((k / groups) % o.group_size);
    return g * o.group_size + member;
  };
  step.planned = planned;
  step.first_message = t.sent();
  const double cpu0 = server.cpu_ms();
  const double own0 = own_cpu_ms();
  const auto threads0 = server.thread_cpu_ms();
  const double wait0 = server.cpu_wait_ms();
  const long long wchar0 = server.io_field("wchar:"), syscw0 = server.io_field("syscw:");
  step.start = SteadyClock::now();
  step.window_start = step.start + std::chrono::milliseconds(o.warmup_ms);
  t.begin_step(&step);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::int64_t issued = 0;  // sends attempted (sent + held back)
  auto next_tick = step.start;
  while (issued < planned) {
    next_tick += std::chrono::milliseconds(1);
    timer.expires_at(next_tick);
    co_await timer.async_wait(asio::use_awaitable);
    const double elapsed_s = ms_between(step.start, SteadyClock::now()) / 1000;
    const std::int64_t due = std::min<std::int64_t>(planned, static_cast<std::int64_t>(messages_per_s * elapsed_s));
    for (; issued < due; ++issued) {
      Client& c = *clients[static_cast<std::size_t>(sender_at(issued))];
      if (!c.open() || !t.send_from(c)) ++step.held_back;
    }
  }
  step.stop = SteadyClock::now();
  step.end_message = t.sent();
  const double window_s = ms_between(step.window_start, step.stop) / 1000;
  // Drain: wait for every answer and delivery of this step. An overloaded
  // server may hold up to max_in_flight sends per socket; whatever has not
  // arrived after 120 s counts as lost.
  const std::int64_t first = step.first_message, end = step.end_message;
  co_await wait_until(
      [&] {
        t.advance_settled();
        return t.all_arrived(first, end);
      },
      120'000);
  step.drain_ms = ms_between(step.stop, SteadyClock::now());
  step.server_cpu_ms = server.cpu_ms() - cpu0;
  step.bench_cpu_ms = own_cpu_ms() - own0;
  step.cpu_wait_ms = server.cpu_wait_ms() - wait0;
  step.wrote_bytes = server.io_field("wchar:") - wchar0;
  step.write_calls = server.io_field("syscw:") - syscw0;
  for (const auto& [tid, ms] : server.thread_cpu_ms()) {
    for (const auto& [tid0, ms0] : threads0) {
      if (tid == tid0) step.busiest_thread_cpu_ms = std::max(step.busiest_thread_cpu_ms, ms - ms0);
    }
  }
  t.begin_step(nullptr);
  step.complete = t.all_arrived(first, end);
  if (!step.complete) t.count_missing(first, end);
  const double rate = static_cast<double>(step.deliveries_in_window) / window_s;
  std::vector<double> lat(step.latency_ms.begin(), step.latency_ms.end());
  const double p99 = percentile(lat, 0.99);
  // Sustained: every planned send went out, deliveries kept pace with the
  // target within the window, and no queue stood in between (the tail
  // drained and p99 stayed under a quarter of a second: a chat line later
  // than that is noticed).
  step.sustained = step.complete && step.held_back == 0 && rate >= 0.97 * step.target && step.drain_ms < 250 &&
                   p99 < 250;
}

void print_step_header() {
  std::printf("\n%-10s %9s %9s %10s %8s %8s %8s %8s %8s %9s %8s %8s %8s %6s %s\n", "step", "target/s", "sent/s",
              "deliv/s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "ack_p99", "drain_ms", "srv_cpu%", "top_thr%",
              "own_cpu%", "load", "sustained");
}

void print_step(const Options& o, const Step& s) {
  const double window_s = ms_between(s.window_start, s.stop) / 1000;
  const double step_s = ms_between(s.start, s.stop) / 1000;
  const double wall_s = step_s + s.drain_ms / 1000;
  std::vector<double> lat(s.latency_ms.begin(), s.latency_ms.end());
  std::vector<double> ack(s.ack_ms.begin(), s.ack_ms.end());
  std::printf("%-10s %9d %9.0f %10.0f %8.2f %8.2f %8.2f %8.1f %8.2f %9.0f %8.0f %8.0f %8.0f %6.2f %s%s\n", s.label.c_str(),
              s.target, static_cast<double>(s.end_message - s.first_message) / step_s,
              static_cast<double>(s.deliveries_in_window) / window_s, percentile(lat, 0.5), percentile(lat, 0.9),
              percentile(lat, 0.99), lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()),
              percentile(ack, 0.99), s.drain_ms, 100 * s.server_cpu_ms / (wall_s * 1000),
              100 * s.busiest_thread_cpu_ms / (wall_s * 1000), 100 * s.bench_cpu_ms / (wall_s * 1000), load_average(), s.sustained ? "yes" : "no",
              s.held_back ? (" (held back " + std::to_string(s.held_back) + ")").c_str() : "");
  const double messages = static_cast<double>(std::max<std::int64_t>(1, s.end_message - s.first_message));
  std::printf("%-10s per message: parleyd %.0f us CPU (busiest thread %.0f us), bench %.0f us, parleyd wrote %.1f KiB "
              "in %.1f write calls; parleyd's threads waited %.0f ms per second for a CPU\n",
              "", s.server_cpu_ms * 1000 / messages, s.busiest_thread_cpu_ms * 1000 / messages,
              s.bench_cpu_ms * 1000 / messages, static_cast<double>(s.wrote_bytes) / 1024 / messages,
              static_cast<double>(s.write_calls) / messages, s.cpu_wait_ms / wall_s);
  (void)o;
}

struct ThroughputResult {
  std::vector<Step> steps;
  std::vector<Step> latency;  // at --latency-rate, then at half the highest sustained rate if lower
  int max_sustained = 0;
};

asio::awaitable<void> throughput(const Options& o, Parleyd& server, tcp::endpoint endpoint, std::string host,
                                 ThroughputResult& result, int& exit_code) {
  World world;
  co_await build_world(o, endpoint, host, world, true);
  Throughput t(o, world);
  SocketStats stats;
  Clients clients;
  std::vector<int> users(static_cast<std::size_t>(o.users));
  for (int u = 0; u < o.users; ++u) users[static_cast<std::size_t>(u)] = u;
  auto t0 = SteadyClock::now();
  co_await open_clients(clients, users, world, t, stats, endpoint, host, o.concurrency);
  std::printf("opened %d sockets in %.2f s (%d failed%s%s)\n", stats.opened, ms_between(t0, SteadyClock::now()) / 1000,
              stats.failed, stats.first_failure.empty() ? "" : "; first: ", stats.first_failure.c_str());
  if (stats.failed > 0) {
    exit_code = 1;
    close_all(clients, stats);
    co_return;
  }
  for (auto& c : clients) {
    c->send(subscribe_events_frame("e", ""));
    c->send(R"({"type":"ping"})");
  }
  co_await wait_until([&] { return t.pongs() >= stats.opened; }, 60'000);
  co_await sleep_ms(o.settle_ms);
  std::printf("subscribed %d sockets to events; parleyd RSS %ld KiB, %ld threads\n", t.pongs(), server.rss_kib(),
              server.threads());

  print_step_header();
  for (int rate : o.rates) {
    result.steps.emplace_back();
    Step& s = result.steps.back();
    s.label = "step";
    s.target = rate;
    co_await run_step(o, server, t, clients, s);
    print_step(o, s);
    if (!s.complete) break;  // lost messages: stop and report
    if (!s.sustained) break;
    result.max_sustained = rate;
    co_await sleep_ms(500);
  }
  // Latency means something only at a rate the server sustains (above it,
  // it grows with the length of the run).
  std::vector<int> latency_rates;
  if (o.latency_rate > 0 && o.latency_rate <= result.max_sustained) latency_rates.push_back(o.latency_rate);
  if (o.latency_rate > 0 && result.max_sustained < o.latency_rate) {
    std::printf("latency at %d deliveries/s not measured: above the highest sustained rate\n", o.latency_rate);
  }
  if (result.max_sustained / 2 > 0 && result.max_sustained / 2 < o.latency_rate) {
    latency_rates.push_back(result.max_sustained / 2);
  }
  result.latency.reserve(latency_rates.size());  // steps are referenced while they run
  for (int rate : latency_rates) {
    if (t.lost != 0 || t.unanswered != 0) break;
    co_await sleep_ms(1000);
    result.latency.emplace_back();
    Step& s = result.latency.back();
    s.label = "latency";
    s.target = rate;
    co_await run_step(o, server, t, clients, s);
    print_step(o, s);
  }
  const bool closed = stats.closed > 0;
  close_all(clients, stats);
  std::printf("\nsent %" PRId64 " messages: %" PRId64 " answered, %" PRId64 " deliveries to others, %" PRId64
              " echoes to the sender; lost %" PRId64 ", unanswered %" PRId64 ", duplicates %" PRId64
              ", out of order %" PRId64 ", seq mismatches %" PRId64 ", send errors %" PRId64 ", unexpected frames %" PRId64
              "\n",
              t.sent(), t.acks, t.deliveries, t.echoes, t.lost, t.unanswered, t.duplicates, t.out_of_order,
              t.seq_mismatches, t.send_errors, t.unexpected_frames);
  if (!t.first_problem.empty()) std::printf("first problem: %s\n", t.first_problem.c_str());
  if (closed) std::printf("sockets closed during the run: %d (first: %s)\n", stats.closed, stats.first_failure.c_str());
  const bool clean = t.lost == 0 && t.unanswered == 0 && t.duplicates == 0 && t.out_of_order == 0 && t.seq_mismatches == 0 &&
                     t.send_errors == 0 && t.unexpected_frames == 0 && !closed;
  if (!clean) exit_code = 1;
  const std::int64_t checked = t.deliveries + t.echoes;
  std::printf("verified %" PRId64 " deliveries (each message to each member exactly once, in seq order): %s\n", checked,
              clean ? "ok" : "FAILED");
}

// ---------------------------------------------------------------------------
// Scenario 2: idle connections.

class Idle final : public Listener {
 public:
  void on_frame(Client&, std::string_view text, TimePoint) override {
    if (is_pong(text)) ++pongs;
    else ++other;  // an idle user's stream carries nothing in this scenario
  }
  int pongs = 0;
  int other = 0;
};

struct IdleResult {
  long rss_base = 0, rss_open = 0, rss_subscribed = 0, rss_later = 0;
  int connections = 0;
  double open_s = 0;
};

asio::awaitable<void> idle(const Options& o, Parleyd& server, tcp::endpoint endpoint, std::string host,
                           IdleResult& result, int& exit_code) {
  World world;
  co_await build_world(o, endpoint, host, world, false);
  co_await sleep_ms(o.settle_ms);
  result.rss_base = server.rss_kib();
  Idle listener;
  SocketStats stats;
  Clients clients;
  std::vector<int> users(static_cast<std::size_t>(o.connections));
  for (int i = 0; i < o.connections; ++i) users[static_cast<std::size_t>(i)] = i % o.users;
  auto t0 = SteadyClock::now();
  co_await open_clients(clients, users, world, listener, stats, endpoint, host, o.concurrency);
  result.open_s = ms_between(t0, SteadyClock::now()) / 1000;
  std::printf("opened %d sockets (%d per account) in %.2f s (%d failed%s%s)\n", stats.opened, o.connections / o.users,
              result.open_s, stats.failed, stats.first_failure.empty() ? "" : "; first: ", stats.first_failure.c_str());
  co_await sleep_ms(o.settle_ms);
  result.rss_open = server.rss_kib();
  for (auto& c : clients) {
    c->send(subscribe_events_frame("e", ""));
    c->send(R"({"type":"ping"})");
  }
  co_await wait_until([&] { return listener.pongs >= stats.opened; }, 60'000);
  co_await sleep_ms(o.settle_ms);
  result.rss_subscribed = server.rss_kib();
  co_await sleep_ms(5000);  // still idle a little later: nothing grows by itself
  result.rss_later = server.rss_kib();
  result.connections = stats.opened;
  if (stats.failed > 0 || stats.closed > 0 || listener.pongs < stats.opened) exit_code = 1;
  close_all(clients, stats);
  std::printf("parleyd RSS: baseline %ld KiB, %d sockets initialised %ld KiB, subscribed %ld KiB, 5 s later %ld KiB\n",
              result.rss_base, stats.opened, result.rss_open, result.rss_subscribed, result.rss_later);
  if (stats.closed > 0) std::printf("sockets closed while idle: %d (first: %s)\n", stats.closed, stats.first_failure.c_str());
}

// ---------------------------------------------------------------------------
// Scenario 3: reconnect storm.

// Per group: the seqs of the messages sent while its members were away, in order.
struct Missed {
  std::vector<std::vector<std::int64_t>> seqs;  // [group][k]
};

asio::awaitable<void> cursor_worker(GraphqlHttp& api, World& world, std::vector<std::string>& cursors, int& next) {
  while (next < static_cast<int>(world.users.size())) {
    const int u = next++;
    Json data = co_await api.post(kEventCursor, Json::object(), world.users[static_cast<std::size_t>(u)].token,
                                  kUserAgent);
    cursors[static_cast<std::size_t>(u)] = data["eventCursor"].get<std::string>();
  }
}

// Sends `per_group` messages to every group in turn, or only to group
// `only_group` when it is >= 0 (member k % size sends the k-th), over
// HTTP; records the answered seqs in `missed`.
asio::awaitable<void> catch_up_sender(GraphqlHttp& api, World& world, Missed& missed, int per_group,
                                      std::int64_t& next, std::int64_t base, int only_group) {
  const std::int64_t groups = only_group >= 0 ? 1 : static_cast<std::int64_t>(world.groups.size());
  while (next < groups * per_group) {
    const std::int64_t j = next++;
    const int g = only_group >= 0 ? only_group : static_cast<int>(j % groups);
    const int k = static_cast<int>(j / groups);
    const Group& group = world.groups[static_cast<std::size_t>(g)];
    const User& sender = world.users[static_cast<std::size_t>(group.members[static_cast<std::size_t>(k) %
                                                                            group.members.size()])];
    Json vars;
    vars["i"]["conversationId"] = group.id;
    const std::int64_t id = base + static_cast<std::int64_t>(g) * per_group + k;
    vars["i"]["clientId"] = "r" + std::to_string(id);
    vars["i"]["body"] = std::string(kBodyText) + std::to_string(id);
    Json data = co_await api.post(kSendMutation, vars, sender.token, kUserAgent);
    missed.seqs[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)] = data["sendMessage"]["seq"].get<std::int64_t>();
  }
}

class Reconnect final : public Listener {
 public:
  Reconnect(World& world, Missed& missed, int expected) : world_(world), missed_(missed), expected_(expected) {}

  void on_frame(Client& client, std::string_view text, TimePoint now) override {
    if (is_pong(text)) return;
    if (frame_id(text) != "e" || text.find("\"MessageCreatedEvent\"") == std::string_view::npos) {
      ++unexpected;
      if (first_problem.empty()) first_problem = "unexpected frame: " + std::string(text.substr(0, 300));
      return;
    }
    const User& user = world_.users[static_cast<std::size_t>(client.user())];
    const auto& seqs = missed_.seqs[static_cast<std::size_t>(user.group)];
    const std::int64_t seq = int_after(text, "\"seq\":");
    const bool right_conversation =
        string_after(text, "\"conversationId\":\"") == world_.groups[static_cast<std::size_t>(user.group)].id;
    const std::size_t k = static_cast<std::size_t>(client.received);
    if (k >= seqs.size() || seqs[k] != seq || !right_conversation) {
      ++wrong;  // an extra event, a gap, a duplicate or out of order
      if (first_problem.empty()) {
        first_problem = "client " + std::to_string(client.index()) + " event " + std::to_string(k) + ": expected seq " +
                        (k < seqs.size() ? std::to_string(seqs[k]) : std::string("none")) + ", got " +
                        std::to_string(seq);
      }
      return;
    }
    ++client.received;
    ++received_total;
    if (client.received == expected_) {
      client.done_at = now;
      ++caught_up;
    }
  }

  std::int64_t received_total = 0;
  int caught_up = 0;
  int unexpected = 0;
  int wrong = 0;
  std::string first_problem;

 private:
  World& world_;
  Missed& missed_;
  int expected_;  // behind, then +1 for the live message after catching up
};

struct ReconnectResult {
  int clients = 0;
  double all_open_ms = 0, caught_up_p50_ms = 0, caught_up_last_ms = 0, live_ms = 0;
  double server_cpu_ms = 0, bench_cpu_ms = 0, server_cpu_wait_ms = 0;
  bool all_caught_up = false, live_ok = false;
};

asio::awaitable<void> reconnect(const Options& o, Parleyd& server, tcp::endpoint endpoint, std::string host,
                                ReconnectResult& result, int& exit_code) {
  World world;
  co_await build_world(o, endpoint, host, world, true);
  // While everyone is away: `behind` messages in every group, so each
  // member has exactly `behind` stored events after its cursor (a member
  // also gets its own messages: its other devices must see them). A
  // cursor is each user's `eventCursor` (what a client that was connected
  // until then holds). With --cursors per-group, group g's members leave
  // after groups 0..g-1 had their messages: 200 different cursors, as when
  // people went offline at different times; with `same`, everyone leaves at
  // one position.
  std::vector<std::string> cursors(world.users.size());
  Missed missed;
  missed.seqs.assign(world.groups.size(), std::vector<std::int64_t>(static_cast<std::size_t>(o.behind), -1));
  auto t0 = SteadyClock::now();
  if (o.cursors == "same") {
    int next_user = 0;
    co_await run_workers(endpoint, host, o.http_concurrency, [&world, &cursors, &next_user](GraphqlHttp& api) {
      return cursor_worker(api, world, cursors, next_user);
    });
    std::int64_t next_message = 0;
    co_await run_workers(endpoint, host, o.http_concurrency, [&](GraphqlHttp& api) {
      return catch_up_sender(api, world, missed, o.behind, next_message, 0, -1);
    });
  } else {
    auto executor = co_await asio::this_coro::executor;
    GraphqlHttp api(static_cast<asio::io_context&>(executor.context()), endpoint, host);
    for (std::size_t g = 0; g < world.groups.size(); ++g) {
      for (int u : world.groups[g].members) {
        const std::string& token = world.users[static_cast<std::size_t>(u)].token;
        Json data = co_await api.post(kEventCursor, Json::object(), token, kUserAgent);
        cursors[static_cast<std::size_t>(u)] = data["eventCursor"].get<std::string>();
      }
      std::int64_t next_message = 0;
      const int group = static_cast<int>(g);
      co_await run_workers(endpoint, host, o.http_concurrency, [&, group](GraphqlHttp& conn) {
        return catch_up_sender(conn, world, missed, o.behind, next_message, 0, group);
      });
    }
  }
  std::printf("sent %d messages to each of %zu groups while the clients were away in %.1f s (cursors: %s)\n",
              o.behind, world.groups.size(), ms_between(t0, SteadyClock::now()) / 1000, o.cursors.c_str());
  // Concurrent sends to one group commit in any order: expect them by seq.
  for (auto& seqs : missed.seqs) {
    std::sort(seqs.begin(), seqs.end());
    if (std::adjacent_find(seqs.begin(), seqs.end()) != seqs.end() || (!seqs.empty() && seqs.front() < 0)) {
      throw std::runtime_error("a message was not answered with its own seq");
    }
  }
  co_await sleep_ms(o.settle_ms);

  // The storm: every client connects, initialises and subscribes with
  // events(since: its user's cursor) at once; the frames are queued before
  // the socket is open and written as soon as it is.
  Reconnect listener(world, missed, o.behind);
  SocketStats stats;
  Clients clients;
  std::vector<int> users(static_cast<std::size_t>(o.clients));
  for (int i = 0; i < o.clients; ++i) users[static_cast<std::size_t>(i)] = i % o.users;
  const double cpu0 = server.cpu_ms();
  const double own0 = own_cpu_ms();
  const double wait0 = server.cpu_wait_ms();
  t0 = SteadyClock::now();
  {
    auto& io = static_cast<asio::io_context&>((co_await asio::this_coro::executor).context());
    clients.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
      while (o.concurrency > 0 && stats.in_flight >= o.concurrency) co_await sleep_ms(1);
      auto c = std::make_shared<Client>(io, static_cast<int>(i), users[i], listener, stats);
      clients.push_back(c);
      c->send(subscribe_events_frame("e", cursors[static_cast<std::size_t>(users[i])]));
      ++stats.in_flight;
      asio::co_spawn(io, c->run(endpoint, host, world.users[static_cast<std::size_t>(users[i])].token), asio::detached);
    }
  }
  co_await wait_until([&] { return stats.opened + stats.failed >= o.clients; }, 120'000);
  result.all_open_ms = ms_between(t0, SteadyClock::now());
  co_await wait_until([&] { return listener.caught_up >= stats.opened || stats.closed > 0; }, 120'000);
  const auto t_caught = SteadyClock::now();
  result.server_cpu_ms = server.cpu_ms() - cpu0;
  result.bench_cpu_ms = own_cpu_ms() - own0;
  result.server_cpu_wait_ms = server.cpu_wait_ms() - wait0;
  result.clients = stats.opened;
  result.all_caught_up = listener.caught_up == o.clients;
  std::vector<double> done;
  for (auto& c : clients) {
    if (c->done_at != TimePoint{}) done.push_back(ms_between(t0, c->done_at));
  }
  result.caught_up_p50_ms = percentile(done, 0.5);
  result.caught_up_last_ms = done.empty() ? 0 : *std::max_element(done.begin(), done.end());
  std::printf("%d of %d clients open in %.0f ms (%d failed%s%s); %d caught up; last after %.0f ms (%.0f ms in all)\n",
              stats.opened, o.clients, result.all_open_ms, stats.failed, stats.first_failure.empty() ? "" : "; first: ",
              stats.first_failure.c_str(), listener.caught_up, result.caught_up_last_ms, ms_between(t0, t_caught));

  // Live after the replay: one more message per group must reach every
  // client exactly once, right after its missed ones. Its delivery may
  // overtake the mutation's answer, so its seq is expected up front (seqs
  // are consecutive in a conversation) and checked against the answer.
  for (auto& s : missed.seqs) s.push_back(s.back() + 1);
  Missed live;
  live.seqs.assign(world.groups.size(), std::vector<std::int64_t>(1, -1));
  std::int64_t next_live = 0;
  std::int64_t received_before = listener.received_total;
  auto t_live = SteadyClock::now();
  co_await run_workers(endpoint, host, o.http_concurrency, [&](GraphqlHttp& api) {
    return catch_up_sender(api, world, live, 1, next_live, static_cast<std::int64_t>(o.behind) * 1'000'000, -1);
  });
  int live_seq_mismatch = 0;
  for (std::size_t g = 0; g < world.groups.size(); ++g) {
    if (missed.seqs[g][static_cast<std::size_t>(o.behind)] != live.seqs[g][0]) ++live_seq_mismatch;
  }
  if (live_seq_mismatch > 0) std::printf("%d groups answered an unexpected seq for the live message\n", live_seq_mismatch);
  co_await wait_until([&] { return listener.received_total - received_before >= stats.opened; }, 30'000);
  result.live_ms = ms_between(t_live, SteadyClock::now());
  co_await sleep_ms(500);  // anything extra shows up as wrong
  result.live_ok =
      listener.received_total - received_before == stats.opened && listener.wrong == 0 && live_seq_mismatch == 0;
  std::printf("live after the replay: %" PRId64 " of %d clients got the next message in %.0f ms\n",
              listener.received_total - received_before, stats.opened, result.live_ms);
  std::printf("wrong events (missing, extra, duplicate or out of order): %d, unexpected frames: %d%s%s\n", listener.wrong,
              listener.unexpected, listener.first_problem.empty() ? "" : "; first: ", listener.first_problem.c_str());
  if (stats.closed > 0) std::printf("sockets closed: %d (first: %s)\n", stats.closed, stats.first_failure.c_str());
  if (!result.all_caught_up || !result.live_ok || listener.unexpected > 0 || stats.failed > 0 || stats.closed > 0) {
    exit_code = 1;
  }
  close_all(clients, stats);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  g_fault = o.inject_fault;
  if (!g_fault.empty()) std::printf("injecting a fault into what the bench receives: %s\n", g_fault.c_str());
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows up when piped too
  ::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit(static_cast<long>(std::max({o.users, o.connections, o.clients})) + 256);
  try {
    ParleydOptions po;
    po.path = o.parleyd;
    po.keep_data = o.keep_data;
    po.tmp_prefix = "parley-bench-chat";
    // Benchmark-only settings (any can be overridden from the environment):
    // accounts are created with libsodium's minimum Argon2id cost (t=1,
    // 8 KiB) so 1,000 sign-ups take seconds, not 20 s; the per-IP connection
    // limit (256) is raised since every client comes from 127.0.0.1.
    po.env_defaults = {{"PARLEY_LIMITS_MAX_CONNECTIONS_PER_IP", "50000"},
                       {"PARLEY_LOG_LEVEL", "warn"},
                       {"PARLEY_AUTH_ARGON2_OPS", "1"},
                       {"PARLEY_AUTH_ARGON2_MEM_KIB", "8"},
                       {"PARLEY_AUTH_HASH_THREADS", "2"}};
    Parleyd server(po);
    const double load0 = load_average();
    std::printf("parleyd pid %d at %s:%s; scenario %s; load average %.2f\n", server.pid(), server.host().c_str(),
                server.port().c_str(), o.scenario.c_str(), load0);
    asio::io_context io(1);
    tcp::resolver resolver(io);
    tcp::endpoint endpoint = *resolver.resolve(server.host(), server.port()).begin();
    const std::string host = server.host() + ":" + server.port();
    int exit_code = 0;
    std::exception_ptr failure;
    auto on_done = [&](std::exception_ptr e) { failure = e; };

    ThroughputResult tr;
    IdleResult ir;
    ReconnectResult rr;
    if (o.scenario == "throughput") asio::co_spawn(io, throughput(o, server, endpoint, host, tr, exit_code), on_done);
    if (o.scenario == "idle") asio::co_spawn(io, idle(o, server, endpoint, host, ir, exit_code), on_done);
    if (o.scenario == "reconnect") asio::co_spawn(io, reconnect(o, server, endpoint, host, rr, exit_code), on_done);
    io.run();
    const double load1 = load_average();
    std::string exit = server.stop();
    if (failure) std::rethrow_exception(failure);
    const bool clean_exit = Parleyd::clean_exit(exit);
    std::printf("parleyd: %s%s\n", exit.c_str(), clean_exit ? "" : "  <-- did not exit cleanly on SIGTERM");
    if (!clean_exit) exit_code = 1;
    const char* ok = exit_code == 0 ? "yes" : "no";

    if (o.scenario == "throughput") {
      std::string latency;
      for (const Step& l : tr.latency) {
        std::vector<double> lat(l.latency_ms.begin(), l.latency_ms.end());
        std::vector<double> ack(l.ack_ms.begin(), l.ack_ms.end());
        char buf[256];
        std::snprintf(buf, sizeof buf, " at_%d: sustained=%s p50_ms=%.2f p99_ms=%.2f ack_p50_ms=%.2f ack_p99_ms=%.2f",
                      l.target, l.sustained ? "yes" : "no", percentile(lat, 0.5), percentile(lat, 0.99),
                      percentile(ack, 0.5), percentile(ack, 0.99));
        latency += buf;
      }
      std::printf("\nchat throughput users=%d groups=%d max_sustained_deliveries_per_s=%d%s load=%.2f-%.2f ok=%s\n",
                  o.users, o.users / o.group_size, tr.max_sustained, latency.c_str(), load0, load1, ok);
    } else if (o.scenario == "idle") {
      const double n = std::max(1, ir.connections);
      std::printf(
          "\nchat idle connections=%d accounts=%d rss_base_kib=%ld rss_kib=%ld per_connection_kib=%.2f "
          "per_initialised_connection_kib=%.2f open_s=%.2f load=%.2f-%.2f ok=%s\n",
          ir.connections, o.users, ir.rss_base, ir.rss_subscribed,
          static_cast<double>(ir.rss_subscribed - ir.rss_base) / n, static_cast<double>(ir.rss_open - ir.rss_base) / n,
          ir.open_s, load0, load1, ok);
    } else {
      std::printf(
          "\nchat reconnect clients=%d users=%d behind=%d all_open_ms=%.0f caught_up_p50_ms=%.0f caught_up_ms=%.0f "
          "live_ok=%s server_cpu_ms=%.0f server_cpu_wait_ms=%.0f bench_cpu_ms=%.0f load=%.2f-%.2f ok=%s\n",
          rr.clients, o.users, o.behind, rr.all_open_ms, rr.caught_up_p50_ms, rr.caught_up_last_ms,
          rr.live_ok ? "yes" : "no", rr.server_cpu_ms, rr.server_cpu_wait_ms, rr.bench_cpu_ms, load0, load1, ok);
    }
    return exit_code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_chat: %s\n", e.what());
    return 1;
  }
}
