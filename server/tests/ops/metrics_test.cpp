#include "ops/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace parley::ops {
namespace {

TEST(Metrics, CounterAndGaugeRenderExactText) {
  Registry r;
  auto& req = r.counter("http_requests_total", "Requests served.", {"method", "status"});
  req.labels({"GET", "200"}).inc();
  req.labels({"GET", "200"}).inc(2);
  req.labels({"POST", "404"}).inc();
  r.gauge("connections", "Open connections.").get().set(7);
  EXPECT_EQ(r.render(),
            "# HELP connections Open connections.\n"
            "# TYPE connections gauge\n"
            "connections 7\n"
            "# HELP http_requests_total Requests served.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{method=\"GET\",status=\"200\"} 3\n"
            "http_requests_total{method=\"POST\",status=\"404\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry r;
  auto& h = r.histogram("lat_seconds", "Latency.", {"route"}, {0.1, 0.5, 1});
  auto& child = h.labels({"/x"});
  child.observe(0.05);
  child.observe(0.1);  // le is inclusive
  child.observe(0.7);
  child.observe(3);
  EXPECT_EQ(r.render(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
            "lat_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{route=\"/x\"} 3.85\n"
            "lat_seconds_count{route=\"/x\"} 4\n");
}

TEST(Metrics, UnlabelledHistogram) {
  Registry r;
  r.histogram("h", "H.", {}, {1}).get().observe(0.5);
  EXPECT_EQ(r.render(),
            "# HELP h H.\n# TYPE h histogram\n"
            "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n");
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.counter("c", "a \\ b\nc", {"path"}).labels({"a\"b\\c\nd"}).inc();
  EXPECT_EQ(r.render(),
            "# HELP c a \\\\ b\\nc\n# TYPE c counter\n"
            "c{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, SameNameReturnsSameFamily) {
  Registry r;
  auto& a = r.counter("x", "X.");
  auto& b = r.counter("x", "X.");
  EXPECT_EQ(&a, &b);
  a.get().inc();
  EXPECT_EQ(b.get().value(), 1);
}

TEST(Metrics, DefaultLatencyBucketsSpanHalfMillisecondToTenSeconds) {
  const auto& b = default_latency_buckets();
  EXPECT_EQ(b.front(), 0.0005);
  EXPECT_EQ(b.back(), 10);
  Registry r;
  r.histogram("d", "D.").get();
  EXPECT_NE(r.render().find("d_bucket{le=\"0.0005\"} 0\n"), std::string::npos);
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  Registry r;
  auto& c = r.counter("n", "N.").get();
  auto& h = r.histogram("hh", "H.", {}, {1}).get();
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.5);
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.value(), 40000);
  EXPECT_EQ(h.count(), 40000u);
}

TEST(Metrics, FormatValue) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(1.0 / 0.0), "+Inf");
}

}  // namespace
}  // namespace parley::ops
