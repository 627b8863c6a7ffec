// GET /health, /health/live, /health/ready, /metrics, /performance/*; POST /performance/optimize.

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>

#include "api/services.hpp"
#include "captions/providers/llm/metrics.hpp"
#include "monitor/metrics.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;

double uptime_seconds(const Services& s) {
  return std::chrono::duration<double>(s.clock.now() - s.started).count();
}

// Readiness: what this process still lacks to serve. A database that stops answering is not
// among them: every replica would fail readiness at once and turn 503s into refused connections.
std::vector<std::string> not_ready_reasons(const Services& s) {
  std::vector<std::string> reasons;
  if (!s.store_ready.load()) reasons.emplace_back("store: not open");
  if (s.engine_needed && !s.engine_ready.load()) reasons.emplace_back("caption engine: loading");
  return reasons;
}

http::Response health(Services& s, http::Request&, http::Context&) {
  auto reasons = not_ready_reasons(s);
  const bool starting = !reasons.empty();
  std::string store = s.store_ready.load() ? "ok" : "starting";
  if (s.store_ready.load()) {
    if (auto ping = s.store->ping(); !ping) {
      store = "unavailable";
      reasons.push_back("store: " + ping.error().message);
    }
  }
  // Redis down costs the shared cache and buckets, not requests: degraded, still ready.
  std::string redis = "not used";
  if (s.redis) {
    auto pong = s.redis->command({"PING"});
    redis = pong ? "ok" : "unavailable";
    if (!pong) reasons.push_back("redis: " + pong.error().message + " (serving from L1)");
  }
  boost::json::array problems;
  for (const auto& r : reasons) problems.emplace_back(r);
  const char* status = starting ? "starting" : reasons.empty() ? "ok" : "degraded";
  return json(200, {{"status", status},
                    {"version", REELGEN_VERSION},
                    {"uptime_seconds", uptime_seconds(s)},
                    {"store_backend",
                     std::string(s.store_ready.load() ? s.store->backend() : std::string_view())},
                    {"checks",
                     {{"store", store},
                      {"redis", redis},
                      {"caption_engine", !s.engine_needed        ? "not used"
                                         : s.engine_ready.load() ? "ok"
                                                                 : "loading"}}},
                    {"problems", std::move(problems)}});
}

http::Response live(Services&, http::Request&, http::Context&) {
  return json(200, {{"status", "alive"}});
}

http::Response ready(Services& s, http::Request&, http::Context& ctx) {
  const auto reasons = not_ready_reasons(s);
  if (reasons.empty()) return json(200, {{"status", "ready"}});
  std::string detail = "not ready: ";
  for (std::size_t i = 0; i < reasons.size(); ++i) detail += (i ? "; " : "") + reasons[i];
  return problem(ctx, core::Error::make(ErrorCode::unavailable, detail));
}

void render_llm(monitor::Exposition& out, const captions::llm::LlmMetrics& m) {
  auto counter = [&](const char* name, const char* help, std::uint64_t value) {
    out.metric(name, "counter", help, "", static_cast<double>(value));
  };
  counter("reelgen_llm_calls_total", "Calls to the model server.", m.calls.load());
  counter("reelgen_llm_failures_total", "Model calls that failed (network, status, timeout).",
          m.failures.load());
  counter("reelgen_llm_timeouts_total", "Model calls past LLM_TIMEOUT_MS.", m.timeouts.load());
  counter("reelgen_llm_invalid_answers_total", "Model answers refused by validation.",
          m.invalid.load());
  counter("reelgen_llm_repairs_total", "Answers retried with the findings.", m.repairs.load());
  counter("reelgen_llm_fallbacks_total", "Requests the builtin engine answered instead.",
          m.fallbacks.load());
  counter("reelgen_llm_queue_full_total", "Requests that found the model queue full.",
          m.queue_full.load());
  counter("reelgen_llm_breaker_rejections_total", "Calls refused by the open breaker.",
          m.breaker_open.load());
  out.metric("reelgen_llm_tokens_total", "counter", "Tokens reported in usage.", "direction=\"in\"",
             static_cast<double>(m.tokens_in.load()));
  out.sample("reelgen_llm_tokens_total", "direction=\"out\"",
             static_cast<double>(m.tokens_out.load()));
  out.metric("reelgen_llm_breaker_state", "gauge", "0 closed, 1 open, 2 half-open.", "",
             m.breaker_state.load());
  out.metric("reelgen_llm_in_flight", "gauge", "Model calls in flight.", "",
             static_cast<double>(m.in_flight.load()));
  out.metric("reelgen_llm_queue_depth", "gauge", "Requests waiting for a model slot.", "",
             static_cast<double>(m.queued.load()));
  out.header("reelgen_llm_call_seconds", "histogram", "Model call latency.");
  out.histogram("reelgen_llm_call_seconds", "", m.latency);
}

