#include "monitor/analyzer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace reelgen::monitor {
namespace {

using std::chrono::seconds;

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string count(double x) { return std::to_string(static_cast<long long>(std::llround(x))); }

bool past(const AlertRule& rule, double value, double limit) {
  return rule.below ? value < limit : value > limit;
}

// The render queue: jobs wait while every local worker renders, or waited long in the window.
std::optional<Bottleneck> render_queue(const Window& w, double queue_wait_threshold) {
  const Sample& s = w.last;
  const double wait_p95 = w.queue_wait.quantile_ms(0.95) / 1000;
  const bool saturated = s.workers > 0 && s.busy_workers >= s.workers && s.queue_depth > 0;
  if (!saturated && wait_p95 < queue_wait_threshold / 2) return std::nullopt;
  Bottleneck b;
  b.component = "render_queue";
  b.severity = clamp01(std::max(s.queue_depth / (s.queue_depth + std::max(1.0, s.workers)),
                                wait_p95 / std::max(1e-9, queue_wait_threshold)));
  b.evidence = {{"queue_depth", s.queue_depth},
                {"processing", s.processing},
                {"workers", s.workers},
                {"queue_wait_p95_seconds", wait_p95},
                {"realtime_factor", w.realtime_factor()},
                {"cpu_percent", w.cpu_percent}};
  const double workers = std::max(1.0, s.workers);
  const double more = std::max(workers + 1, std::min(workers * 2, workers + s.queue_depth));
  b.suggestions.push_back({"JOB_WORKERS", count(more),
                           "jobs wait for a free worker: " + count(s.queue_depth) +
                               " queued behind " + count(workers) + " worker(s)"});
  if (w.cpu_percent >= 85 * s.cores) {
    b.suggestions.push_back(
        {"replicas", "+1", "the CPU is busy too: more workers on this machine would share it"});
  }
  b.expected_effect = "queue wait p95 (" + number(wait_p95) + " s) falls toward zero with " +
                      count(more) + " renders at once";
  return b;
}

// The caption cache: entries are evicted and lookups miss.
std::optional<Bottleneck> cache(const Window& w) {
  const Sample& s = w.last;
  const double lookups = static_cast<double>(w.cache_hits + w.cache_misses);
  if (lookups < 20 || w.cache_evictions == 0 || w.hit_rate >= 0.9) return std::nullopt;
  Bottleneck b;
  b.component = "cache";
  const double evicted_share =
      std::min(1.0, w.cache_evictions / std::max(1.0, 1.0 * w.cache_misses));
  b.severity = clamp01((1 - w.hit_rate) * evicted_share);
  b.evidence = {{"hit_rate", w.hit_rate},
                {"hits", static_cast<double>(w.cache_hits)},
                {"misses", static_cast<double>(w.cache_misses)},
                {"evictions", static_cast<double>(w.cache_evictions)},
                {"entries", s.cache_entries},
                {"max_entries", s.cache_max_entries},
                {"bytes", s.cache_bytes},
                {"max_bytes", s.cache_max_bytes}};
  const bool bytes_bound = s.cache_max_bytes > 0 && s.cache_bytes >= 0.9 * s.cache_max_bytes &&
                           s.cache_entries < 0.9 * s.cache_max_entries;
  if (bytes_bound) {
    b.suggestions.push_back({"CACHE_MAX_BYTES", count(s.cache_max_bytes * 4),
                             "the byte limit evicts entries before CACHE_SIZE is reached"});
  } else {
    b.suggestions.push_back({"CACHE_SIZE", count(std::max(16.0, s.cache_max_entries * 4)),
                             count(static_cast<double>(w.cache_evictions)) +
                                 " evictions in the window with a hit rate of " +
                                 number(w.hit_rate)});
  }
  b.expected_effect = "fewer evictions, so repeated requests hit the cache (hit rate now " +
                      number(w.hit_rate) + ")";
  return b;
}

// The blocking pool: requests wait for a thread, or are refused with 503.
std::optional<Bottleneck> blocking_pool(const Window& w) {
  const Sample& s = w.last;
  const double wait_p95 = w.blocking_wait.quantile_ms(0.95);
  const double saturation = s.blocking_queued / std::max(1.0, s.blocking_threads);
  if (w.blocking_rejected == 0 && wait_p95 < 50 && saturation < 1) return std::nullopt;
  Bottleneck b;
  b.component = "blocking_pool";
  b.severity =
      clamp01(std::max({w.blocking_rejected > 0 ? 1.0 : 0.0, wait_p95 / 200, saturation / 2}));
  b.evidence = {{"queued", s.blocking_queued},
                {"threads", s.blocking_threads},
                {"saturation", saturation},
                {"wait_p95_ms", wait_p95},
                {"rejected", static_cast<double>(w.blocking_rejected)}};
  b.suggestions.push_back(
      {"BLOCKING_THREADS", count(std::max(2.0, s.blocking_threads * 2)),
       "requests wait for a blocking thread (p95 " + number(wait_p95) + " ms)"});
  b.expected_effect = "less waiting for the store and the disk, and no 503 for a full pool";
  return b;
}

// The CPU: the process uses nearly every core.
std::optional<Bottleneck> cpu(const Window& w) {
  const double utilization = w.cpu_percent / (100 * std::max(1.0, w.last.cores));
  if (utilization < 0.85) return std::nullopt;
  Bottleneck b;
  b.component = "cpu";
  b.severity = clamp01((utilization - 0.85) / 0.15);
  b.evidence = {{"cpu_percent", w.cpu_percent}, {"cores", w.last.cores}};
  b.suggestions.push_back({"replicas", "+1", "CPU is the limit on this machine"});
  b.expected_effect = "each replica carries about half the load";
  return b;
}

// The caption engine: most of the request time is spent writing captions.
std::optional<Bottleneck> caption_engine(const Window& w, double p99_threshold_ms) {
  if (w.latency.count < 10 || w.latency.sum_seconds <= 0) return std::nullopt;
  const double share = std::min(1.0, w.engine.sum_seconds / w.latency.sum_seconds);
  const double p99 = w.latency.quantile_ms(0.99);
  if (share < 0.5 || p99 < p99_threshold_ms / 2) return std::nullopt;
  Bottleneck b;
  b.component = "caption_engine";
  b.severity = clamp01(share * std::min(1.0, p99 / p99_threshold_ms));
  b.evidence = {{"share_of_request_time", share},
                {"engine_p95_ms", w.engine.quantile_ms(0.95)},
                {"request_p99_ms", p99}};
  if (w.last.provider == "llm") {
    b.suggestions.push_back({"CAPTION_PROVIDER", "builtin",
                             "the model writes most of the request time; the builtin engine "
                             "answers in microseconds"});
  } else {
    b.suggestions.push_back({"CACHE_WARMUP_FILE", "a JSON-lines file of popular requests",
                             "popular requests answered from the cache skip the engine"});
  }
  b.expected_effect = "request latency falls by up to the engine's share (" + number(share) + ")";
  return b;
}

Alert make_alert(const AlertRule& rule, double value, std::chrono::system_clock::time_point since) {
  Alert a;
  a.rule = rule.name;
  a.severity = rule.severity;
  a.since = since;
  a.value = value;
  a.threshold = rule.threshold;
  a.message = rule.name + " is " + number(value) + (rule.below ? ", under " : ", over ") +
              number(rule.threshold) + " for " + std::to_string(rule.for_duration.count()) + " s";
  return a;
}

}  // namespace

