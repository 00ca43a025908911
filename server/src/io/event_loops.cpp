#include "io/event_loops.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <optional>
#include <thread>
#include <vector>

namespace parley::io {
namespace asio = boost::asio;

namespace {
class IoExecutor final : public base::Executor {
 public:
  explicit IoExecutor(asio::io_context& ctx) : ctx_(ctx) {}
  // Timers from post_after() must not outlive the loop they post to.
  ~IoExecutor() override { cancel_timers(); }
  void post(std::function<void()> fn) override { asio::post(ctx_, std::move(fn)); }

 private:
  asio::io_context& ctx_;
};
}  // namespace

std::unique_ptr<base::Executor> make_executor(asio::io_context& ctx) { return std::make_unique<IoExecutor>(ctx); }

struct EventLoops::Impl {
  struct Loop {
    asio::io_context ctx{1};  // concurrency hint 1: one thread per context
    IoExecutor executor{ctx};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
    std::thread thread;
    std::atomic<std::thread::id> thread_id{};
  };
  std::vector<std::unique_ptr<Loop>> loops;
  std::atomic<std::size_t> next{0};
  bool started = false;
};

EventLoops::EventLoops(int threads) : impl_(std::make_unique<Impl>()) {
  int n = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  for (int i = 0; i < n; ++i) impl_->loops.push_back(std::make_unique<Impl::Loop>());
}

EventLoops::~EventLoops() { stop(); }

void EventLoops::start() {
  if (impl_->started) return;
  impl_->started = true;
  for (auto& l : impl_->loops) {
    Impl::Loop* loop = l.get();
    loop->ctx.restart();
    loop->guard.emplace(loop->ctx.get_executor());
    loop->thread = std::thread([loop] {
      loop->thread_id = std::this_thread::get_id();
      base::ScopedCurrentExecutor scope(&loop->executor);
      for (;;) {
        try {
          loop->ctx.run();
          break;
        } catch (const std::exception& e) {
          spdlog::error("io: exception escaped a handler on an event loop: {}", e.what());
        }
      }
    });
  }
}

void EventLoops::stop() {
  if (!impl_->started) return;
  impl_->started = false;
  for (auto& l : impl_->loops) {
    l->guard.reset();
    l->ctx.stop();
  }
  for (auto& l : impl_->loops) {
    if (l->thread.joinable()) l->thread.join();
    l->thread_id = std::thread::id{};
  }
}

std::size_t EventLoops::size() const { return impl_->loops.size(); }
base::Executor& EventLoops::executor(std::size_t i) { return impl_->loops.at(i)->executor; }
asio::io_context& EventLoops::context(std::size_t i) { return impl_->loops.at(i)->ctx; }
std::size_t EventLoops::next_index() { return impl_->next.fetch_add(1, std::memory_order_relaxed) % size(); }
bool EventLoops::on_loop(std::size_t i) const { return impl_->loops.at(i)->thread_id == std::this_thread::get_id(); }

void spawn_on(base::Executor& executor, base::Task<void> task) {
  auto holder = std::make_shared<base::Task<void>>(std::move(task));
  executor.post([holder] {
    base::spawn(std::move(*holder), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("io: spawned task failed: {}", ex.what());
      } catch (...) {
        spdlog::error("io: spawned task failed with a non-standard exception");
      }
    });
  });
}

}  // namespace parley::io