void render_cache(monitor::Exposition& out, const Services& s) {
  const cache::CacheStats c = s.l1.stats();
  const char* l1 = "tier=\"l1\"";
  const char* l2 = "tier=\"l2\"";
  out.metric("reelgen_cache_hits_total", "counter", "Caption cache hits.", l1,
             static_cast<double>(c.hits));
  if (s.l2) out.sample("reelgen_cache_hits_total", l2, s.l2->stats().hits);
  out.metric("reelgen_cache_misses_total", "counter", "Caption cache misses.", l1,
             static_cast<double>(c.misses));
  if (s.l2) {
    const cache::L2Stats stats = s.l2->stats();
    out.sample("reelgen_cache_misses_total", l2, stats.misses);
    out.metric("reelgen_cache_errors_total", "counter", "L2 commands that failed.", l2,
               stats.errors);
    out.metric("reelgen_cache_compression_ratio", "gauge",
               "Bytes before compression over bytes stored.", l2, stats.compression_ratio());
    out.metric("reelgen_redis_up", "gauge", "1 while the last Redis command succeeded.", "",
               s.redis->healthy() ? 1 : 0);
  }
  out.metric("reelgen_cache_evictions_total", "counter", "Entries evicted to make room.", l1,
             static_cast<double>(c.evictions));
  out.metric("reelgen_cache_rejections_total", "counter",
             "New entries refused by the admission filter.", l1, static_cast<double>(c.rejections));
  out.metric("reelgen_cache_entries", "gauge", "Entries in the cache.", l1,
             static_cast<double>(c.entries));
  out.metric("reelgen_cache_bytes", "gauge", "Approximate bytes held by the cache.", l1,
             static_cast<double>(c.bytes));
  out.metric("reelgen_cache_max_entries", "gauge", "CACHE_SIZE: the entry bound.", l1,
             static_cast<double>(s.l1.config().max_entries));
  out.header("reelgen_cache_lookup_seconds", "histogram", "How long a cache lookup took, by tier.");
  out.histogram("reelgen_cache_lookup_seconds", l1, s.l1.lookup_latency());
  if (s.l2) out.histogram("reelgen_cache_lookup_seconds", l2, s.l2->lookup_latency());
}

void render_server(monitor::Exposition& out, const http::ServerStats& server) {
  const double running = static_cast<double>(server.blocking_running.load());
  const double queued =
      std::max(0.0, static_cast<double>(server.blocking_in_flight.load()) - running);
  out.metric("reelgen_blocking_pool_threads", "gauge", "BLOCKING_THREADS.", "",
             server.blocking_threads);
  out.metric("reelgen_blocking_pool_running", "gauge", "Requests on a blocking thread now.", "",
             running);
  out.metric("reelgen_blocking_pool_queue_depth", "gauge",
             "Requests waiting for a blocking thread.", "", queued);
  out.metric("reelgen_blocking_pool_saturation", "gauge",
             "Requests in flight on the pool per thread (over 1: requests wait).", "",
             (running + queued) / std::max(1, server.blocking_threads));
  out.header("reelgen_blocking_pool_wait_seconds", "histogram",
             "Time a request waited for a blocking thread.");
  out.histogram("reelgen_blocking_pool_wait_seconds", "", server.blocking_wait);
  out.header("reelgen_event_loop_lag_seconds", "gauge",
             "How late each I/O thread's 100 ms timer fired last.");
  for (int i = 0; i < server.io_threads; ++i) {
    out.sample("reelgen_event_loop_lag_seconds", "thread=\"" + std::to_string(i) + "\"",
               server.loop_lag_us[i].load() / 1e6);
  }
}

