// Shared by Parley's load generators (server/bench/ws, server/bench/chat):
// the parleyd child process they start and measure, plus small timing and
// statistics helpers. Header-only: each load generator is one translation
// unit and includes this once. Not for production code (it throws, it
// sleeps).
//
// Threading: Parleyd is used from one thread (the bench's), apart from the
// internal thread that drains the child's stdout.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace parley::bench {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

inline double ms_between(TimePoint a, TimePoint b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// utime + stime of this process in milliseconds.
inline double own_cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

// The nearest-rank percentile (p in [0, 1]) of `v`; 0 when empty.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

inline double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

// Raises the soft fd limit to the hard one; warns when it stays below `needed`.
inline void raise_fd_limit(long needed) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < static_cast<rlim_t>(needed)) {
    std::fprintf(stderr, "warning: fd limit %llu is below the %ld this run needs\n",
                 static_cast<unsigned long long>(rl.rlim_cur), needed);
  }
}

// The first field of /proc/loadavg (1-minute load average), or -1.
inline double load_average() {
  std::ifstream f("/proc/loadavg");
  double v = -1;
  f >> v;
  return v;
}

struct ParleydOptions {
  std::string path = "build/bin/parleyd";
  bool keep_data = false;
  std::string tmp_prefix = "parley-bench";  // /tmp/<prefix>-XXXXXX
  // Set in the child's environment unless the bench's environment already
  // has them (so a run can override any of them from the shell).
  std::vector<std::pair<std::string, std::string>> env_defaults;
};

// ---------------------------------------------------------------------------
// A parleyd child process: `parleyd serve --listen 127.0.0.1:0 --data-dir
// <fresh temp dir> --profile test`. Owns its temp directory; stop() is
// idempotent and also runs from the destructor so an exception never leaks
// the child.
class Parleyd {
 public:
  explicit Parleyd(ParleydOptions o) : keep_data_(o.keep_data) {
    std::string tmpl = "/tmp/" + o.tmp_prefix + "-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    const std::string data_dir = dir_ + "/data";
    std::filesystem::create_directories(data_dir);
    stderr_path_ = dir_ + "/parleyd.stderr";

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      for (const auto& [name, value] : o.env_defaults) ::setenv(name.c_str(), value.c_str(), 0);
      std::vector<std::string> args = {o.path, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir,
                                       "--profile", "test"};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::fprintf(stderr, "exec %s: %s\n", o.path.c_str(), std::strerror(errno));
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_fd_ = out[0];
    read_url();
    // Keep draining stdout so parleyd never blocks on a full pipe.
    drain_ = std::thread([fd = stdout_fd_] {
      char buf[4096];
      while (::read(fd, buf, sizeof buf) > 0) {
      }
    });
  }

  Parleyd(const Parleyd&) = delete;
  Parleyd& operator=(const Parleyd&) = delete;
  ~Parleyd() { stop(); }

