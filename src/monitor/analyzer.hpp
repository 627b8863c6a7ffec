#pragma once
// Live performance analysis: periodic samples of the server's cumulative counters become windows
// of the last 1, 5 and 15 minutes, and from them bottlenecks with suggestions, alerts with
// thresholds, durations and hysteresis, and merged recommendations (docs/operations.md explains
// every rule and default).

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "monitor/metrics.hpp"

namespace reelgen::monitor {

// The server at one moment. Counters and histograms are cumulative since start; the rest are
// gauges.
struct Sample {
  std::chrono::steady_clock::time_point at;
  std::chrono::system_clock::time_point wall;
  // HTTP
  HistogramSnapshot latency;  // every request
  std::uint64_t server_errors = 0;
  double in_flight = 0;
  // caption cache (L1) and engine
  std::uint64_t cache_hits = 0, cache_misses = 0, cache_evictions = 0;
  double cache_entries = 0, cache_max_entries = 0, cache_bytes = 0, cache_max_bytes = 0;
  HistogramSnapshot engine;
  std::string provider;
  // blocking pool and I/O threads
  HistogramSnapshot blocking_wait;
  std::uint64_t blocking_rejected = 0;
  double blocking_queued = 0, blocking_threads = 0;
  double loop_lag_seconds = 0;  // the latest lag of the most delayed I/O thread
  // video jobs: queue_depth and processing over every process sharing the store
  double queue_depth = 0, processing = 0, busy_workers = 0, workers = 0;
  HistogramSnapshot queue_wait;
  // renders: seconds of video produced, and the wall seconds spent, in total and by stage
  double video_seconds = 0, render_seconds = 0;
  std::array<double, 4> stage_seconds{};  // speech, drawing, encoding, finish
  // webhooks
  std::uint64_t webhooks_delivered = 0, webhooks_failed = 0;
  // process and machine
  double cpu_seconds = 0, rss_bytes = 0, open_fds = 0, threads = 0, cores = 1;
  double disk_free_ratio = 1;  // of the filesystem holding the data directory
};

// What happened between two samples at most `seconds` apart, plus the newest sample's gauges.
struct Window {
  int seconds = 0;     // nominal: 60, 300 or 900
  double covered = 0;  // seconds between the two samples
  HistogramSnapshot latency, engine, blocking_wait, queue_wait;
  std::uint64_t errors = 0, cache_hits = 0, cache_misses = 0, cache_evictions = 0;
  std::uint64_t blocking_rejected = 0, webhooks_delivered = 0, webhooks_failed = 0;
  double rps = 0, error_rate = 0, hit_rate = 0;
  double cpu_percent = 0;  // 100 = one core busy
  double rss_growth_bytes = 0;
  double video_seconds = 0, render_seconds = 0;
  std::array<double, 4> stage_seconds{};
  double realtime_factor() const { return render_seconds > 0 ? video_seconds / render_seconds : 0; }
  Sample last;
};

enum class Severity { warning, critical };
std::string_view to_string(Severity severity);

// An alert rule: fires once its value has been past threshold for for_duration, and resolves
// once the value is back past clear (hysteresis). below: the bad side is under the threshold.
struct AlertRule {
  std::string name;
  Severity severity = Severity::warning;
  double threshold = 0;
  double clear = 0;
  std::chrono::seconds for_duration{0};
  bool below = false;
};

// The built-in rules with their defaults (the table in docs/operations.md).
std::vector<AlertRule> default_alert_rules();
// Applies ALERT_RULES, e.g. "queue_wait.threshold=5,queue_wait.for=0,p99_latency.clear=300":
// comma-separated <rule>.<threshold|clear|for|severity>=<value>. invalid_argument naming the
// entry for an unknown rule, field or value.
core::Result<std::vector<AlertRule>> apply_alert_overrides(std::vector<AlertRule> rules,
                                                           std::string_view overrides);

struct Alert {
  std::string rule;
  Severity severity = Severity::warning;
  std::chrono::system_clock::time_point since;
  std::optional<std::chrono::system_clock::time_point> resolved_at;
  double value = 0;
  double threshold = 0;
  std::string message;
};

struct Suggestion {
  std::string config;  // a configuration key, or "replicas"
  std::string value;
  std::string reason;
};

struct Bottleneck {
  std::string component;
  double severity = 0;  // 0..1
  std::vector<std::pair<std::string, double>> evidence;
  std::vector<Suggestion> suggestions;
  std::string expected_effect;
};

struct Recommendation {
  std::string component, config, value, action, expected_effect;
};

struct AnalyzerConfig {
  std::vector<AlertRule> rules = default_alert_rules();
  std::size_t resolved_kept = 50;  // recently resolved alerts listed
};

class Analyzer {
 public:
  static constexpr std::array<int, 3> kWindows{60, 300, 900};

  explicit Analyzer(AnalyzerConfig config);
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Adds a sample (at must not go back) and evaluates the alert rules at its time. Thread-safe.
  void observe(Sample sample);

  std::optional<Sample> latest() const;
  // The window of the last `seconds` (one of kWindows); empty before the first sample.
  std::optional<Window> window(int seconds) const;
  // Components ranked by severity, most severe first.
  std::vector<Bottleneck> bottlenecks() const;
  // 100 × ∏(1 − severity) over the bottlenecks, rounded: 100 when nothing limits the server.
  static int optimization_score(const std::vector<Bottleneck>& bottlenecks);
  std::vector<Alert> active_alerts() const;
  std::vector<Alert> resolved_alerts() const;  // newest first
  // The bottlenecks' suggestions, one per configuration key (the most severe one's).
  std::vector<Recommendation> recommendations() const;

 private:
  struct RuleState {
    std::optional<std::chrono::steady_clock::time_point> pending_since;
    std::optional<Alert> active;
  };
  std::optional<Window> window_locked(int seconds) const;
  // The rule's value now; nullopt when the windows hold too little data to judge.
  static std::optional<double> rule_value(const AlertRule& rule, const Window& w1, const Window& w5,
                                          const Window& w15);
  void evaluate(const Sample& now);
  double rule_threshold(std::string_view name) const;

  AnalyzerConfig config_;
  mutable std::mutex mutex_;
  std::deque<Sample> samples_;
  std::vector<RuleState> states_;  // parallel to config_.rules
  std::deque<Alert> resolved_;
};

}  // namespace reelgen::monitor
