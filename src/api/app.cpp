#include "api/app.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "api/caption_dto.hpp"
#include "api/services.hpp"
#include "core/hash.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "http/compression.hpp"
#include "http/problem.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;

enum class Access { open, key, admin };

Access access_for(const core::Config& config, std::string_view route, std::string_view method) {
  if (route == "/" || route.starts_with("/assets/")) return Access::open;  // the web studio
  if (route == "/openapi.json" || route == "/docs" || route == "/redoc" ||
      route.starts_with("/docs/")) {
    return Access::open;
  }
  if (route.starts_with("/health")) return config.server.open_health ? Access::open : Access::key;
  if (route == "/performance/optimize") return Access::admin;
  if (route == "/metrics" || (route.starts_with("/performance/") && method != "POST")) {
    return config.server.open_metrics ? Access::open : Access::key;
  }
  return Access::key;
}

// The routes that need no key and still count against the client address's limit: all but the
// probes, which a kubelet or load balancer sends from one address for every replica.
bool limited_by_address(const core::Config& config, std::string_view route) {
  return config.rate_limit.per_ip_per_minute > 0 && route != "/health/live" &&
         route != "/health/ready";
}

// The routes a signed URL may open: what a browser loads into <video>, <img>, <audio>, a download
// link or an EventSource, none of which can send Authorization.
bool signed_media_route(std::string_view route, std::string_view method) {
  static constexpr std::string_view kRoutes[] = {
      "/api/v1/videos/{id}/file",          "/api/v1/videos/{id}/thumbnail",
      "/api/v1/videos/{id}/subtitles.srt", "/api/v1/videos/{id}/subtitles.vtt",
      "/api/v1/videos/{id}/events",        "/api/v1/avatars/{id}/preview.png",
      "/api/v1/voices/{id}/preview.wav"};
  if (method != "GET" && method != "HEAD") return false;
  return std::find(std::begin(kRoutes), std::end(kRoutes), route) != std::end(kRoutes);
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void set_rate_headers(http::Response& res, const RateDecision& d) {
  res.set_header("RateLimit-Limit", std::to_string(static_cast<long>(d.limit)));
  res.set_header("RateLimit-Remaining", std::to_string(static_cast<long>(d.remaining)));
  res.set_header("RateLimit-Reset", std::to_string(d.reset.count()));
}

http::Response rate_limited(const http::Context& ctx, const RateDecision& d, std::string message) {
  auto res = problem(ctx, core::Error::make(ErrorCode::rate_limited, std::move(message)));
  set_rate_headers(res, d);
  res.set_header("Retry-After", std::to_string(d.retry_after.count()));
  return res;
}

namespace {

// REQUIRES: config validated (the URL parses).
std::unique_ptr<cache::RedisClient> connect_redis(const core::Config& config,
                                                  const core::Clock& clock) {
  if (config.redis.url.empty()) return nullptr;
  const auto& r = config.redis;
  return std::make_unique<cache::RedisClient>(
      cache::RedisClientConfig{*core::parse_redis_url(r.url), r.timeout, r.pool_size, r.retry},
      clock);
}

}  // namespace

Services::Services(core::Config cfg, const core::Clock& clk)
    : config(std::move(cfg)),
      clock(clk),
      started(clk.now()),
      l1(cache::L1Config{config.cache.max_entries, config.cache.max_bytes, config.cache.ttl, 16},
         clk),
      redis(connect_redis(config, clk)),
      limiter(config.rate_limit.per_minute, config.rate_limit.burst, clk, redis.get()),
      trusted_proxies(*core::parse_address_blocks(config.rate_limit.trusted_proxies)),
      cors(config.server.cors_origins),
      pool(config.server.threads) {
  if (redis) {
    l2 = std::make_unique<cache::RedisCache>(
        *redis,
        cache::RedisCacheConfig{"reelgen:cache:" + std::string(captions::Service::kKeySchema) + ":",
                                config.redis.ttl, config.redis.compress_min_bytes},
        clk);
    tiered = std::make_unique<cache::TieredCache>(l1, *l2);
  }
}

namespace {

// Takes the fleet's warm-up lock for these contents: held for L2's TTL, the life of what a
// warm-up writes. False when another process holds it.
bool take_warmup_lock(Services& s, std::string_view contents) {
  const std::string id = std::string(captions::Service::kKeySchema) + ":" +
                         std::string(s.provider->name()) + ":" + std::string(contents);
  const std::string key = "reelgen:warmup:" + core::sha256_hex(id).substr(0, 32);
  const std::string ms = std::to_string(std::chrono::milliseconds(s.config.redis.ttl).count());
  auto reply = s.redis->command({"SET", key, s.instance_id, "NX", "PX", ms});
  return !reply || !reply->is_nil();  // Redis down: warm this process's L1
}

}  // namespace

WarmupReport Services::warm_cache(Warmup mode) {
  WarmupReport report;
  if (config.cache.warmup_file.empty() || !captions) return report;
  std::ifstream in(config.cache.warmup_file);
  if (!in) {
    report.error = "cannot read " + config.cache.warmup_file;
    return report;
  }
  const std::string contents{std::istreambuf_iterator<char>(in), {}};
  if (redis && mode == Warmup::once_per_fleet && !take_warmup_lock(*this, contents)) {
    report.shared = true;
    std::lock_guard lock(warmup_mutex);
    last_warmup = report;
    return report;
  }
  std::istringstream lines(contents);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') continue;
    ++report.requests;
    auto request = parse_caption_request(line);
    if (!request) {
      ++report.invalid;
      continue;
    }
    if (captions->generate(*request)) ++report.cached;
  }
  std::lock_guard lock(warmup_mutex);
  last_warmup = report;
  return report;
}

