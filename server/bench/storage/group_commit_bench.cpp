// Durable single-row writes per second through the SQLite group-commit writer
// with 1, 16 and 256 concurrent writers (synchronous=FULL, the default), and
// with synchronous=NORMAL for comparison. Each writer is a coroutine that
// awaits its insert before issuing the next, as request handlers do.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/task.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace parley;

std::atomic<long> g_next_id{0};

base::Task<int> writer(storage::Store* store, int count) {
  int ok = 0;
  for (int i = 0; i < count; ++i) {
    std::string id = "u" + std::to_string(g_next_id.fetch_add(1));
    storage::UserRecord user{id, id + "@example.com", "Bench", "$argon2id$x", 1, 1};
    auto task = store->users().create(std::move(user));
    auto r = co_await std::move(task);
    if (r.ok()) ++ok;
  }
  co_return ok;
}

void run(benchmark::State& state, bool full) {
  const int writers = static_cast<int>(state.range(0));
  const int per_writer = std::max(4, 4096 / writers);
  std::string tmpl = (std::filesystem::temp_directory_path() / "parley-bench-XXXXXX").string();
  std::filesystem::path dir = ::mkdtemp(tmpl.data());
  base::SystemClock& clock = base::SystemClock::instance();
  auto store = storage::open_sqlite({dir / "bench.db", full}, clock);
  if (!store.ok()) {
    state.SkipWithError(store.status().to_string().c_str());
    return;
  }
  long written = 0;
  for (auto _ : state) {
    std::vector<base::Task<int>> tasks;
    for (int w = 0; w < writers; ++w) tasks.push_back(writer(store->get(), per_writer));
    for (int ok : base::sync_wait(base::when_all(std::move(tasks)))) written += ok;
  }
  auto stats = (*store)->stats();
  state.SetItemsProcessed(written);
  state.counters["rows_per_commit"] = stats.commits ? double(stats.write_ops) / double(stats.commits) : 0.0;
  store->reset();
  std::filesystem::remove_all(dir);
}

void BM_DurableWrites(benchmark::State& state) { run(state, true); }
void BM_NormalSyncWrites(benchmark::State& state) { run(state, false); }

BENCHMARK(BM_DurableWrites)->Arg(1)->Arg(16)->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_NormalSyncWrites)->Arg(1)->Arg(16)->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace
