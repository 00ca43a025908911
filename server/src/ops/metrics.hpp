// Metrics: counters, gauges and fixed-bucket histograms with small label
// sets, rendered in the Prometheus text exposition format 0.0.4.
//
// Threading: every method is thread-safe. Updating a metric (inc/set/observe)
// is lock-free (relaxed atomics). Looking up a labelled child takes a mutex
// of its family: hot code should keep the returned reference, which stays
// valid for the life of the Registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace parley::ops {

class Counter {
 public:
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  // For totals counted elsewhere (mirrored by a collector): never lower.
  void set_total(double v) { value_.store(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void dec(double v = 1) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Buckets are upper bounds in increasing order; +Inf is implicit.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Non-cumulative count of bucket i (i == bounds().size() is +Inf).
  std::uint64_t bucket_count(std::size_t i) const { return counts_[i].load(std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 0.5 ms .. 10 s.
const std::vector<double>& default_latency_buckets();

enum class MetricType { Counter, Gauge, Histogram };

// A named metric with a fixed list of label names; one child per distinct
// list of label values.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> buckets = {})
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), buckets_(std::move(buckets)) {}

  // The child for these label values (same count and order as the label
  // names; missing values are treated as "", extra ones are ignored).
  T& labels(std::vector<std::string> values) {
    values.resize(label_names_.size());
    std::lock_guard lock(mutex_);
    auto it = children_.find(values);
    if (it == children_.end()) it = children_.emplace(std::move(values), make()).first;
    return *it->second;
  }
  // The child without labels (for families declared with no label names).
  T& get() { return labels({}); }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Calls fn(label_values, child) for every child, sorted by label values.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, child] : children_) fn(values, *child);
  }

 private:
  std::unique_ptr<T> make() {
    if constexpr (std::is_same_v<T, Histogram>) {
      return std::make_unique<T>(buckets_);
    } else {
      return std::make_unique<T>();
    }
  }
  std::string name_, help_;
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_;  // GUARDED_BY(mutex_)
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Owns all metric families of a process (or of a test). Registering the same
// name twice with the same type returns the existing family; families are
// never removed, so returned references live as long as the Registry.
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(std::string name, std::string help, std::vector<std::string> label_names = {},
                             std::vector<double> buckets = default_latency_buckets());

  // Runs before every render(), outside the registry's lock: for values that
  // live elsewhere and are copied into metrics on demand (the SFU's
  // counters, which its worker threads own).
  void add_collector(std::function<void()> collect);

  // The Prometheus text format (Content-Type: text/plain; version=0.0.4),
  // families sorted by name, children sorted by label values.
  std::string render() const;

 private:
  struct Entry;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> families_;  // GUARDED_BY(mutex_)
  mutable std::mutex collectors_mutex_;
  std::vector<std::function<void()>> collectors_;  // GUARDED_BY(collectors_mutex_)
};

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Helpers exposed for tests and other renderers.
std::string escape_label_value(std::string_view v);  // \ " and newline escaped
std::string escape_help(std::string_view v);         // \ and newline escaped
std::string format_value(double v);                  // 3, 0.25, +Inf, -Inf, NaN

}  // namespace parley::ops