http::Response problem(const http::Context& ctx, const core::Error& error) {
  http::Response res = http::problem_response(error, ctx.request_id);
  // A busy or lost database, a full pool, an engine still loading: worth retrying shortly.
  if (error.code == ErrorCode::unavailable) res.set_header("Retry-After", "1");
  return res;
}

http::Response json(int status, const boost::json::value& body) {
  return http::json_response(status, core::to_json(body));
}

App::App(core::Config config, const core::Clock& clock)
    : services_(std::make_unique<Services>(std::move(config), clock)) {
  add_caption_routes(router_, *services_);
  add_operations_routes(router_, *services_);
  add_performance_routes(router_, *services_);
  add_docs_routes(router_, *services_);
  add_video_routes(router_, *services_);
  add_reel_routes(router_, *services_);
  add_upload_routes(router_, *services_);
  add_catalog_routes(router_, *services_);
  add_key_routes(router_, *services_);
  add_web_routes(router_, *services_);
  services_->metrics = std::make_unique<monitor::HttpMetrics>(router_.patterns(), clock);
}

App::~App() {
  // Workers and webhooks use the store: stop them first, and the store's calls into them.
  services_->stop_sampling();
  if (services_->store) services_->store->jobs().subscribe(nullptr);
  if (services_->workers) services_->workers->stop();
  if (services_->webhooks) services_->webhooks->stop();
}

namespace {

// A server secret: configured; with PostgreSQL, generated once and kept in the database, which
// every replica shares; with SQLite, generated once into DATA_DIR/<name> (mode 0600).
core::Result<std::string> server_secret(const std::string& configured, const core::Config& config,
                                        store::Store& store, const std::string& name,
                                        std::string_view prefix) {
  if (!configured.empty()) return configured;
  const std::string fresh = std::string(prefix) + core::random_token(40);
  if (store.backend() == "postgres") return store.setting(name, fresh);
  const auto path = std::filesystem::path(config.data_dir) / name;
  if (std::ifstream in(path); in) {
    std::string secret;
    std::getline(in, secret);
    if (!secret.empty()) return secret;
  }
  const std::string temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << fresh << "\n";
    if (!out) return core::fail(ErrorCode::unavailable, "cannot write " + temp);
  }
  std::filesystem::permissions(
      temp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec)
    return core::fail(ErrorCode::unavailable,
                      "cannot write " + path.string() + ": " + ec.message());
  core::log_info("generated a server secret", {{"file", path.string()}});
  return fresh;
}

