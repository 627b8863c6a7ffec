#pragma once
// What the API handlers share. Internal to api/: handlers get it by reference.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/auth.hpp"
#include "api/cors.hpp"
#include "api/media_url.hpp"
#include "api/prefetch.hpp"
#include "api/rate_limiter.hpp"
#include "cache/cache.hpp"
#include "cache/l1_cache.hpp"
#include "cache/redis_cache.hpp"
#include "cache/redis_client.hpp"
#include "cache/tiered_cache.hpp"
#include "captions/provider.hpp"
#include "captions/service.hpp"
#include "core/address.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/thread_pool.hpp"
#include "core/unique_fd.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "jobs/video_job.hpp"
#include "jobs/video_service.hpp"
#include "jobs/webhooks.hpp"
#include "jobs/worker_pool.hpp"
#include "monitor/analyzer.hpp"
#include "monitor/http_metrics.hpp"
#include "store/metered_store.hpp"
#include "store/store.hpp"

namespace reelgen::api {

struct WarmupReport {
  std::size_t requests = 0;  // requests in the file
  std::size_t cached = 0;    // now in the cache
  std::size_t invalid = 0;   // lines that failed validation
  bool shared = false;       // another process holds the fleet's warm-up lock: L2 has them
  std::string error;         // the file could not be read
};

struct Services {
  Services(core::Config config, const core::Clock& clock);

  core::Config config;
  const core::Clock& clock;
  std::chrono::steady_clock::time_point started;
  cache::L1Cache l1;
  // With REDIS_URL: the shared L2 and the shared rate-limit buckets (else all null).
  std::unique_ptr<cache::RedisClient> redis;
  std::unique_ptr<cache::RedisCache> l2;
  std::unique_ptr<cache::TieredCache> tiered;
  RateLimiter limiter;
  std::vector<core::AddressBlock> trusted_proxies;
  CorsPolicy cors;
  core::ThreadPool pool;

  // Set once by App::open_store / App::load_engine, then read-only; guarded by the ready flags.
  store::StoreMetrics store_metrics;  // of every call to store; declared first, outlives it
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<MediaSigner> signer;  // signed media URLs (MEDIA_URL_SECRET, MEDIA_URL_TTL)
  std::unique_ptr<captions::Provider> provider;
  std::unique_ptr<captions::Service> captions;
  std::unique_ptr<Prefetcher> prefetcher;  // with Redis and PREFETCH_INTERVAL > 0
  std::atomic<bool> store_ready{false};
  std::atomic<bool> engine_ready{false};
  bool engine_needed = true;  // false in a worker process, which writes no captions
  std::chrono::milliseconds engine_load_time{0};

  // Video jobs: rendered by in-process workers into videos_dir.
  std::filesystem::path videos_dir;
  std::filesystem::path uploads_dir;  // <uploads_dir>/<key id>/<upload id>.<png|jpg>
  std::unique_ptr<jobs::VideoRunner> runner;
  std::unique_ptr<jobs::WorkerPool> workers;
  std::unique_ptr<jobs::VideoService> videos;  // the rules of video jobs and uploads
  std::unique_ptr<jobs::WebhookSender> webhooks;
  std::string instance_id;       // the owner of this process's job leases
  core::UniqueFd instance_lock;  // held while the instance id is in use

  std::unique_ptr<monitor::HttpMetrics> metrics;
  std::atomic<const http::ServerStats*> server_stats{nullptr};

  // Live analysis (GET /performance/stats|bottlenecks|alerts|recommendations): a thread samples
  // every ANALYZER_INTERVAL_MS into the analyzer (set by App::open_store).
  std::unique_ptr<monitor::Analyzer> analyzer;
  monitor::Sample sample() const;
  void start_sampling();
  void stop_sampling();
  std::thread sampler;
  std::mutex sampler_mutex;
  std::condition_variable sampler_wake;
  bool sampler_stopping = false;

  // Where captions are cached: L1, or L1 in front of L2.
  cache::Cache& cache() { return tiered ? static_cast<cache::Cache&>(*tiered) : l1; }

  // Re-reads CACHE_WARMUP_FILE and generates every request in it (fills the cache). With Redis,
  // unless forced, only the process that takes the fleet's lock for this file, provider and
  // cache schema does; the others find the captions in L2.
  enum class Warmup { once_per_fleet, forced };
  WarmupReport warm_cache(Warmup mode);
  std::mutex warmup_mutex;
  WarmupReport last_warmup;
};

http::Response problem(const http::Context& ctx, const core::Error& error);
http::Response json(int status, const boost::json::value& body);
void set_rate_headers(http::Response& res, const RateDecision& decision);
// 429 with Retry-After and the RateLimit-* headers.
http::Response rate_limited(const http::Context& ctx, const RateDecision& decision,
                            std::string message);

// Adapts a handler function of (Services&, Request&, Context&) to the router.
template <auto Fn>
http::Handler bind_handler(Services& s) {
  return [&s](http::Request& r, http::Context& c) { return Fn(s, r, c); };
}

// Route registration, one function per resource file.
void add_caption_routes(http::Router& router, Services& services);
void add_operations_routes(http::Router& router, Services& services);
void add_performance_routes(http::Router& router, Services& services);
void add_docs_routes(http::Router& router, Services& services);
void add_video_routes(http::Router& router, Services& services);
void add_reel_routes(http::Router& router, Services& services);
void add_upload_routes(http::Router& router, Services& services);
void add_catalog_routes(http::Router& router, Services& services);
void add_key_routes(http::Router& router, Services& services);
void add_web_routes(http::Router& router, Services& services);

}  // namespace reelgen::api