std::string_view to_string(Severity severity) {
  return severity == Severity::critical ? "critical" : "warning";
}

std::vector<AlertRule> default_alert_rules() {
  using S = Severity;
  return {
      {"p99_latency", S::warning, 500, 400, seconds(60), false},      // ms, 1 min
      {"error_rate", S::critical, 0.05, 0.02, seconds(60), false},    // 5xx share, 1 min
      {"cache_hit_rate", S::warning, 0.5, 0.6, seconds(300), true},   // share, 5 min
      {"queue_wait", S::warning, 60, 30, seconds(0), false},          // s, p95 over 5 min
      {"event_loop_lag", S::warning, 0.1, 0.05, seconds(30), false},  // s
      {"rss_growth", S::warning, 512.0 * (1 << 20), 256.0 * (1 << 20), seconds(0), false},
      {"disk_space", S::critical, 0.1, 0.15, seconds(0), true},   // free share
      {"webhook_failures", S::warning, 0, 0, seconds(0), false},  // failed for good, 5 min
  };
}

core::Result<std::vector<AlertRule>> apply_alert_overrides(std::vector<AlertRule> rules,
                                                           std::string_view overrides) {
  std::size_t start = 0;
  while (start < overrides.size()) {
    std::size_t end = overrides.find(',', start);
    if (end == std::string_view::npos) end = overrides.size();
    const std::string_view entry = overrides.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) continue;
    const auto bad = [&](const std::string& why) {
      return std::unexpected(core::Error::invalid("ALERT_RULES", "alert_rule",
                                                  "entry '" + std::string(entry) + "': " + why));
    };
    const auto dot = entry.find('.');
    const auto eq = entry.find('=');
    if (dot == std::string_view::npos || eq == std::string_view::npos || eq < dot) {
      return bad("expected <rule>.<field>=<value>");
    }
    const std::string_view name = entry.substr(0, dot);
    const std::string_view field = entry.substr(dot + 1, eq - dot - 1);
    const std::string_view text = entry.substr(eq + 1);
    auto rule = std::find_if(rules.begin(), rules.end(),
                             [&](const AlertRule& r) { return r.name == name; });
    if (rule == rules.end()) return bad("no rule named '" + std::string(name) + "'");
    if (field == "severity") {
      if (text != "warning" && text != "critical") return bad("severity is warning or critical");
      rule->severity = text == "critical" ? Severity::critical : Severity::warning;
      continue;
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) ||
        value < 0) {
      return bad("the value must be a number >= 0");
    }
    if (field == "threshold") {
      rule->threshold = value;
    } else if (field == "clear") {
      rule->clear = value;
    } else if (field == "for") {
      rule->for_duration = seconds(static_cast<std::int64_t>(value));
    } else {
      return bad("the field is threshold, clear, for or severity");
    }
  }
  return rules;
}

