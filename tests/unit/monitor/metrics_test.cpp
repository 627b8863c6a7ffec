#include "monitor/metrics.hpp"

#include <gtest/gtest.h>

#include "monitor/http_metrics.hpp"

namespace reelgen::monitor {
namespace {

using namespace std::chrono_literals;

TEST(LatencyHistogram, QuantilesLandInTheRightBuckets) {
  LatencyHistogram h;
  for (int i = 0; i < 90; ++i) h.record(100us);
  for (int i = 0; i < 10; ++i) h.record(10ms);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_NEAR(h.quantile_ms(0.5), 0.1, 0.015);
  EXPECT_NEAR(h.quantile_ms(0.99), 10.0, 1.5);
  EXPECT_NEAR(h.mean_ms(), 0.9 * 0.1 + 0.1 * 10, 1e-9);
  EXPECT_EQ(h.count_at_most(0.001), 90u);
}

TEST(RateWindow, CountsTheLastMinuteOnly) {
  core::ManualClock clock;
  RateWindow w(clock);
  w.add(60);
  EXPECT_DOUBLE_EQ(w.per_second_last_minute(), 1.0);
  clock.advance(30s);
  w.add(60);
  EXPECT_DOUBLE_EQ(w.per_second_last_minute(), 2.0);
  clock.advance(45s);
  EXPECT_DOUBLE_EQ(w.per_second_last_minute(), 1.0);
}

TEST(HttpMetrics, RendersPrometheusCountersAndHistograms) {
  core::ManualClock clock;
  HttpMetrics m({"/a"}, clock);
  m.record("/a", 200, 2ms);
  m.record("/a", 200, 2ms);
  m.record("/zzz", 404, 1ms);
  m.record("/a", 503, 1ms);
  Exposition out;
  m.render(out);
  const std::string& text = out.text();
  EXPECT_NE(text.find("reelgen_http_requests_total{route=\"/a\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("reelgen_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("reelgen_http_request_duration_seconds_count{route=\"/a\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE reelgen_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_EQ(m.server_errors(), 1u);
  EXPECT_EQ(m.client_errors(), 1u);
}

TEST(Exposition, EscapesLabelValues) { EXPECT_EQ(label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd"); }

TEST(ProcessUsage, ReadsNonZeroResidentMemory) {
  EXPECT_GT(read_process_usage().resident_bytes, 0);
}

}  // namespace
}  // namespace reelgen::monitor
