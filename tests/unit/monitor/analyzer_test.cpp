#include "monitor/analyzer.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace reelgen::monitor {
namespace {

using namespace std::chrono_literals;

// Drives an analyzer with synthetic samples ten seconds apart on a manual clock. The live
// histograms and counters stand for the server's; each step() records into them, then samples.
class AnalyzerTest : public ::testing::Test {
 protected:
  explicit AnalyzerTest(std::string_view overrides = "")
      : analyzer_(AnalyzerConfig{apply_alert_overrides(default_alert_rules(), overrides).value()}) {
  }

  void step(std::chrono::seconds dt = 10s) {
    clock.advance(dt);
    Sample s = state;
    s.at = clock.now();
    s.wall = clock.wall();
    s.latency = latency.snapshot();
    s.engine = engine.snapshot();
    s.blocking_wait = blocking_wait.snapshot();
    s.queue_wait = queue_wait.snapshot();
    analyzer_.observe(std::move(s));
  }
  // Requests in the next step: n of them taking d, errors of them 5xx.
  void requests(int n, std::chrono::nanoseconds d, int errors = 0) {
    for (int i = 0; i < n; ++i) latency.record(d);
    state.server_errors += static_cast<std::uint64_t>(errors);
  }
  std::optional<Alert> active(std::string_view rule) const {
    for (auto& a : analyzer_.active_alerts()) {
      if (a.rule == rule) return a;
    }
    return std::nullopt;
  }
  std::optional<Bottleneck> bottleneck(std::string_view component) const {
    for (auto& b : analyzer_.bottlenecks()) {
      if (b.component == component) return b;
    }
    return std::nullopt;
  }

  core::ManualClock clock;
  Sample state;  // counters and gauges of the next sample
  LatencyHistogram latency, engine, blocking_wait, queue_wait;
  Analyzer analyzer_;
};

TEST_F(AnalyzerTest, WindowsTakeTheDifferenceOverTheirSpan) {
  step();
  for (int i = 0; i < 12; ++i) {  // two minutes, 10 requests a second
    requests(100, 2ms);
    state.cache_hits += 30;
    state.cache_misses += 10;
    state.cpu_seconds += 5;  // half a core
    step();
  }
  const auto w1 = analyzer_.window(60).value();
  EXPECT_DOUBLE_EQ(w1.covered, 60);
  EXPECT_EQ(w1.latency.count, 600u);
  EXPECT_DOUBLE_EQ(w1.rps, 10);
  EXPECT_DOUBLE_EQ(w1.hit_rate, 0.75);
  EXPECT_DOUBLE_EQ(w1.cpu_percent, 50);
  EXPECT_NEAR(w1.latency.quantile_ms(0.5), 2, 0.25);
  const auto w5 = analyzer_.window(300).value();
  EXPECT_DOUBLE_EQ(w5.covered, 120);  // all there is
  EXPECT_EQ(w5.latency.count, 1200u);
}

TEST_F(AnalyzerTest, OldSamplesAreDropped) {
  for (int i = 0; i < 200; ++i) {
    requests(1, 1ms);
    step();
  }
  const auto w15 = analyzer_.window(900).value();
  EXPECT_DOUBLE_EQ(w15.covered, 900);
  EXPECT_EQ(w15.latency.count, 90u);
}

TEST_F(AnalyzerTest, P99LatencyFiresAfterItsDurationAndResolvesWithHysteresis) {
  step();
  for (int i = 0; i < 5; ++i) {  // 50 s of slow requests: not yet 60 s
    requests(50, 800ms);
    step();
  }
  EXPECT_FALSE(active("p99_latency"));
  requests(50, 800ms);
  step();
  requests(50, 800ms);
  step();
  const auto alert = active("p99_latency");
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->severity, Severity::warning);
  EXPECT_GT(alert->value, 500);
  EXPECT_DOUBLE_EQ(alert->threshold, 500);
  EXPECT_EQ(alert->since, clock.wall() - 60s);  // when the condition began
  // Back to fast requests: the 1-minute window holds slow ones until six fast steps have passed.
  for (int i = 0; i < 5; ++i) {
    requests(500, 1ms);
    step();
  }
  EXPECT_TRUE(active("p99_latency"));
  requests(500, 1ms);
  step();
  EXPECT_FALSE(active("p99_latency"));
  const auto resolved = analyzer_.resolved_alerts();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].rule, "p99_latency");
  EXPECT_EQ(resolved[0].resolved_at, clock.wall());
}

