#include "api/app.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "api/caption_dto.hpp"
#include "api/services.hpp"
#include "core/hash.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "http/problem.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;

enum class Access { open, key, admin };

Access access_for(const core::Config& config, std::string_view route, std::string_view method) {
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

Services::Services(core::Config cfg, const core::Clock& clk)
    : config(std::move(cfg)),
      clock(clk),
      started(clk.now()),
      cache(cache::L1Config{config.cache.max_entries, config.cache.max_bytes, config.cache.ttl, 16},
            clk),
      limiter(config.rate_limit.per_minute, config.rate_limit.burst, clk),
      cors(config.server.cors_origins),
      pool(config.server.threads) {}

WarmupReport Services::warm_cache() {
  WarmupReport report;
  if (config.cache.warmup_file.empty() || !captions) return report;
  std::ifstream in(config.cache.warmup_file);
  if (!in) {
    report.error = "cannot read " + config.cache.warmup_file;
    return report;
  }
  std::string line;
  while (std::getline(in, line)) {
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

// The webhook signing secret: configured; with PostgreSQL, generated once and kept in the
// database, which every replica shares; with SQLite, generated once into DATA_DIR (mode 0600).
core::Result<std::string> webhook_secret(const core::Config& config, store::Store& store) {
  if (!config.webhooks.secret.empty()) return config.webhooks.secret;
  if (store.backend() == "postgres") {
    return store.setting("webhook_secret", "whsec_" + core::random_token(40));
  }
  const auto path = std::filesystem::path(config.data_dir) / "webhook_secret";
  if (std::ifstream in(path); in) {
    std::string secret;
    std::getline(in, secret);
    if (!secret.empty()) return secret;
  }
  const std::string secret = "whsec_" + core::random_token(40);
  const std::string temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << secret << "\n";
    if (!out) return core::fail(ErrorCode::unavailable, "cannot write " + temp);
  }
  std::filesystem::permissions(
      temp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec)
    return core::fail(ErrorCode::unavailable,
                      "cannot write " + path.string() + ": " + ec.message());
  core::log_info("generated the webhook signing secret", {{"file", path.string()}});
  return secret;
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
  auto secret = webhook_secret(services_->config, *services_->store);
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
  services_->captions = std::make_unique<captions::Service>(*services_->provider, services_->cache,
                                                            render_caption_fragment,
                                                            services_->config.llm.fallback_ttl);
  services_->engine_load_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  // Ready only once the warm-up file is in the cache: its requests are hits from the first one.
  const WarmupReport warm = services_->warm_cache();
  services_->engine_ready.store(true);
  core::log_info("caption engine loaded", {{"provider", services_->provider->name()},
                                           {"load_ms", services_->engine_load_time.count()},
                                           {"warmed", warm.cached},
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
  // With a model configured, a caption that is not a cache hit may wait on the model.
  if (match.pattern == "/api/v14/generate" && s.config.llm.configured() && s.engine_ready.load() &&
      !s.captions->knows_body(request.body)) {
    return true;
  }
  // An I/O-thread route still reads the store when its key is not in the authenticator's memory.
  return access_for(s.config, match.pattern, request.method) != Access::open &&
         s.store_ready.load() && !s.auth->knows(presented_secret(request));
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
  if (access != Access::open) {
    if (!s.store_ready.load()) {
      return problem(ctx,
                     core::Error::make(ErrorCode::unavailable, "the key store is not open yet"));
    }
    auto key = s.auth->authenticate(presented_secret(request));
    if (!key) {
      auto res = problem(ctx, key.error());
      if (key.error().code == ErrorCode::unauthenticated)
        res.set_header("WWW-Authenticate", "Bearer");
      return res;
    }
    ctx.key_id = key->id;
    ctx.admin = key->scope == store::Scope::admin;
    ctx.key_rate_per_minute = key->rate_per_minute;
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