void render_store(monitor::Exposition& out, const Services& s) {
  if (!s.store_ready.load()) return;
  const auto& m = s.store_metrics;
  const std::string backend = "backend=\"" + std::string(s.store->backend()) + "\",op=\"";
  out.header("reelgen_store_call_seconds", "histogram", "Store calls by operation.");
  for (std::size_t i = 0; i < m.kOps.size(); ++i) {
    if (m.latency[i].count() == 0) continue;
    out.histogram("reelgen_store_call_seconds", backend + std::string(m.kOps[i]) + "\"",
                  m.latency[i]);
  }
  out.header("reelgen_store_errors_total", "counter", "Store calls that returned an error.");
  for (std::size_t i = 0; i < m.kOps.size(); ++i) {
    if (m.latency[i].count() == 0) continue;
    out.sample("reelgen_store_errors_total", backend + std::string(m.kOps[i]) + "\"",
               static_cast<double>(m.errors[i].load()));
  }
}

void render_jobs(monitor::Exposition& out, const Services& s) {
  if (s.analyzer) {
    if (const auto last = s.analyzer->latest()) {
      // Read from the store by the analyzer's sampler, not on this I/O thread.
      out.metric("reelgen_jobs", "gauge", "Video jobs of every process by status (sampled).",
                 "status=\"queued\"", last->queue_depth);
      out.sample("reelgen_jobs", "status=\"processing\"", last->processing);
      out.metric("reelgen_data_dir_free_ratio", "gauge",
                 "Free share of the filesystem holding DATA_DIR (sampled).", "",
                 last->disk_free_ratio);
    }
  }
  if (s.workers) {
    const auto& w = s.workers->stats();
    out.metric("reelgen_job_workers", "gauge", "JOB_WORKERS of this process.", "", w.workers);
    out.metric("reelgen_job_workers_busy", "gauge", "Workers rendering now.", "", w.busy.load());
    out.metric("reelgen_job_attempts_total", "counter", "Jobs claimed (every attempt).", "",
               static_cast<double>(w.claimed.load()));
    out.header("reelgen_jobs_finished_total", "counter", "Job attempts by outcome.");
    const std::pair<const char*, std::uint64_t> outcomes[] = {{"completed", w.completed.load()},
                                                              {"failed", w.failed.load()},
                                                              {"retried", w.retried.load()},
                                                              {"cancelled", w.cancelled.load()},
                                                              {"expired", w.expired.load()}};
    for (const auto& [status, n] : outcomes) {
      out.sample("reelgen_jobs_finished_total", std::string("status=\"") + status + "\"",
                 static_cast<double>(n));
    }
    out.metric("reelgen_job_lease_expiries_total", "counter",
               "Jobs whose lease expired: lost mid-run or taken back from a dead run.", "",
               static_cast<double>(w.leases_lost.load() + w.reclaimed.load()));
    out.header("reelgen_job_queue_wait_seconds", "histogram",
               "Time from submission (or retry time) to a worker's claim.");
    // Waits of seconds to minutes; the alert's default threshold is 60 s.
    static constexpr double kWaitLe[] = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    out.histogram("reelgen_job_queue_wait_seconds", "", w.queue_wait, kWaitLe);
  }
  if (s.runner) {
    const auto& r = s.runner->stats();
    out.header("reelgen_render_stage_seconds_total", "counter",
               "Wall seconds of completed renders by stage (render = drawing and encoding).");
    for (std::size_t i = 0; i < r.kStages.size(); ++i) {
      out.sample("reelgen_render_stage_seconds_total",
                 "stage=\"" + std::string(r.kStages[i]) + "\"", r.stage_us[i].load() / 1e6);
    }
    out.metric("reelgen_render_seconds_total", "counter", "Wall seconds of completed renders.", "",
               r.elapsed_us.load() / 1e6);
    out.metric("reelgen_render_video_seconds_total", "counter",
               "Seconds of video the completed renders produced.", "", r.video_ms.load() / 1e3);
    out.metric("reelgen_renders_total", "counter", "Completed renders.", "",
               static_cast<double>(r.renders.load()));
  }
  if (s.webhooks) {
    const auto& w = s.webhooks->stats();
    out.header("reelgen_webhook_deliveries_total", "counter", "Webhook attempts by outcome.");
    out.sample("reelgen_webhook_deliveries_total", "outcome=\"delivered\"",
               static_cast<double>(w.delivered.load()));
    out.sample("reelgen_webhook_deliveries_total", "outcome=\"retried\"",
               static_cast<double>(w.retried.load()));
    out.sample("reelgen_webhook_deliveries_total", "outcome=\"failed\"",
               static_cast<double>(w.failed.load()));
    out.header("reelgen_webhook_delivery_seconds", "histogram", "One delivery attempt's time.");
    out.histogram("reelgen_webhook_delivery_seconds", "", w.latency);
  }
}