TEST_F(AnalyzerTest, ErrorRateIsCritical) {
  step();
  for (int i = 0; i < 7; ++i) {
    requests(100, 1ms, 10);
    step();
  }
  const auto alert = active("error_rate");
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->severity, Severity::critical);
  EXPECT_NEAR(alert->value, 0.1, 1e-9);
}

TEST_F(AnalyzerTest, TooFewRequestsSayNothingAboutTheErrorRate) {
  step();
  for (int i = 0; i < 10; ++i) {
    requests(1, 1ms, 1);
    step();
  }
  EXPECT_FALSE(active("error_rate"));
}

TEST_F(AnalyzerTest, CacheHitRateDropStaysActiveInsideTheHysteresisBand) {
  step();
  for (int i = 0; i < 31; ++i) {  // five minutes at a 40 % hit rate
    state.cache_hits += 40;
    state.cache_misses += 60;
    step();
  }
  ASSERT_TRUE(active("cache_hit_rate"));
  EXPECT_TRUE(active("cache_hit_rate")->message.find("under") != std::string::npos);
  for (int i = 0; i < 60; ++i) {  // then 55 %: above the threshold, under the clear level
    state.cache_hits += 55;
    state.cache_misses += 45;
    step();
  }
  EXPECT_TRUE(active("cache_hit_rate"));
  for (int i = 0; i < 31; ++i) {
    state.cache_hits += 90;
    state.cache_misses += 10;
    step();
  }
  EXPECT_FALSE(active("cache_hit_rate"));
}

TEST_F(AnalyzerTest, EventLoopLagNeedsThirtySeconds) {
  state.loop_lag_seconds = 0.25;
  step();
  step();
  step();
  EXPECT_FALSE(active("event_loop_lag"));
  step();
  ASSERT_TRUE(active("event_loop_lag"));
  state.loop_lag_seconds = 0.07;  // between clear and threshold
  step();
  EXPECT_TRUE(active("event_loop_lag"));
  state.loop_lag_seconds = 0.01;
  step();
  EXPECT_FALSE(active("event_loop_lag"));
}

TEST_F(AnalyzerTest, RssGrowthOverFifteenMinutes) {
  state.rss_bytes = 50e6;
  step();
  for (int i = 0; i < 30; ++i) {
    state.rss_bytes += 20e6;
    step();
  }
  const auto alert = active("rss_growth");
  ASSERT_TRUE(alert);
  EXPECT_GT(alert->value, 512.0 * (1 << 20));
}

TEST_F(AnalyzerTest, DiskSpaceUnderTheDataDirectory) {
  state.disk_free_ratio = 0.5;
  step();
  EXPECT_FALSE(active("disk_space"));
  state.disk_free_ratio = 0.04;
  step();
  ASSERT_TRUE(active("disk_space"));
  EXPECT_EQ(active("disk_space")->severity, Severity::critical);
  state.disk_free_ratio = 0.12;  // above the threshold, under clear
  step();
  EXPECT_TRUE(active("disk_space"));
  state.disk_free_ratio = 0.2;
  step();
  EXPECT_FALSE(active("disk_space"));
}

TEST_F(AnalyzerTest, WebhookFailures) {
  step();
  state.webhooks_delivered += 10;
  step();
  EXPECT_FALSE(active("webhook_failures"));
  state.webhooks_failed += 1;
  step();
  ASSERT_TRUE(active("webhook_failures"));
  for (int i = 0; i < 31; ++i) step();  // out of the five-minute window
  EXPECT_FALSE(active("webhook_failures"));
}

