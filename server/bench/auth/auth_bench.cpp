// Sign-ins per second at the default OWASP Argon2id cost (m=19 MiB, t=2, p=1)
// and access-token verifications per second, cached and uncached.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "auth/auth_service.hpp"
#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/task.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace parley;

constexpr char kPassword[] = "correct horse battery staple";

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<auth::AuthService> auth;
  auth::AuthResult session;

  explicit Fixture(auth::AuthOptions options) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley-authbench-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
    store = std::move(storage::open_sqlite({dir / "auth.db"}, base::SystemClock::instance())).value();
    auth = base::sync_wait(auth::AuthService::open(*store, base::SystemClock::instance(),
                                                   base::SystemRandom::instance(), options))
               .value();
    session = base::sync_wait(auth->sign_up("bench@example.com", kPassword, "Bench", {"127.0.0.1", "bench"})).value();
  }
  ~Fixture() {
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

// `state.range(0)` sign-ins in flight at once; hash_threads = range(1).
void BM_SignIn(benchmark::State& state) {
  auth::AuthOptions options;  // OWASP defaults
  options.hash_threads = static_cast<int>(state.range(1));
  options.ip_failures_per_window = 1 << 30;
  Fixture f(options);
  const int in_flight = static_cast<int>(state.range(0));
  long ok = 0;
  for (auto _ : state) {
    std::vector<base::Task<base::Result<auth::AuthResult>>> tasks;
    for (int i = 0; i < in_flight; ++i) tasks.push_back(f.auth->sign_in("bench@example.com", kPassword, {"127.0.0.1", "b"}));
    for (auto& r : base::sync_wait(base::when_all(std::move(tasks)))) ok += r.ok();
  }
  state.SetItemsProcessed(ok);
}
BENCHMARK(BM_SignIn)->Args({1, 1})->Args({4, 2})->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_VerifyCached(benchmark::State& state) {
  static Fixture f(auth::AuthOptions{});
  for (auto _ : state) benchmark::DoNotOptimize(f.auth->verify_access_token(f.session.access_token));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyCached);

void BM_VerifyUncached(benchmark::State& state) {
  auth::AuthOptions options;
  options.token_cache_entries = 0;
  static Fixture f(options);
  for (auto _ : state) benchmark::DoNotOptimize(f.auth->verify_access_token(f.session.access_token));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyUncached);

}  // namespace