http::Response metrics(Services& s, http::Request&, http::Context&) {
  monitor::Exposition out;
  s.metrics->render(out);
  render_cache(out, s);
  if (s.engine_ready.load()) {
    const auto& m = s.captions->metrics();
    const std::string provider =
        "provider=\"" + monitor::label_value(s.captions->provider_name()) + "\"";
    out.metric("reelgen_captions_generated_total", "counter",
               "Captions written by a provider (cache misses).", provider,
               static_cast<double>(m.generated.load()));
    out.metric("reelgen_captions_failures_total", "counter", "Provider failures.", provider,
               static_cast<double>(m.failures.load()));
    out.header("reelgen_caption_engine_seconds", "histogram", "Provider time per caption request.");
    out.histogram("reelgen_caption_engine_seconds", provider, m.engine_time);
    if (const auto* llm = s.captions->provider().model_metrics()) render_llm(out, *llm);
  }
  if (const auto* server = s.server_stats.load()) {
    out.metric("reelgen_http_connections_open", "gauge", "Open client connections.", "",
               static_cast<double>(server->connections_open.load()));
    out.metric("reelgen_http_connections_total", "counter", "Accepted client connections.", "",
               static_cast<double>(server->connections_accepted.load()));
    out.metric("reelgen_http_rejected_total", "counter",
               "Requests refused by the transport, by reason.", "reason=\"max_connections\"",
               static_cast<double>(server->connections_rejected.load()));
    out.sample("reelgen_http_rejected_total", "reason=\"header_too_large\"",
               static_cast<double>(server->header_too_large.load()));
    out.sample("reelgen_http_rejected_total", "reason=\"body_too_large\"",
               static_cast<double>(server->body_too_large.load()));
    out.sample("reelgen_http_rejected_total", "reason=\"bad_request\"",
               static_cast<double>(server->bad_requests.load()));
    out.sample("reelgen_http_rejected_total", "reason=\"timeout\"",
               static_cast<double>(server->timeouts.load()));
    out.sample("reelgen_http_rejected_total", "reason=\"blocking_pool_full\"",
               static_cast<double>(server->blocking_rejected.load()));
    out.metric("reelgen_http_blocking_in_flight", "gauge",
               "Requests running on or waiting for the blocking pool.", "",
               static_cast<double>(server->blocking_in_flight.load()));
    render_server(out, *server);
  }
  render_jobs(out, s);
  render_store(out, s);
  const auto usage = monitor::read_process_usage();
  out.metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", "",
             usage.resident_bytes);
  out.metric("process_cpu_seconds_total", "counter", "User and system CPU time in seconds.", "",
             usage.cpu_seconds);
  out.metric("process_open_fds", "gauge", "Open file descriptors.", "", usage.open_fds);
  out.metric("process_threads", "gauge", "Threads of the process.", "", usage.threads);
  out.metric("reelgen_uptime_seconds", "gauge", "Seconds since start.", "", uptime_seconds(s));
  http::Response res = http::json_response(200, out.text());
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return res;
}

std::string grade(double p99_ms, double error_rate) {
  if (error_rate > 0.05) return "F";
  if (p99_ms <= 5 && error_rate <= 0.001) return "A";
  if (p99_ms <= 20 && error_rate <= 0.01) return "B";
  if (p99_ms <= 100) return "C";
  if (p99_ms <= 500) return "D";
  return "F";
}