  pid_t pid() const { return pid_; }
  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }

  // Resident set size in KiB (VmRSS), or -1 when unreadable.
  long rss_kib() const { return status_field("VmRSS:"); }
  long hwm_kib() const { return status_field("VmHWM:"); }
  long threads() const { return status_field("Threads:"); }

  // utime + stime of the process in milliseconds.
  double cpu_ms() const { return stat_cpu_ms("/proc/" + std::to_string(pid_) + "/stat"); }

  // A counter from /proc/<pid>/io ("wchar:" bytes passed to write/pwrite,
  // "syscw:" such calls; socket sends by sendmsg are not counted), or -1.
  long long io_field(const char* name) const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/io");
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind(name, 0) == 0) return std::strtoll(line.c_str() + std::strlen(name), nullptr, 10);
    }
    return -1;
  }

  // Milliseconds the process's threads spent runnable but waiting for a CPU
  // (sum over threads, /proc/<pid>/task/*/schedstat): high when other work
  // on the machine takes the cores.
  double cpu_wait_ms() const {
    double total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
      std::ifstream f(entry.path().string() + "/schedstat");
      unsigned long long run_ns = 0, wait_ns = 0;
      if (f >> run_ns >> wait_ns) total += static_cast<double>(wait_ns) / 1e6;
    }
    return total;
  }

  // utime + stime per thread (thread id -> ms), to find a serial bottleneck.
  std::vector<std::pair<long, double>> thread_cpu_ms() const {
    std::vector<std::pair<long, double>> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
      const std::string name = entry.path().filename().string();
      out.emplace_back(std::strtol(name.c_str(), nullptr, 10), stat_cpu_ms(entry.path().string() + "/stat"));
    }
    return out;
  }

  // SIGTERM, wait up to 15 s (then SIGKILL), remove the temp directory.
  // Returns how it exited: "exit <code> after <ms> ms", "signal <n>" or
  // "killed ...".
  std::string stop() {
    if (pid_ <= 0) return exit_description_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto start = SteadyClock::now();
    pid_t r = 0;
    while ((r = ::waitpid(pid_, &status, WNOHANG)) == 0) {
      if (SteadyClock::now() - start > std::chrono::seconds(15)) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        exit_description_ = "killed after 15 s without exiting on SIGTERM";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (exit_description_.empty()) {
      char buf[128];
      if (WIFEXITED(status)) {
        std::snprintf(buf, sizeof buf, "exit %d after %.0f ms", WEXITSTATUS(status),
                      ms_between(start, SteadyClock::now()));
      } else {
        std::snprintf(buf, sizeof buf, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
      }
      exit_description_ = buf;
    }
    pid_ = -1;
    if (drain_.joinable()) drain_.join();  // EOF once the child is gone
    ::close(stdout_fd_);
    report_stderr();
    if (!keep_data_) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    } else {
      std::fprintf(stderr, "kept %s\n", dir_.c_str());
    }
    return exit_description_;
  }

  static bool clean_exit(const std::string& description) { return description.rfind("exit 0 ", 0) == 0; }

 private:
  void read_url() {
    std::string out;
    auto deadline = SteadyClock::now() + std::chrono::seconds(20);
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
      if (left <= 0) throw std::runtime_error("parleyd did not print its URL within 20 s");
      pollfd p{stdout_fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[1024];
      ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("parleyd exited before it was ready (see " + stderr_path_ + ")");
      out.append(buf, static_cast<std::size_t>(n));
      const std::string marker = "Parley is running at http://";
      auto at = out.find(marker);
      if (at == std::string::npos) continue;
      auto end = out.find_first_of("/\r\n", at + marker.size());
      if (end == std::string::npos) continue;
      std::string hostport = out.substr(at + marker.size(), end - at - marker.size());
      auto colon = hostport.rfind(':');
      if (colon == std::string::npos) throw std::runtime_error("cannot parse URL in: " + out);
      host_ = hostport.substr(0, colon);
      port_ = hostport.substr(colon + 1);
      return;
    }
  }

  static double stat_cpu_ms(const std::string& path) {
    std::ifstream f(path);
    std::string s((std::istreambuf_iterator<char>(f)), {});
    auto p = s.rfind(')');
    if (p == std::string::npos) return -1;
    std::istringstream in(s.substr(p + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

  long status_field(const char* name) const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind(name, 0) == 0) return std::strtol(line.c_str() + std::strlen(name), nullptr, 10);
    }
    return -1;
  }

  void report_stderr() const {
    std::ifstream f(stderr_path_);
    std::string line;
    int count = 0;
    while (std::getline(f, line)) {
      if (++count <= 10) std::fprintf(stderr, "parleyd stderr: %s\n", line.c_str());
    }
    if (count > 10) std::fprintf(stderr, "parleyd stderr: ... %d lines in all\n", count);
  }

  bool keep_data_;
  std::string dir_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::thread drain_;
  std::string host_, port_;
  std::string exit_description_;
};

}  // namespace parley::bench