Analyzer::Analyzer(AnalyzerConfig config)
    : config_(std::move(config)), states_(config_.rules.size()) {}

void Analyzer::observe(Sample sample) {
  std::lock_guard lock(mutex_);
  samples_.push_back(std::move(sample));
  // Keep one sample older than the longest window, so that window spans it whole.
  const auto cutoff = samples_.back().at - seconds(kWindows.back());
  while (samples_.size() > 2 && samples_[1].at <= cutoff) samples_.pop_front();
  evaluate(samples_.back());
}

std::optional<Sample> Analyzer::latest() const {
  std::lock_guard lock(mutex_);
  if (samples_.empty()) return std::nullopt;
  return samples_.back();
}

std::optional<Window> Analyzer::window(int secs) const {
  std::lock_guard lock(mutex_);
  return window_locked(secs);
}

std::optional<Window> Analyzer::window_locked(int secs) const {
  if (samples_.empty()) return std::nullopt;
  const Sample& last = samples_.back();
  const auto start = last.at - seconds(secs);
  const Sample* first = &last;
  for (const Sample& s : samples_) {
    if (s.at >= start) {
      first = &s;
      break;
    }
  }
  Window w;
  w.seconds = secs;
  w.covered = std::chrono::duration<double>(last.at - first->at).count();
  w.latency = last.latency.since(first->latency);
  w.engine = last.engine.since(first->engine);
  w.blocking_wait = last.blocking_wait.since(first->blocking_wait);
  w.queue_wait = last.queue_wait.since(first->queue_wait);
  w.errors = last.server_errors - first->server_errors;
  w.cache_hits = last.cache_hits - first->cache_hits;
  w.cache_misses = last.cache_misses - first->cache_misses;
  w.cache_evictions = last.cache_evictions - first->cache_evictions;
  w.blocking_rejected = last.blocking_rejected - first->blocking_rejected;
  w.webhooks_delivered = last.webhooks_delivered - first->webhooks_delivered;
  w.webhooks_failed = last.webhooks_failed - first->webhooks_failed;
  const double requests = static_cast<double>(w.latency.count);
  w.rps = w.covered > 0 ? requests / w.covered : 0;
  w.error_rate = requests > 0 ? w.errors / requests : 0;
  const double lookups = static_cast<double>(w.cache_hits + w.cache_misses);
  w.hit_rate = lookups > 0 ? w.cache_hits / lookups : 0;
  w.cpu_percent = w.covered > 0 ? 100 * (last.cpu_seconds - first->cpu_seconds) / w.covered : 0;
  w.rss_growth_bytes = last.rss_bytes - first->rss_bytes;
  w.video_seconds = last.video_seconds - first->video_seconds;
  w.render_seconds = last.render_seconds - first->render_seconds;
  for (std::size_t i = 0; i < w.stage_seconds.size(); ++i) {
    w.stage_seconds[i] = last.stage_seconds[i] - first->stage_seconds[i];
  }
  w.last = last;
  return w;
}

