// Durable chat sends per second through ChatService and the SQLite store:
// 200 groups of 5, `writers` concurrent senders, each awaiting its send
// (commit included) before the next. Measures the store's writer thread, the
// part of a send no core can share (synchronous=FULL).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/task.hpp"
#include "bus/bus.hpp"
#include "chat/chat_service.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace parley;

struct Setup {
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> store;
  bus::LocalBus bus;
  base::SystemRandom& random = base::SystemRandom::instance();
  base::UlidGenerator ids{base::SystemClock::instance(), random};
  std::unique_ptr<chat::ChatService> chat;
  std::vector<std::pair<std::string, std::string>> senders;  // (user, conversation)
};

std::unique_ptr<Setup> make_setup(int groups) {
  auto s = std::make_unique<Setup>();
  std::string tmpl = (std::filesystem::temp_directory_path() / "parley-chat-bench-XXXXXX").string();
  s->dir = ::mkdtemp(tmpl.data());
  auto& clock = base::SystemClock::instance();
  // PARLEY_BENCH_SYNC=normal compares with synchronous=NORMAL (no fsync per commit).
  const char* sync = std::getenv("PARLEY_BENCH_SYNC");
  auto store = storage::open_sqlite({s->dir / "bench.db", !(sync && std::string(sync) == "normal")}, clock);
  if (!store.ok()) return nullptr;
  s->store = std::move(*store);
  s->chat = std::make_unique<chat::ChatService>(*s->store, s->bus, clock, s->ids);
  (void)base::sync_wait(s->chat->start());
  for (int g = 0; g < groups; ++g) {
    std::vector<std::string> users;
    for (int u = 0; u < 5; ++u) {
      std::string id = s->ids.next();
      storage::UserRecord user{id, id + "@example.com", "Bench " + std::to_string(u), "$x", 1, 1};
      (void)base::sync_wait(s->store->users().create(user));
      users.push_back(id);
    }
    auto conv = base::sync_wait(s->chat->create_group(users[0], "Group", {users.begin() + 1, users.end()}));
    for (const auto& u : users) s->senders.emplace_back(u, conv->id);
  }
  return s;
}

base::Task<int> sender(Setup* s, std::size_t who, int count) {
  int ok = 0;
  const auto& [user, conv] = s->senders[who % s->senders.size()];
  for (int i = 0; i < count; ++i) {
    chat::ChatService::SendInput in;
    in.conversation_id = conv;
    in.client_id = s->ids.next();
    in.body = "a message of ordinary length, about as long as people write them";
    auto task = s->chat->send_message(user, std::move(in));
    auto r = co_await std::move(task);
    if (r.ok()) ++ok;
  }
  co_return ok;
}

void BM_ChatSends(benchmark::State& state) {
  const int writers = static_cast<int>(state.range(0));
  auto s = make_setup(200);
  if (!s) {
    state.SkipWithError("cannot open the store");
    return;
  }
  const int per_writer = std::max(8, 16384 / writers);
  long sent = 0;
  for (auto _ : state) {
    std::vector<base::Task<int>> tasks;
    for (int w = 0; w < writers; ++w) tasks.push_back(sender(s.get(), static_cast<std::size_t>(w), per_writer));
    for (int ok : base::sync_wait(base::when_all(std::move(tasks)))) sent += ok;
  }
  auto stats = s->store->stats();
  state.SetItemsProcessed(sent);
  state.counters["sends_per_commit"] = stats.commits ? double(stats.write_ops) / double(stats.commits) : 0.0;
  state.counters["deliveries_per_s"] = benchmark::Counter(double(sent) * 4, benchmark::Counter::kIsRate);
  auto dir = s->dir;
  s.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_ChatSends)->Arg(64)->Arg(256)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
