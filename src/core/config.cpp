#include "core/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/address.hpp"
#include "core/log.hpp"

namespace reelgen::core {
namespace {

Error bad_env(const char* name, const std::string& value, std::string_view expected) {
  return Error::make(ErrorCode::invalid_argument, std::string("environment variable ") + name +
                                                      "=" + value + ": expected " +
                                                      std::string(expected));
}

template <typename T>
Result<void> read_unsigned(const EnvLookup& env, const char* name, T& out, std::uint64_t max) {
  const auto value = env(name);
  if (!value) return {};
  std::uint64_t n = 0;
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, n);
  if (ec != std::errc() || ptr != end || n > max) {
    return std::unexpected(bad_env(name, *value, "an integer from 0 to " + std::to_string(max)));
  }
  out = static_cast<T>(n);
  return {};
}

Result<void> read_millis(const EnvLookup& env, const char* name, Millis& out) {
  std::uint64_t ms = static_cast<std::uint64_t>(out.count());
  if (auto r = read_unsigned(env, name, ms, 86'400'000); !r) return r;
  out = Millis(ms);
  return {};
}

Result<void> read_double(const EnvLookup& env, const char* name, double& out) {
  const auto value = env(name);
  if (!value) return {};
  char* end = nullptr;
  const double d = std::strtod(value->c_str(), &end);
  if (end != value->c_str() + value->size() || value->empty() || !(d >= 0)) {
    return std::unexpected(bad_env(name, *value, "a non-negative number"));
  }
  out = d;
  return {};
}

Result<void> read_bool(const EnvLookup& env, const char* name, bool& out) {
  const auto value = env(name);
  if (!value) return {};
  if (*value == "1" || *value == "true" || *value == "on" || *value == "yes") {
    out = true;
  } else if (*value == "0" || *value == "false" || *value == "off" || *value == "no") {
    out = false;
  } else {
    return std::unexpected(bad_env(name, *value, "true or false"));
  }
  return {};
}

void read_string(const EnvLookup& env, const char* name, std::string& out) {
  if (auto value = env(name)) out = *value;
}

// Whole numbers as integers, so the log shows 6000 rather than 6E3.
boost::json::value plain_number(double d) {
  if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  return d;
}

}  // namespace

EnvLookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<Config> load_config(const EnvLookup& env) {
  Config c;
  auto& s = c.server;
  std::uint64_t ttl = static_cast<std::uint64_t>(c.cache.ttl.count());
  std::uint64_t media_ttl = static_cast<std::uint64_t>(s.media_url_ttl.count());
  std::uint64_t retention = static_cast<std::uint64_t>(c.video.retention.count());
  read_string(env, "HOST", s.host);
  read_string(env, "DATA_DIR", c.data_dir);
  read_string(env, "LOG_LEVEL", c.log_level);
  read_string(env, "CACHE_WARMUP_FILE", c.cache.warmup_file);
  read_string(env, "WEBHOOK_SECRET", c.webhooks.secret);
  read_string(env, "MEDIA_URL_SECRET", s.media_url_secret);
  read_string(env, "INSTANCE_ID", c.instance_id);
  read_string(env, "CORS_ORIGINS", s.cors_origins);
  read_string(env, "ALERT_RULES", c.analyzer.alert_rules);
  auto& llm = c.llm;
  std::uint64_t fallback_ttl = static_cast<std::uint64_t>(llm.fallback_ttl.count());
  read_string(env, "CAPTION_PROVIDER", llm.provider);
  read_string(env, "LLM_BASE_URL", llm.base_url);
  read_string(env, "LLM_MODEL", llm.model);
  read_string(env, "LLM_API_KEY", llm.api_key);
  read_string(env, "LLM_CA_FILE", llm.ca_file);
  read_string(env, "LLM_DIALECT", llm.dialect);
  read_string(env, "DATABASE_URL", c.database.url);
  read_string(env, "REDIS_URL", c.redis.url);
  read_string(env, "TRUSTED_PROXIES", c.rate_limit.trusted_proxies);
  std::uint64_t prefetch = static_cast<std::uint64_t>(c.cache.prefetch_interval.count());
  std::uint64_t redis_ttl = static_cast<std::uint64_t>(c.redis.ttl.count());
  for (Result<void> r : {
           read_unsigned(env, "PORT", s.port, 65535),
           read_unsigned(env, "REELGEN_THREADS", s.threads, 256),
           read_unsigned(env, "HEADER_LIMIT", s.header_limit, 1 << 20),
           read_unsigned(env, "BODY_LIMIT", s.body_limit, 1ull << 30),
           read_unsigned(env, "UPLOAD_LIMIT", s.upload_body_limit, 1ull << 30),
           read_millis(env, "HEADER_TIMEOUT_MS", s.header_timeout),
           read_millis(env, "BODY_TIMEOUT_MS", s.body_timeout),
           read_millis(env, "IDLE_TIMEOUT_MS", s.idle_timeout),
           read_millis(env, "WRITE_TIMEOUT_MS", s.write_timeout),
           read_unsigned(env, "LINGER_BYTES", s.linger_bytes, 1ull << 40),
           read_millis(env, "LINGER_TIMEOUT_MS", s.linger_timeout),
           read_unsigned(env, "MAX_CONNECTIONS", s.max_connections, 1'000'000),
           read_unsigned(env, "BLOCKING_THREADS", s.blocking_threads, 1024),
           read_unsigned(env, "BLOCKING_QUEUE", s.blocking_queue, 1'000'000),
           read_millis(env, "SHUTDOWN_GRACE_MS", s.shutdown_grace),
           read_bool(env, "ACCESS_LOG", s.access_log),
           read_bool(env, "OPEN_HEALTH", s.open_health),
           read_bool(env, "OPEN_METRICS", s.open_metrics),
           read_bool(env, "COMPRESSION", s.compression),
           read_unsigned(env, "COMPRESSION_MIN_BYTES", s.compression_min_bytes, 1ull << 30),
           read_unsigned(env, "MEDIA_URL_TTL", media_ttl, 7ull * 86400),
           read_unsigned(env, "CACHE_SIZE", c.cache.max_entries, 100'000'000),
           read_unsigned(env, "CACHE_MAX_BYTES", c.cache.max_bytes, 1ull << 40),
           read_unsigned(env, "CACHE_TTL", ttl, 365ull * 86400),
           read_double(env, "RATE_LIMIT_PER_MINUTE", c.rate_limit.per_minute),
           read_double(env, "RATE_LIMIT_BURST", c.rate_limit.burst),
           read_double(env, "RATE_LIMIT_PER_IP_PER_MINUTE", c.rate_limit.per_ip_per_minute),
           read_unsigned(env, "PREFETCH_INTERVAL", prefetch, 86400),
           read_unsigned(env, "PREFETCH_TOP", c.cache.prefetch_top, 10'000),
           read_millis(env, "REDIS_TIMEOUT_MS", c.redis.timeout),
           read_unsigned(env, "REDIS_POOL_SIZE", c.redis.pool_size, 1024),
           read_millis(env, "REDIS_RETRY_MS", c.redis.retry),
           read_unsigned(env, "REDIS_CACHE_TTL", redis_ttl, 365ull * 86400),
           read_unsigned(env, "REDIS_COMPRESS_MIN_BYTES", c.redis.compress_min_bytes, 1ull << 30),
           read_unsigned(env, "JOB_WORKERS", c.video.workers, 64),
           read_unsigned(env, "HEALTH_PORT", c.video.health_port, 65535),
           read_unsigned(env, "VIDEO_MAX_ACTIVE_PER_KEY", c.video.max_active_per_key, 100'000),
           read_unsigned(env, "VIDEO_DAILY_QUOTA", c.video.daily_quota, 10'000'000),
           read_unsigned(env, "VIDEO_RETENTION_HOURS", retention, 24ull * 3650),
           read_millis(env, "JOB_LEASE_MS", c.video.lease),
           read_millis(env, "ANALYZER_INTERVAL_MS", c.analyzer.interval),
           read_unsigned(env, "JOB_MAX_ATTEMPTS", c.video.max_attempts, 100),
           read_bool(env, "WEBHOOK_ALLOW_PRIVATE", c.webhooks.allow_private),
           read_unsigned(env, "WEBHOOK_MAX_ATTEMPTS", c.webhooks.max_attempts, 100),
           read_millis(env, "WEBHOOK_BACKOFF_MS", c.webhooks.backoff),
           read_millis(env, "WEBHOOK_TIMEOUT_MS", c.webhooks.timeout),
           read_unsigned(env, "WEBHOOK_CONCURRENCY", c.webhooks.concurrency, 256),
           read_millis(env, "LLM_TIMEOUT_MS", llm.timeout),
           read_unsigned(env, "LLM_MAX_CONCURRENCY", llm.max_concurrency, 4096),
           read_unsigned(env, "LLM_QUEUE", llm.queue, 1'000'000),
           read_double(env, "LLM_TEMPERATURE", llm.temperature),
           read_unsigned(env, "LLM_BREAKER_FAILURES", llm.breaker_failures, 1'000'000),
           read_millis(env, "LLM_BREAKER_COOLDOWN_MS", llm.breaker_cooldown),
           read_unsigned(env, "LLM_FALLBACK_TTL", fallback_ttl, 365ull * 86400),
           read_bool(env, "LLM_STREAM", llm.stream),
           read_unsigned(env, "DATABASE_POOL_SIZE", c.database.pool_size, 1024),
           read_millis(env, "DATABASE_STATEMENT_TIMEOUT_MS", c.database.statement_timeout),
           read_millis(env, "DATABASE_CONNECT_TIMEOUT_MS", c.database.connect_timeout),
           read_bool(env, "MIGRATE_ON_START", c.database.migrate_on_start),
       }) {
    if (!r) return std::unexpected(r.error());
  }
  c.cache.ttl = std::chrono::seconds(ttl);
  c.cache.prefetch_interval = std::chrono::seconds(prefetch);
  c.redis.ttl = std::chrono::seconds(redis_ttl);
  s.media_url_ttl = std::chrono::seconds(media_ttl);
  c.video.retention = std::chrono::hours(retention);
  llm.fallback_ttl = std::chrono::seconds(fallback_ttl);
  if (auto r = validate(c); !r) return std::unexpected(r.error());
  return c;
}

Result<void> validate(const Config& c) {
  LogLevel level;
  if (!parse_log_level(c.log_level, level)) {
    return fail(ErrorCode::invalid_argument,
                "log level '" + c.log_level + "': expected debug, info, warn, error or off");
  }
  if (c.server.header_limit < 1024) {
    return fail(ErrorCode::invalid_argument, "header limit must be at least 1024 bytes");
  }
  if (c.server.max_connections == 0) {
    return fail(ErrorCode::invalid_argument, "max connections must be at least 1");
  }
  if (c.server.blocking_threads < 1) {
    return fail(ErrorCode::invalid_argument, "BLOCKING_THREADS must be at least 1");
  }
  if (c.server.media_url_ttl.count() < 1) {
    return fail(ErrorCode::invalid_argument, "MEDIA_URL_TTL must be at least 1 second");
  }
  if (c.rate_limit.burst < 1) {
    return fail(ErrorCode::invalid_argument, "rate limit burst must be at least 1");
  }
  if (c.redis.pool_size < 1) {
    return fail(ErrorCode::invalid_argument, "REDIS_POOL_SIZE must be at least 1");
  }
  if (c.redis.timeout < Millis(1)) {
    return fail(ErrorCode::invalid_argument, "REDIS_TIMEOUT_MS must be at least 1");
  }
  if (!c.redis.url.empty()) {
    if (auto endpoint = parse_redis_url(c.redis.url); !endpoint) {
      return std::unexpected(endpoint.error());
    }
  }
  if (auto proxies = parse_address_blocks(c.rate_limit.trusted_proxies); !proxies) {
    return std::unexpected(proxies.error());
  }
  if (c.data_dir.empty()) return fail(ErrorCode::invalid_argument, "data dir must not be empty");
  if (c.analyzer.interval < Millis(50)) {
    return fail(ErrorCode::invalid_argument, "ANALYZER_INTERVAL_MS must be at least 50");
  }
  if (c.database.pool_size < 1) {
    return fail(ErrorCode::invalid_argument, "DATABASE_POOL_SIZE must be at least 1");
  }
  if (c.video.max_attempts < 1) {
    return fail(ErrorCode::invalid_argument, "JOB_MAX_ATTEMPTS must be at least 1");
  }
  if (c.video.lease < Millis(1000)) {
    return fail(ErrorCode::invalid_argument, "JOB_LEASE_MS must be at least 1000");
  }
  return validate_llm(c.llm);
}

Result<void> validate_llm(const LlmConfig& llm) {
  if (llm.provider != "builtin" && llm.provider != "llm") {
    return fail(ErrorCode::invalid_argument,
                "CAPTION_PROVIDER '" + llm.provider + "': expected builtin or llm");
  }
  if (llm.provider == "llm" && !llm.configured()) {
    return fail(ErrorCode::invalid_argument,
                "CAPTION_PROVIDER=llm needs LLM_BASE_URL and LLM_MODEL");
  }
  static constexpr std::string_view kDialects[] = {"auto", "openai", "vllm", "llamacpp", "ollama"};
  if (std::find(std::begin(kDialects), std::end(kDialects), llm.dialect) == std::end(kDialects)) {
    return fail(
        ErrorCode::invalid_argument,
        "LLM_DIALECT '" + llm.dialect + "': expected auto, openai, vllm, llamacpp or ollama");
  }
  if (!llm.base_url.empty() && !llm.base_url.starts_with("http://") &&
      !llm.base_url.starts_with("https://")) {
    return fail(ErrorCode::invalid_argument,
                "LLM_BASE_URL '" + llm.base_url + "': expected http[s]://host[:port]/path");
  }
  if (llm.max_concurrency < 1) {
    return fail(ErrorCode::invalid_argument, "LLM_MAX_CONCURRENCY must be at least 1");
  }
  if (llm.breaker_failures < 1) {
    return fail(ErrorCode::invalid_argument, "LLM_BREAKER_FAILURES must be at least 1");
  }
  if (llm.timeout < Millis(1)) {
    return fail(ErrorCode::invalid_argument, "LLM_TIMEOUT_MS must be at least 1");
  }
  if (llm.temperature > 2) {
    return fail(ErrorCode::invalid_argument, "LLM_TEMPERATURE must be from 0 to 2");
  }
  return {};
}

boost::json::object describe(const LlmConfig& llm) {
  return {
      {"caption_provider", llm.provider},
      {"llm_base_url", llm.base_url},
      {"llm_model", llm.model},
      {"llm_api_key", llm.api_key.empty() ? "unset" : "set"},
      {"llm_ca_file", llm.ca_file},
      {"llm_timeout_ms", llm.timeout.count()},
      {"llm_max_concurrency", llm.max_concurrency},
      {"llm_queue", llm.queue},
      {"llm_temperature", plain_number(llm.temperature)},
      {"llm_breaker_failures", llm.breaker_failures},
      {"llm_breaker_cooldown_ms", llm.breaker_cooldown.count()},
      {"llm_dialect", llm.dialect},
      {"llm_fallback_ttl", llm.fallback_ttl.count()},
      {"llm_stream", llm.stream},
  };
}

boost::json::object describe(const Config& c) {
  const auto& s = c.server;
  return {
      {"host", s.host},
      {"port", s.port},
      {"threads", s.threads},
      {"header_limit", s.header_limit},
      {"body_limit", s.body_limit},
      {"upload_limit", s.upload_body_limit},
      {"header_timeout_ms", s.header_timeout.count()},
      {"body_timeout_ms", s.body_timeout.count()},
      {"idle_timeout_ms", s.idle_timeout.count()},
      {"write_timeout_ms", s.write_timeout.count()},
      {"linger_bytes", s.linger_bytes},
      {"linger_timeout_ms", s.linger_timeout.count()},
      {"max_connections", s.max_connections},
      {"blocking_threads", s.blocking_threads},
      {"blocking_queue", s.blocking_queue},
      {"shutdown_grace_ms", s.shutdown_grace.count()},
      {"access_log", s.access_log},
      {"open_health", s.open_health},
      {"open_metrics", s.open_metrics},
      {"media_url_secret", s.media_url_secret.empty() ? "generated" : "set"},
      {"media_url_ttl", s.media_url_ttl.count()},
      {"cors_origins", s.cors_origins},
      {"analyzer_interval_ms", c.analyzer.interval.count()},
      {"alert_rules", c.analyzer.alert_rules},
      {"cache_size", c.cache.max_entries},
      {"cache_max_bytes", c.cache.max_bytes},
      {"cache_ttl", c.cache.ttl.count()},
      {"cache_warmup_file", c.cache.warmup_file},
      {"rate_limit_per_minute", plain_number(c.rate_limit.per_minute)},
      {"rate_limit_burst", plain_number(c.rate_limit.burst)},
      {"rate_limit_per_ip_per_minute", plain_number(c.rate_limit.per_ip_per_minute)},
      {"trusted_proxies", c.rate_limit.trusted_proxies},
      {"compression", s.compression},
      {"compression_min_bytes", s.compression_min_bytes},
      {"prefetch_interval", c.cache.prefetch_interval.count()},
      {"prefetch_top", c.cache.prefetch_top},
      {"redis", c.redis.url.empty() ? "off" : "on"},
      {"redis_timeout_ms", c.redis.timeout.count()},
      {"redis_pool_size", c.redis.pool_size},
      {"redis_retry_ms", c.redis.retry.count()},
      {"redis_cache_ttl", c.redis.ttl.count()},
      {"redis_compress_min_bytes", c.redis.compress_min_bytes},
      {"job_workers", c.video.workers},
      {"video_max_active_per_key", c.video.max_active_per_key},
      {"video_daily_quota", c.video.daily_quota},
      {"video_retention_hours", c.video.retention.count()},
      {"job_lease_ms", c.video.lease.count()},
      {"job_max_attempts", c.video.max_attempts},
      {"webhook_secret", c.webhooks.secret.empty() ? "generated" : "set"},
      {"webhook_allow_private", c.webhooks.allow_private},
      {"webhook_max_attempts", c.webhooks.max_attempts},
      {"webhook_backoff_ms", c.webhooks.backoff.count()},
      {"webhook_timeout_ms", c.webhooks.timeout.count()},
      {"webhook_concurrency", c.webhooks.concurrency},
      {"data_dir", c.data_dir},
      {"database", c.database.url.empty() ? "sqlite" : "postgres"},
      {"database_pool_size", c.database.pool_size},
      {"database_statement_timeout_ms", c.database.statement_timeout.count()},
      {"migrate_on_start", c.database.migrate_on_start},
      {"instance_id", c.instance_id},
      {"log_level", c.log_level},
      {"llm", describe(c.llm)},
  };
}

}  // namespace reelgen::core