TEST_F(AnalyzerTest, QueueWaitAlertAndRenderQueueBottleneck) {
  state.workers = 1;
  state.busy_workers = 1;
  state.processing = 1;
  state.queue_depth = 3;
  step();
  for (int i = 0; i < 4; ++i) queue_wait.record(90s);
  step();
  const auto alert = active("queue_wait");
  ASSERT_TRUE(alert);
  EXPECT_GE(alert->value, 60);
  const auto b = bottleneck("render_queue");
  ASSERT_TRUE(b);
  EXPECT_GT(b->severity, 0.7);
  ASSERT_FALSE(b->suggestions.empty());
  EXPECT_EQ(b->suggestions[0].config, "JOB_WORKERS");
  EXPECT_EQ(b->suggestions[0].value, "2");
  const auto evidence = std::find_if(b->evidence.begin(), b->evidence.end(),
                                     [](auto& e) { return e.first == "queue_depth"; });
  ASSERT_NE(evidence, b->evidence.end());
  EXPECT_EQ(evidence->second, 3);
  EXPECT_LT(Analyzer::optimization_score(analyzer_.bottlenecks()), 30);
}

TEST_F(AnalyzerTest, AnIdleQueueIsNoBottleneck) {
  state.workers = 2;
  state.queue_depth = 0;
  step();
  step();
  EXPECT_FALSE(bottleneck("render_queue"));
  EXPECT_EQ(Analyzer::optimization_score(analyzer_.bottlenecks()), 100);
}

TEST_F(AnalyzerTest, EvictionsWithMissesRecommendALargerCache) {
  state.cache_max_entries = 8;
  state.cache_entries = 8;
  state.cache_max_bytes = 64 << 20;
  step();
  state.cache_misses += 100;
  state.cache_hits += 5;
  state.cache_evictions += 92;
  step();
  const auto b = bottleneck("cache");
  ASSERT_TRUE(b);
  EXPECT_GT(b->severity, 0.8);
  const auto recs = analyzer_.recommendations();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].component, "cache");
  EXPECT_EQ(recs[0].config, "CACHE_SIZE");
  EXPECT_EQ(recs[0].value, "32");
  EXPECT_FALSE(recs[0].expected_effect.empty());
}

TEST_F(AnalyzerTest, AFullBlockingPoolAndABusyCpu) {
  state.blocking_threads = 4;
  state.cores = 2;
  step();
  state.blocking_queued = 8;
  state.blocking_rejected += 3;
  state.cpu_seconds += 19.8;  // 99 % of both cores over ten seconds
  step();
  const auto pool = bottleneck("blocking_pool");
  ASSERT_TRUE(pool);
  EXPECT_DOUBLE_EQ(pool->severity, 1);
  EXPECT_EQ(pool->suggestions[0].config, "BLOCKING_THREADS");
  EXPECT_EQ(pool->suggestions[0].value, "8");
  const auto cpu = bottleneck("cpu");
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->suggestions[0].config, "replicas");
  // Recommendations are one per key, most severe first.
  const auto recs = analyzer_.recommendations();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].config, "BLOCKING_THREADS");
  EXPECT_EQ(recs[1].action.rfind("add a replica", 0), 0u);
}

TEST_F(AnalyzerTest, TheEngineShareOfRequestTime) {
  state.provider = "llm";
  step();
  for (int i = 0; i < 20; ++i) {
    latency.record(400ms);
    engine.record(380ms);
  }
  step();
  const auto b = bottleneck("caption_engine");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->suggestions[0].config, "CAPTION_PROVIDER");
}

class AnalyzerOverridesTest : public AnalyzerTest {
 protected:
  AnalyzerOverridesTest() : AnalyzerTest("queue_wait.threshold=1,queue_wait.severity=critical") {}
};

TEST_F(AnalyzerOverridesTest, RulesAreConfiguration) {
  state.workers = 1;
  step();
  queue_wait.record(2s);
  step();
  const auto alert = active("queue_wait");
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->severity, Severity::critical);
  EXPECT_DOUBLE_EQ(alert->threshold, 1);
}

TEST(AlertOverrides, NameTheBadEntry) {
  const auto rules = default_alert_rules();
  for (const char* bad :
       {"nope.threshold=1", "p99_latency.threshold=x", "p99_latency=1", "p99_latency.colour=1",
        "p99_latency.severity=page", "p99_latency.for=-1"}) {
    const auto r = apply_alert_overrides(rules, bad);
    ASSERT_FALSE(r) << bad;
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "ALERT_RULES");
    EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  }
  const auto ok = apply_alert_overrides(rules, "p99_latency.for=5,,error_rate.clear=0.01");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->front().for_duration, 5s);
}

}  // namespace
}  // namespace reelgen::monitor