boost::json::object cache_json(const Services& s) {
  const cache::CacheStats c = s.l1.stats();
  return {{"level", "l1"},
          {"entries", c.entries},
          {"bytes", c.bytes},
          {"max_entries", s.l1.config().max_entries},
          {"max_bytes", s.l1.config().max_bytes},
          {"ttl_seconds", s.l1.config().ttl.count()},
          {"hits", c.hits},
          {"misses", c.misses},
          {"hit_rate", c.hit_rate()},
          {"inserts", c.inserts},
          {"evictions", c.evictions},
          {"rejections", c.rejections},
          {"expirations", c.expirations}};
}

http::Response status(Services& s, http::Request&, http::Context&) {
  const auto& m = *s.metrics;
  const auto& h = m.overall();
  const double requests = static_cast<double>(m.requests());
  const double error_rate = requests == 0 ? 0 : m.server_errors() / requests;
  const double p99 = h.quantile_ms(0.99);
  return json(200, {{"requests", m.requests()},
                    {"requests_in_flight", m.in_flight()},
                    {"rps_last_minute", m.rps_last_minute()},
                    {"latency_ms",
                     {{"mean", h.mean_ms()},
                      {"p50", h.quantile_ms(0.50)},
                      {"p95", h.quantile_ms(0.95)},
                      {"p99", p99}}},
                    {"client_errors", m.client_errors()},
                    {"server_errors", m.server_errors()},
                    {"cache_hit_rate", s.l1.stats().hit_rate()},
                    {"uptime_seconds", uptime_seconds(s)},
                    {"performance_grade", grade(p99, error_rate)}});
}

// A field of INFO's "name:value" lines, or -1.
double info_field(std::string_view info, std::string_view name) {
  const std::string needle = std::string(name) + ":";
  const auto at = info.find(needle);
  if (at == std::string_view::npos) return -1;
  return std::atof(std::string(info.substr(at + needle.size(), 32)).c_str());
}

// The shared tier. entries and bytes are the whole Redis database's (DBSIZE, used_memory): give
// reelgen a database of its own for them to mean the cache alone.
boost::json::object l2_json(Services& s) {
  const cache::L2Stats l2 = s.l2->stats();
  boost::json::object tier{{"tier", "l2"},
                           {"status", "ok"},
                           {"hits", l2.hits},
                           {"misses", l2.misses},
                           {"hit_rate", l2.hit_rate()},
                           {"errors", l2.errors},
                           {"writes", l2.writes},
                           {"entries", nullptr},
                           {"bytes", nullptr},
                           {"ttl_seconds", s.l2->config().ttl.count()},
                           {"raw_bytes_written", l2.raw_bytes},
                           {"stored_bytes_written", l2.stored_bytes},
                           {"compression_ratio", l2.compression_ratio()},
                           {"prefetches", s.prefetcher ? s.prefetcher->prefetched() : 0}};
  auto size = s.redis->command({"DBSIZE"});
  auto memory = s.redis->command({"INFO", "memory"});
  if (!size || !memory) {
    tier["status"] = "unavailable";
    return tier;
  }
  tier["entries"] = size->integer;
  tier["bytes"] = info_field(memory->str, "used_memory");
  return tier;
}

http::Response cache_status(Services& s, http::Request&, http::Context&) {
  boost::json::object doc = cache_json(s);
  boost::json::object l1 = doc;
  l1.erase("level");
  l1["tier"] = "l1";
  l1["compression_ratio"] = 1.0;  // kept as it is served
  l1["prefetches"] = s.prefetcher ? s.prefetcher->prefetched() : 0;
  boost::json::array tiers{std::move(l1)};
  if (s.l2) tiers.push_back(l2_json(s));
  doc["tiers"] = std::move(tiers);
  doc["prefetch"] = {{"enabled", s.prefetcher != nullptr},
                     {"interval_seconds", s.config.cache.prefetch_interval.count()},
                     {"top", s.config.cache.prefetch_top},
                     {"rounds", s.prefetcher ? s.prefetcher->rounds() : 0},
                     {"prefetched", s.prefetcher ? s.prefetcher->prefetched() : 0}};
  std::lock_guard lock(s.warmup_mutex);
  doc["warmup"] = {{"file", s.config.cache.warmup_file},
                   {"requests", s.last_warmup.requests},
                   {"cached", s.last_warmup.cached},
                   {"invalid", s.last_warmup.invalid},
                   {"by_another_process", s.last_warmup.shared}};
  return json(200, doc);
}