// This process's instance id: INSTANCE_ID, or the id kept in the first DATA_DIR/instances/<n>
// that no running process holds locked (a lock ends with its process, however it dies). The
// same slot, and so the same id, is taken again by the next run.
core::Result<std::string> claim_instance_id(const core::Config& config, core::UniqueFd& lock) {
  if (!config.instance_id.empty()) return config.instance_id;
  const auto dir = std::filesystem::path(config.data_dir) / "instances";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (int slot = 0; slot < 1024; ++slot) {
    const auto path = dir / std::to_string(slot);
    core::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
      return core::fail(ErrorCode::unavailable,
                        "cannot open " + path.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;  // a running process has it
    char buf[64] = {};
    const auto n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
    std::string id(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    if (id.empty()) {
      id = "inst_" + core::random_token(10);
      const std::string line = id + "\n";
      if (::pwrite(fd.get(), line.data(), line.size(), 0) != static_cast<ssize_t>(line.size())) {
        return core::fail(ErrorCode::unavailable, "cannot write " + path.string());
      }
    }
    lock = std::move(fd);
    return id;
  }
  return core::fail(ErrorCode::unavailable,
                    "every instance slot in " + dir.string() + " is in use");
}

}  // namespace

core::Result<void> App::open_store() {
  auto alert_rules = monitor::apply_alert_overrides(monitor::default_alert_rules(),
                                                    services_->config.analyzer.alert_rules);
  if (!alert_rules) return std::unexpected(alert_rules.error());
  services_->analyzer =
      std::make_unique<monitor::Analyzer>(monitor::AnalyzerConfig{std::move(*alert_rules)});
  auto store = store::open(services_->config, services_->clock);
  if (!store) return std::unexpected(store.error());
  services_->store = store::metered(std::move(*store), services_->store_metrics, services_->clock);
  services_->auth = std::make_unique<Authenticator>(services_->store->keys(), services_->clock);
  services_->videos_dir = std::filesystem::path(services_->config.data_dir) / "videos";
  services_->uploads_dir = std::filesystem::path(services_->config.data_dir) / "uploads";
  services_->runner = std::make_unique<jobs::VideoRunner>(services_->videos_dir,
                                                          services_->uploads_dir, services_->clock);
  const auto& v = services_->config.video;
  auto instance = claim_instance_id(services_->config, services_->instance_lock);
  if (!instance) return std::unexpected(instance.error());
  services_->instance_id = *instance;
  jobs::WorkerConfig workers;
  workers.owner = *instance;
  workers.workers = v.workers;
  workers.lease = v.lease;
  workers.max_attempts = v.max_attempts;
  workers.retention = std::chrono::duration_cast<std::chrono::milliseconds>(v.retention);
  jobs::VideoServiceConfig rules;
  rules.videos_dir = services_->videos_dir;
  rules.uploads_dir = services_->uploads_dir;
  rules.max_active_per_key = v.max_active_per_key;
  rules.daily_quota = v.daily_quota;
  rules.max_attempts = v.max_attempts;
  rules.allow_private_callbacks = services_->config.webhooks.allow_private;
  services_->videos = std::make_unique<jobs::VideoService>(
      services_->store->jobs(), std::move(rules), services_->clock, [s = services_.get()] {
        if (s->workers) s->workers->wake();
      });
  // Uploads are kept as long as videos.
  workers.sweep_also = [videos = services_->videos.get()](std::int64_t cutoff_ms) {
    videos->expire_uploads(cutoff_ms);
  };
  services_->workers = std::make_unique<jobs::WorkerPool>(
      services_->store->jobs(), *services_->runner, workers, services_->clock);
  // Jobs queued by other processes (PostgreSQL's LISTEN/NOTIFY) wake this one's idle workers.
  if (workers.workers > 0) {
    services_->store->jobs().subscribe([w = services_->workers.get()] { w->wake(); });
  }
  const core::Config& config = services_->config;
  auto media_secret = server_secret(config.server.media_url_secret, config, *services_->store,
                                    "media_url_secret", "");
  if (!media_secret) return std::unexpected(media_secret.error());
  services_->signer =
      std::make_unique<MediaSigner>(*media_secret, config.server.media_url_ttl, services_->clock);
  auto secret =
      server_secret(config.webhooks.secret, config, *services_->store, "webhook_secret", "whsec_");
  if (!secret) return std::unexpected(secret.error());
  jobs::WebhookConfig hooks;
  hooks.secret = *secret;
  hooks.allow_private = services_->config.webhooks.allow_private;
  hooks.max_attempts = services_->config.webhooks.max_attempts;
  hooks.backoff = services_->config.webhooks.backoff;
  hooks.timeout = services_->config.webhooks.timeout;
  hooks.concurrency = services_->config.webhooks.concurrency;
  services_->webhooks =
      std::make_unique<jobs::WebhookSender>(services_->store->jobs(), hooks, services_->clock);
  services_->store_ready.store(true);
  return {};
}

void App::start_workers() {
  if (services_->workers) services_->workers->start();
  if (services_->webhooks) services_->webhooks->start();
  services_->start_sampling();
}

core::Result<void> App::load_engine() {
  const auto start = std::chrono::steady_clock::now();
  auto provider = captions::make_provider(services_->config.llm, services_->clock);
  if (!provider) return std::unexpected(provider.error());
  services_->provider = std::move(*provider);
  services_->captions = std::make_unique<captions::Service>(
      *services_->provider, services_->cache(), services_->l1, render_caption_fragment,
      services_->config.llm.fallback_ttl);
  services_->engine_load_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  // Ready only once the warm-up file is in the cache: its requests are hits from the first one.
  const WarmupReport warm = services_->warm_cache(Services::Warmup::once_per_fleet);
  if (services_->redis && services_->config.cache.prefetch_interval.count() > 0) {
    services_->prefetcher = std::make_unique<Prefetcher>(*services_);
    services_->prefetcher->start();
  }
  services_->engine_ready.store(true);
  core::log_info("caption engine loaded", {{"provider", services_->provider->name()},
                                           {"load_ms", services_->engine_load_time.count()},
                                           {"warmed", warm.cached},
                                           {"warmed_by_another_process", warm.shared},
                                           {"warmup_invalid", warm.invalid}});
  if (!warm.error.empty()) core::log_warn("cache warm-up skipped", {{"error", warm.error}});
  return {};
}

void App::operations_only() {
  services_->engine_needed = false;
  operations_only_ = true;
}

bool App::ready() const { return services_->store_ready.load() && services_->engine_ready.load(); }

store::Store& App::store() { return *services_->store; }

void App::attach(const http::ServerStats& stats) { services_->server_stats.store(&stats); }

void App::detach() {
  services_->stop_sampling();
  services_->server_stats.store(nullptr);
}

http::Response App::handle(http::Request& request) {
  auto& metrics = *services_->metrics;
  http::Context ctx;
  ctx.started = std::chrono::steady_clock::now();
  const std::string_view incoming_id = request.header("X-Request-Id");
  ctx.request_id =
      valid_request_id(incoming_id) ? std::string(incoming_id) : core::new_request_id();
  metrics.begin_request();
  http::Response res = http::answer_exceptions(ctx.request_id, "App::handle",
                                               [&] { return dispatch(request, ctx); });
  const auto& server = services_->config.server;
  http::compress_response(request, res, {server.compression, server.compression_min_bytes});
  res.set_header("X-Request-Id", ctx.request_id);
  if (const std::string_view origin = request.header("Origin");
      !origin.empty() && request.method != "OPTIONS") {
    const bool open = ctx.route != "unmatched" &&
                      access_for(services_->config, ctx.route, request.method) == Access::open;
    services_->cors.decorate(res, origin, open);
  }
  const auto elapsed = std::chrono::steady_clock::now() - ctx.started;
  metrics.record(ctx.route, res.status, elapsed);
  metrics.end_request();
  if (services_->config.server.access_log && core::log_enabled(core::LogLevel::info)) {
    core::log_info("request",
                   {{"request_id", ctx.request_id},
                    {"method", request.method},
                    {"path", request.path()},
                    {"status", res.status},
                    {"bytes", res.content_length()},
                    {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()},
                    {"key_id", ctx.key_id},
                    {"remote", request.remote_address}});
  }
  return res;
}

bool App::blocking(const http::Request& request) const {
  const http::RouteMatch match = router_.match(request.method, request.path());
  if (match.handler == nullptr) return false;
  if (match.dispatch == http::Dispatch::blocking) return true;
  const Services& s = *services_;
  // With a model configured, a caption that is not a cache hit may wait on the model; with
  // Redis, on L2.
  if (match.pattern == "/api/v14/generate" && (s.config.llm.configured() || s.tiered) &&
      s.engine_ready.load() && !s.captions->knows_body(request.body)) {
    return true;
  }
  const Access access = access_for(s.config, match.pattern, request.method);
  // Shared rate-limit buckets live in Redis: a request that takes a token waits on it.
  if (s.limiter.shared() &&
      (access != Access::open || limited_by_address(s.config, match.pattern))) {
    return true;
  }
  // An I/O-thread route still reads the store when its key is not in the authenticator's memory.
  return access != Access::open && s.store_ready.load() &&
         !s.auth->knows(presented_secret(request));
}

http::Response App::dispatch(http::Request& request, http::Context& ctx) {
  Services& s = *services_;
  const http::RouteMatch match = router_.match(request.method, request.path());
  ctx.route = match.handler ? match.pattern : "unmatched";
  if (operations_only_ && match.handler != nullptr && match.pattern != "/metrics" &&
      !match.pattern.starts_with("/health")) {
    ctx.route = "unmatched";
    return problem(ctx, core::Error::make(ErrorCode::not_found,
                                          "a worker process serves only /health and /metrics"));
  }
  if (request.method == "OPTIONS" && !match.allow.empty()) {
    // A CORS preflight (or a plain OPTIONS): what the path allows; never authenticated.
    ctx.route = match.pattern;
    const std::string_view method = request.header("Access-Control-Request-Method");
    const bool open = access_for(s.config, match.pattern, method) == Access::open;
    return s.cors.preflight(request.header("Origin"), method, match.allow, open);
  }
  if (match.handler == nullptr) {
    if (match.allow.empty()) {
      return problem(ctx, core::Error::make(ErrorCode::not_found,
                                            "no resource at " + std::string(request.path())));
    }
    auto res = problem(
        ctx, core::Error::make(ErrorCode::method_not_allowed,
                               request.method + " is not allowed here; use " + match.allow));
    res.set_header("Allow", match.allow);
    return res;
  }
  ctx.path_params = match.params;

  const Access access = access_for(s.config, match.pattern, request.method);
  std::optional<RateDecision> rate;
  if (access == Access::open && limited_by_address(s.config, match.pattern)) {
    const std::string address = core::client_address(
        request.remote_address, request.header("X-Forwarded-For"), s.trusted_proxies);
    rate = s.limiter.take("ip:" + address, 1, s.config.rate_limit.per_ip_per_minute);
    if (!rate->allowed) {
      return rate_limited(ctx, *rate,
                          "rate limit for this address exceeded; retry in " +
                              std::to_string(rate->retry_after.count()) + " s");
    }
  }
  if (access != Access::open) {
    if (!s.store_ready.load()) {
      return problem(ctx,
                     core::Error::make(ErrorCode::unavailable, "the key store is not open yet"));
    }
    if (presented_secret(request).empty() && has_signature(request.query()) &&
        signed_media_route(match.pattern, request.method)) {
      auto key_id = s.signer->verify(request.method, request.path(), request.query());
      if (!key_id) return problem(ctx, key_id.error());
      ctx.key_id = std::move(*key_id);
    } else if (auto key = s.auth->authenticate(presented_secret(request)); key) {
      ctx.key_id = key->id;
      ctx.admin = key->scope == store::Scope::admin;
      ctx.key_rate_per_minute = key->rate_per_minute;
    } else {
      auto res = problem(ctx, key.error());
      if (key.error().code == ErrorCode::unauthenticated)
        res.set_header("WWW-Authenticate", "Bearer");
      return res;
    }
    if (access == Access::admin && !ctx.admin) {
      return problem(ctx,
                     core::Error::make(ErrorCode::forbidden, "this endpoint needs an admin key"));
    }
    rate = s.limiter.take(ctx.key_id, 1, ctx.key_rate_per_minute);
    if (!rate->allowed) {
      return rate_limited(
          ctx, *rate,
          "rate limit exceeded; retry in " + std::to_string(rate->retry_after.count()) + " s");
    }
  }
  http::Response res = (*match.handler)(request, ctx);
  if (rate && res.header("RateLimit-Limit").empty()) set_rate_headers(res, *rate);
  return res;
}

}  // namespace reelgen::api
