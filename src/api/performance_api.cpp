// GET /performance/stats, /performance/bottlenecks, /performance/alerts,
// /performance/recommendations: the analyzer's view, serialized.

#include <boost/json.hpp>

#include "api/services.hpp"

namespace reelgen::api {
namespace {

namespace json_ns = boost::json;

json_ns::object window_json(const monitor::Window& w) {
  const auto& last = w.last;
  const double video = w.video_seconds;
  const auto per_video_second = [&](std::size_t stage) {
    return video > 0 ? w.stage_seconds[stage] / video : 0.0;
  };
  const double request_seconds = w.latency.sum_seconds;
  return {
      {"seconds", w.seconds},
      {"covered_seconds", w.covered},
      {"response_times",
       {{"avg", w.latency.mean_ms()},
        {"p50", w.latency.quantile_ms(0.50)},
        {"p95", w.latency.quantile_ms(0.95)},
        {"p99", w.latency.quantile_ms(0.99)}}},
      {"throughput",
       {{"rps", w.rps}, {"concurrent", last.in_flight}, {"requests", w.latency.count}}},
      {"errors", {{"count", w.errors}, {"rate", w.error_rate}}},
      {"cache",
       {{"tier", "l1"},
        {"hit_rate", w.hit_rate},
        {"hits", w.cache_hits},
        {"misses", w.cache_misses},
        {"evictions", w.cache_evictions}}},
      {"jobs",
       {{"queue_depth", last.queue_depth},
        {"processing", last.processing},
        {"workers", last.workers},
        {"claimed", w.queue_wait.count},
        {"queue_wait_p95", w.queue_wait.quantile_ms(0.95) / 1000}}},
      {"render",
       {{"realtime_factor", w.realtime_factor()},
        {"video_seconds", video},
        {"render_seconds", w.render_seconds}}},
      {"resource_usage",
       {{"cpu_percent", w.cpu_percent},
        {"rss_bytes", last.rss_bytes},
        {"open_fds", last.open_fds},
        {"threads", last.threads},
        {"disk_free_ratio", last.disk_free_ratio}}},
      {"ai_performance",
       {{"provider", last.provider},
        {"captions", w.engine.count},
        {"avg_ms", w.engine.mean_ms()},
        {"p95_ms", w.engine.quantile_ms(0.95)},
        {"p99_ms", w.engine.quantile_ms(0.99)}}},
      {"stages",
       {{"caption_engine",
         {{"avg_ms", w.engine.mean_ms()},
          {"share_of_request_time",
           request_seconds > 0 ? std::min(1.0, w.engine.sum_seconds / request_seconds) : 0.0}}},
        {"blocking_pool_wait",
         {{"avg_ms", w.blocking_wait.mean_ms()},
          {"p95_ms", w.blocking_wait.quantile_ms(0.95)},
          {"queued", last.blocking_queued},
          {"threads", last.blocking_threads}}},
        {"event_loop_lag", {{"max_ms", last.loop_lag_seconds * 1000}}},
        {"job_queue_wait",
         {{"avg_seconds", w.queue_wait.mean_ms() / 1000},
          {"p95_seconds", w.queue_wait.quantile_ms(0.95) / 1000}}},
        {"render_speech", {{"seconds_per_video_second", per_video_second(0)}}},
        {"render_drawing", {{"seconds_per_video_second", per_video_second(1)}}},
        {"render_encoding", {{"seconds_per_video_second", per_video_second(2)}}},
        {"render_finish", {{"seconds_per_video_second", per_video_second(3)}}}}},
  };
}

http::Response stats(Services& s, http::Request&, http::Context&) {
  json_ns::object windows;
  for (const int seconds : monitor::Analyzer::kWindows) {
    monitor::Window w;
    w.seconds = seconds;
    if (auto live = s.analyzer ? s.analyzer->window(seconds) : std::nullopt) w = std::move(*live);
    windows[std::to_string(seconds / 60) + "m"] = window_json(w);
  }
  return json(200,
              {{"generated_at", core::iso8601(s.clock.wall())}, {"windows", std::move(windows)}});
}

std::vector<monitor::Bottleneck> bottlenecks_of(const Services& s) {
  return s.analyzer ? s.analyzer->bottlenecks() : std::vector<monitor::Bottleneck>{};
}

http::Response bottlenecks(Services& s, http::Request&, http::Context&) {
  const auto found = bottlenecks_of(s);
  json_ns::array list;
  for (const auto& b : found) {
    json_ns::object evidence;
    for (const auto& [name, value] : b.evidence) evidence[name] = value;
    json_ns::array suggestions;
    for (const auto& g : b.suggestions) {
      suggestions.push_back({{"config", g.config}, {"value", g.value}, {"reason", g.reason}});
    }
    list.push_back({{"component", b.component},
                    {"severity", b.severity},
                    {"evidence", std::move(evidence)},
                    {"suggestions", std::move(suggestions)}});
  }
  return json(200, {{"optimization_score", monitor::Analyzer::optimization_score(found)},
                    {"bottlenecks", std::move(list)}});
}

json_ns::array alerts_json(const std::vector<monitor::Alert>& alerts) {
  json_ns::array out;
  for (const auto& a : alerts) {
    out.push_back({{"rule", a.rule},
                   {"severity", monitor::to_string(a.severity)},
                   {"since", core::iso8601(a.since)},
                   {"resolved_at", a.resolved_at ? json_ns::value(core::iso8601(*a.resolved_at))
                                                 : json_ns::value(nullptr)},
                   {"value", a.value},
                   {"threshold", a.threshold},
                   {"message", a.message}});
  }
  return out;
}

http::Response alerts(Services& s, http::Request&, http::Context&) {
  if (!s.analyzer) return json(200, {{"active", json_ns::array()}, {"resolved", json_ns::array()}});
  return json(200, {{"active", alerts_json(s.analyzer->active_alerts())},
                    {"resolved", alerts_json(s.analyzer->resolved_alerts())}});
}

http::Response recommendations(Services& s, http::Request&, http::Context&) {
  json_ns::array list;
  if (s.analyzer) {
    for (const auto& r : s.analyzer->recommendations()) {
      list.push_back({{"component", r.component},
                      {"config", r.config},
                      {"value", r.value},
                      {"action", r.action},
                      {"expected_effect", r.expected_effect}});
    }
  }
  return json(200, {{"recommendations", std::move(list)}});
}

}  // namespace

void add_performance_routes(http::Router& router, Services& s) {
  router.add("GET", "/performance/stats", bind_handler<stats>(s), http::Dispatch::io_thread);
  router.add("GET", "/performance/bottlenecks", bind_handler<bottlenecks>(s),
             http::Dispatch::io_thread);
  router.add("GET", "/performance/alerts", bind_handler<alerts>(s), http::Dispatch::io_thread);
  router.add("GET", "/performance/recommendations", bind_handler<recommendations>(s),
             http::Dispatch::io_thread);
}

}  // namespace reelgen::api