boost::json::object llm_status(const captions::llm::LlmMetrics& m) {
  static constexpr const char* kStates[] = {"closed", "open", "half_open"};
  return {{"calls", m.calls.load()},
          {"failures", m.failures.load()},
          {"timeouts", m.timeouts.load()},
          {"invalid_answers", m.invalid.load()},
          {"repairs", m.repairs.load()},
          {"fallbacks", m.fallbacks.load()},
          {"queue_full", m.queue_full.load()},
          {"breaker_rejections", m.breaker_open.load()},
          {"breaker_state", kStates[m.breaker_state.load() % 3]},
          {"tokens_in", m.tokens_in.load()},
          {"tokens_out", m.tokens_out.load()},
          {"in_flight", m.in_flight.load()},
          {"peak_in_flight", m.peak_in_flight.load()},
          {"queue_depth", m.queued.load()},
          {"latency_ms",
           {{"mean", m.latency.mean_ms()},
            {"p50", m.latency.quantile_ms(0.5)},
            {"p99", m.latency.quantile_ms(0.99)}}}};
}

http::Response ai_status(Services& s, http::Request&, http::Context& ctx) {
  if (!s.engine_ready.load()) {
    return problem(
        ctx, core::Error::make(ErrorCode::unavailable, "the caption engine is still loading"));
  }
  const auto& m = s.captions->metrics();
  const auto* llm = s.captions->provider().model_metrics();
  boost::json::object doc{
      {"provider", s.captions->provider_name()},
      {"providers", llm ? boost::json::array{"builtin", "llm"} : boost::json::array{"builtin"}},
      {"load_time_ms", s.engine_load_time.count()},
      {"captions_generated", m.generated.load()},
      {"failures", m.failures.load()},
      {"engine_time_ms",
       {{"mean", m.engine_time.mean_ms()},
        {"p50", m.engine_time.quantile_ms(0.5)},
        {"p99", m.engine_time.quantile_ms(0.99)}}}};
  if (llm) doc["llm"] = llm_status(*llm);
  return json(200, doc);
}

http::Response optimize(Services& s, http::Request&, http::Context& ctx) {
  if (!s.engine_ready.load()) {
    return problem(
        ctx, core::Error::make(ErrorCode::unavailable, "the caption engine is still loading"));
  }
  const auto before = s.l1.stats();
  const std::size_t expired = s.l1.purge_expired();
  const WarmupReport warm = s.warm_cache(Services::Warmup::forced);
  const auto after = s.l1.stats();
  boost::json::array actions;
  actions.emplace_back("removed " + std::to_string(expired) + " expired cache entries");
  if (s.config.cache.warmup_file.empty()) {
    actions.emplace_back("no warm-up file configured (CACHE_WARMUP_FILE); nothing to re-warm");
  } else if (!warm.error.empty()) {
    actions.emplace_back("warm-up failed: " + warm.error);
  } else {
    actions.emplace_back("re-warmed " + std::to_string(warm.cached) + " of " +
                         std::to_string(warm.requests) + " requests from " +
                         s.config.cache.warmup_file);
  }
  return json(200, {{"expired_removed", expired},
                    {"rewarmed", warm.cached},
                    {"entries_before", before.entries},
                    {"entries_after", after.entries},
                    {"bytes_before", before.bytes},
                    {"bytes_after", after.bytes},
                    {"actions", std::move(actions)}});
}

}  // namespace

void add_operations_routes(http::Router& router, Services& s) {
  router.add("GET", "/health", bind_handler<health>(s));
  router.add("GET", "/health/live", bind_handler<live>(s), http::Dispatch::io_thread);
  router.add("GET", "/health/ready", bind_handler<ready>(s));
  router.add("GET", "/metrics", bind_handler<metrics>(s), http::Dispatch::io_thread);
  router.add("GET", "/performance/status", bind_handler<status>(s), http::Dispatch::io_thread);
  // With Redis, the L2 figures are asked of Redis.
  router.add("GET", "/performance/cache", bind_handler<cache_status>(s),
             s.redis ? http::Dispatch::blocking : http::Dispatch::io_thread);
  router.add("GET", "/performance/ai", bind_handler<ai_status>(s), http::Dispatch::io_thread);
  router.add("POST", "/performance/optimize", bind_handler<optimize>(s));
}

}  // namespace reelgen::api
