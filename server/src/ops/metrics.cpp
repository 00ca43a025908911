#include "ops/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace parley::ops {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  // First bucket whose upper bound is >= v ("le" is inclusive).
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  counts_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

const std::vector<double>& default_latency_buckets() {
  static const std::vector<double> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

struct Registry::Entry {
  MetricType type;
  std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>, std::unique_ptr<HistogramFamily>> family;
};

Registry::Registry() = default;
Registry::~Registry() = default;

namespace {
[[noreturn]] void type_clash(const std::string& name) {
  std::fprintf(stderr, "parley::ops::Registry: metric %s registered twice with different types\n", name.c_str());
  std::abort();
}
}  // namespace

CounterFamily& Registry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  auto& e = families_[name];
  if (!e) {
    e = std::make_unique<Entry>(
        Entry{MetricType::Counter, std::make_unique<CounterFamily>(name, std::move(help), std::move(label_names))});
  }
  if (e->type != MetricType::Counter) type_clash(name);
  return *std::get<0>(e->family);
}

GaugeFamily& Registry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  auto& e = families_[name];
  if (!e) {
    e = std::make_unique<Entry>(
        Entry{MetricType::Gauge, std::make_unique<GaugeFamily>(name, std::move(help), std::move(label_names))});
  }
  if (e->type != MetricType::Gauge) type_clash(name);
  return *std::get<1>(e->family);
}

HistogramFamily& Registry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                     std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  auto& e = families_[name];
  if (!e) {
    e = std::make_unique<Entry>(Entry{MetricType::Histogram,
                                      std::make_unique<HistogramFamily>(name, std::move(help), std::move(label_names),
                                                                        std::move(buckets))});
  }
  if (e->type != MetricType::Histogram) type_clash(name);
  return *std::get<2>(e->family);
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

namespace {
// {a="x",b="y"} plus an optional extra label (le for buckets); "" when empty.
std::string label_set(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    out += escape_label_value(i < values.size() ? values[i] : std::string());
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
  return out;
}

template <typename F>
void header(std::string& out, const F& f, std::string_view type) {
  out += "# HELP " + f.name() + ' ' + escape_help(f.help()) + '\n';
  out += "# TYPE " + f.name() + ' ' + std::string(type) + '\n';
}
}  // namespace

void Registry::add_collector(std::function<void()> collect) {
  std::lock_guard lock(collectors_mutex_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::render() const {
  {
    std::lock_guard collecting(collectors_mutex_);
    for (const auto& collect : collectors_) collect();
  }
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& entry : families_) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture those
    const auto& e = entry.second;
    switch (e->type) {
      case MetricType::Counter: {
        const auto& f = *std::get<0>(e->family);
        header(out, f, "counter");
        f.for_each([&](const std::vector<std::string>& values, const Counter& c) {
          out += name + label_set(f.label_names(), values) + ' ' + format_value(c.value()) + '\n';
        });
        break;
      }
      case MetricType::Gauge: {
        const auto& f = *std::get<1>(e->family);
        header(out, f, "gauge");
        f.for_each([&](const std::vector<std::string>& values, const Gauge& g) {
          out += name + label_set(f.label_names(), values) + ' ' + format_value(g.value()) + '\n';
        });
        break;
      }
      case MetricType::Histogram: {
        const auto& f = *std::get<2>(e->family);
        header(out, f, "histogram");
        f.for_each([&](const std::vector<std::string>& values, const Histogram& h) {
          // Read buckets first; count is their sum so the exposition is self-consistent.
          std::uint64_t cumulative = 0;
          const auto& bounds = h.bounds();
          for (std::size_t i = 0; i <= bounds.size(); ++i) {
            cumulative += h.bucket_count(i);
            std::string le = i < bounds.size() ? format_value(bounds[i]) : "+Inf";
            out += name + "_bucket" + label_set(f.label_names(), values, "le", le) + ' ' +
                   std::to_string(cumulative) + '\n';
          }
          out += name + "_sum" + label_set(f.label_names(), values) + ' ' + format_value(h.sum()) + '\n';
          out += name + "_count" + label_set(f.label_names(), values) + ' ' + std::to_string(cumulative) + '\n';
        });
        break;
      }
    }
  }
  return out;
}

}  // namespace parley::ops
