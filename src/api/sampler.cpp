// The analyzer's samples: every counter the server keeps, read at one moment.

#include <sys/statvfs.h>

#include <algorithm>

#include "api/services.hpp"

namespace reelgen::api {
namespace {

void add_server(monitor::Sample& out, const http::ServerStats& server) {
  out.blocking_wait = server.blocking_wait.snapshot();
  out.blocking_rejected = server.blocking_rejected.load();
  out.blocking_threads = server.blocking_threads;
  out.blocking_queued = static_cast<double>(
      std::max<std::int64_t>(0, server.blocking_in_flight.load() - server.blocking_running.load()));
  for (int i = 0; i < server.io_threads; ++i) {
    out.loop_lag_seconds = std::max(out.loop_lag_seconds, server.loop_lag_us[i].load() / 1e6);
  }
}

void add_jobs(monitor::Sample& out, const Services& s) {
  auto& jobs = s.store->jobs();
  if (auto n = jobs.count_with_status(store::JobStatus::queued)) out.queue_depth = *n;
  if (auto n = jobs.count_with_status(store::JobStatus::processing)) out.processing = *n;
  if (s.workers) {
    const auto& w = s.workers->stats();
    out.workers = w.workers;
    out.busy_workers = w.busy.load();
    out.queue_wait = w.queue_wait.snapshot();
  }
  if (s.runner) {
    const auto& r = s.runner->stats();
    out.video_seconds = r.video_ms.load() / 1e3;
    out.render_seconds = r.elapsed_us.load() / 1e6;
    for (std::size_t i = 0; i < out.stage_seconds.size(); ++i) {
      out.stage_seconds[i] = r.stage_us[i].load() / 1e6;
    }
  }
  if (s.webhooks) {
    out.webhooks_delivered = s.webhooks->stats().delivered.load();
    out.webhooks_failed = s.webhooks->stats().failed.load();
  }
}

double disk_free_ratio(const std::string& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0 || fs.f_blocks == 0) return 1;
  return static_cast<double>(fs.f_bavail) / static_cast<double>(fs.f_blocks);
}

}  // namespace

monitor::Sample Services::sample() const {
  monitor::Sample out;
  out.at = clock.now();
  out.wall = clock.wall();
  out.latency = metrics->overall().snapshot();
  out.server_errors = metrics->server_errors();
  out.in_flight = static_cast<double>(metrics->in_flight());
  const cache::CacheStats c = l1.stats();
  out.cache_hits = c.hits;
  out.cache_misses = c.misses;
  out.cache_evictions = c.evictions;
  out.cache_entries = static_cast<double>(c.entries);
  out.cache_bytes = static_cast<double>(c.bytes);
  out.cache_max_entries = static_cast<double>(l1.config().max_entries);
  out.cache_max_bytes = static_cast<double>(l1.config().max_bytes);
  if (engine_ready.load()) {
    out.engine = captions->metrics().engine_time.snapshot();
    out.provider = captions->provider_name();
  }
  if (const auto* server = server_stats.load()) add_server(out, *server);
  if (store_ready.load()) add_jobs(out, *this);
  const auto usage = monitor::read_process_usage();
  out.cpu_seconds = usage.cpu_seconds;
  out.rss_bytes = usage.resident_bytes;
  out.open_fds = usage.open_fds;
  out.threads = usage.threads;
  out.cores = std::max(1u, std::thread::hardware_concurrency());
  out.disk_free_ratio = disk_free_ratio(config.data_dir);
  return out;
}

void Services::start_sampling() {
  if (sampler.joinable() || !analyzer) return;
  sampler = std::thread([this] {
    std::unique_lock lock(sampler_mutex);
    while (!sampler_stopping) {
      lock.unlock();
      analyzer->observe(sample());
      lock.lock();
      sampler_wake.wait_for(lock, config.analyzer.interval, [this] { return sampler_stopping; });
    }
  });
}

void Services::stop_sampling() {
  {
    std::lock_guard lock(sampler_mutex);
    sampler_stopping = true;
  }
  sampler_wake.notify_all();
  if (sampler.joinable()) sampler.join();
}

}  // namespace reelgen::api
