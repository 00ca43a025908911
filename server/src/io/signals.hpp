// SIGTERM/SIGINT handling for graceful shutdown.
#pragma once

#include <functional>
#include <memory>

namespace parley::io {

// Usage: SignalWatcher w; w.start(); ... int sig = w.wait(); drain();
// Not thread-safe except stop(), which may be called from any thread.
class SignalWatcher {
 public:
  SignalWatcher();
  ~SignalWatcher();  // restores default handling
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // Installs the SIGTERM and SIGINT handlers now; signals arriving from here
  // on are remembered even before wait() runs. on_signal (optional) runs on
  // the thread calling wait(), once, with the signal number.
  void start(std::function<void(int)> on_signal = {});
  // Blocks until the first SIGTERM/SIGINT (returns its number) or stop() (returns 0).
  int wait();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::io