std::optional<double> Analyzer::rule_value(const AlertRule& rule, const Window& w1,
                                           const Window& w5, const Window& w15) {
  const auto& n = rule.name;
  if (n == "p99_latency") {
    if (w1.latency.count < 10) return std::nullopt;
    return w1.latency.quantile_ms(0.99);
  }
  if (n == "error_rate") {
    if (w1.latency.count < 20) return std::nullopt;
    return w1.error_rate;
  }
  if (n == "cache_hit_rate") {
    if (w5.cache_hits + w5.cache_misses < 100) return std::nullopt;
    return w5.hit_rate;
  }
  if (n == "queue_wait") {
    if (w5.queue_wait.count == 0) return std::nullopt;
    return w5.queue_wait.quantile_ms(0.95) / 1000;
  }
  if (n == "event_loop_lag") return w1.last.loop_lag_seconds;
  if (n == "rss_growth") return w15.rss_growth_bytes;
  if (n == "disk_space") return w1.last.disk_free_ratio;
  if (n == "webhook_failures") return static_cast<double>(w5.webhooks_failed);
  return std::nullopt;
}

void Analyzer::evaluate(const Sample& now) {
  const Window w1 = *window_locked(60);
  const Window w5 = *window_locked(300);
  const Window w15 = *window_locked(900);
  for (std::size_t i = 0; i < config_.rules.size(); ++i) {
    const AlertRule& rule = config_.rules[i];
    RuleState& state = states_[i];
    const std::optional<double> value = rule_value(rule, w1, w5, w15);
    const bool bad = value && past(rule, *value, rule.threshold);
    // No data (no traffic, say) clears an alert too.
    const bool clear = !value || !past(rule, *value, rule.clear);
    if (state.active) {
      if (value) state.active->value = *value;
      if (clear) {
        state.active->resolved_at = now.wall;
        resolved_.push_front(std::move(*state.active));
        if (resolved_.size() > config_.resolved_kept) resolved_.pop_back();
        state.active.reset();
        state.pending_since.reset();
      }
      continue;
    }
    if (!bad) {
      state.pending_since.reset();
      continue;
    }
    if (!state.pending_since) state.pending_since = now.at;
    if (now.at - *state.pending_since >= rule.for_duration) {
      const auto held = std::chrono::duration_cast<std::chrono::system_clock::duration>(
          now.at - *state.pending_since);
      state.active = make_alert(rule, *value, now.wall - held);
    }
  }
}

double Analyzer::rule_threshold(std::string_view name) const {
  for (const auto& r : config_.rules) {
    if (r.name == name) return r.threshold;
  }
  return 0;
}

std::vector<Bottleneck> Analyzer::bottlenecks() const {
  std::lock_guard lock(mutex_);
  std::vector<Bottleneck> out;
  const auto w1 = window_locked(60);
  const auto w5 = window_locked(300);
  if (!w1) return out;
  const auto add = [&](std::optional<Bottleneck> b) {
    if (b) out.push_back(std::move(*b));
  };
  add(render_queue(*w5, std::max(1e-3, rule_threshold("queue_wait"))));
  add(cache(*w5));
  add(blocking_pool(*w1));
  add(cpu(*w1));
  add(caption_engine(*w1, std::max(1.0, rule_threshold("p99_latency"))));
  std::stable_sort(out.begin(), out.end(), [](const Bottleneck& a, const Bottleneck& b) {
    return a.severity > b.severity;
  });
  return out;
}

int Analyzer::optimization_score(const std::vector<Bottleneck>& bottlenecks) {
  double score = 100;
  for (const auto& b : bottlenecks) score *= 1 - clamp01(b.severity);
  return static_cast<int>(std::lround(score));
}

std::vector<Alert> Analyzer::active_alerts() const {
  std::lock_guard lock(mutex_);
  std::vector<Alert> out;
  for (const auto& state : states_) {
    if (state.active) out.push_back(*state.active);
  }
  return out;
}

std::vector<Alert> Analyzer::resolved_alerts() const {
  std::lock_guard lock(mutex_);
  return {resolved_.begin(), resolved_.end()};
}

std::vector<Recommendation> Analyzer::recommendations() const {
  std::vector<Recommendation> out;
  for (const Bottleneck& b : bottlenecks()) {
    for (const Suggestion& s : b.suggestions) {
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const Recommendation& r) { return r.config == s.config; });
      if (seen) continue;
      const std::string action =
          s.config == "replicas" ? "add a replica" : "set " + s.config + "=" + s.value;
      out.push_back({b.component, s.config, s.value, action + ": " + s.reason, b.expected_effect});
    }
  }
  return out;
}

}  // namespace reelgen::monitor
