#pragma once
// The effective configuration: embedded defaults, overridden by environment variables, overridden
// by command-line flags (in app/). Every limit is a named value with its default documented here
// and in docs/operations.md.

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace reelgen::core {

using Millis = std::chrono::milliseconds;

struct ServerConfig {
  std::string host = "127.0.0.1";            // HOST
  std::uint16_t port = 8140;                 // PORT (0 = pick a free port)
  int threads = 0;                           // REELGEN_THREADS; 0 = one I/O thread per core
  std::size_t header_limit = 16 * 1024;      // HEADER_LIMIT bytes; larger header blocks get 431
  std::size_t body_limit = 1 << 20;          // BODY_LIMIT bytes; larger bodies get 413
  std::size_t upload_body_limit = 20 << 20;  // UPLOAD_LIMIT bytes, under upload_path_prefix
  std::string upload_path_prefix = "/api/v1/uploads";
  Millis header_timeout{10'000};  // HEADER_TIMEOUT_MS: time to send a whole header block
  Millis body_timeout{30'000};    // BODY_TIMEOUT_MS: time to send the body
  Millis idle_timeout{60'000};    // IDLE_TIMEOUT_MS: keep-alive wait for the next request
  Millis write_timeout{30'000};   // WRITE_TIMEOUT_MS: time for the client to read a response
  // After an error answer (413, 501, 400 for a bad coding), what the client still sends is read
  // and discarded, at most LINGER_BYTES for LINGER_TIMEOUT_MS, before the connection is closed.
  std::size_t linger_bytes = 64ull << 20;
  Millis linger_timeout{5'000};
  std::size_t max_connections = 10'000;  // MAX_CONNECTIONS; beyond it new connections get 503
  // BLOCKING_THREADS: threads for handlers that touch the store, the disk or child processes;
  // the I/O threads hand such requests over and await them.
  int blocking_threads = 16;
  // BLOCKING_QUEUE: requests that may wait for a blocking thread; beyond it, 503 + Retry-After.
  std::size_t blocking_queue = 256;
  Millis shutdown_grace{10'000};  // SHUTDOWN_GRACE_MS: in-flight requests finish within it
  bool access_log = true;         // ACCESS_LOG: one JSON line per request
  bool open_health = true;        // OPEN_HEALTH: /health* without a key
  bool open_metrics = true;       // OPEN_METRICS: /metrics and GET /performance/* without a key
  // COMPRESSION: answer Accept-Encoding (zstd, br, gzip) for bodies of at least
  // COMPRESSION_MIN_BYTES.
  bool compression = true;
  std::size_t compression_min_bytes = 1024;
  // MEDIA_URL_SECRET: the HMAC key of signed media URLs; empty: generated once into DATA_DIR
  // (or the database with PostgreSQL), so replicas sharing either agree.
  std::string media_url_secret;
  std::chrono::seconds media_url_ttl{900};  // MEDIA_URL_TTL seconds: life of a signed media URL
  // CORS_ORIGINS: comma-separated origins (https://studio.example.com) a browser may call the
  // API from; "*" answers any origin, on the routes open without a key only. Empty: no CORS.
  std::string cors_origins;
};

struct AnalyzerSettings {
  Millis interval{5'000};   // ANALYZER_INTERVAL_MS: how often the analyzer samples the server
  std::string alert_rules;  // ALERT_RULES: overrides of the alert rules' defaults
};

struct CacheConfig {
  std::size_t max_entries = 100'000;    // CACHE_SIZE
  std::size_t max_bytes = 64ull << 20;  // CACHE_MAX_BYTES
  std::chrono::seconds ttl{3600};       // CACHE_TTL seconds
  std::string warmup_file;              // CACHE_WARMUP_FILE: JSON lines of popular requests
  // PREFETCH_INTERVAL: seconds between rewrites of the most requested captions of the last hour
  // before they expire (with Redis); 0 turns prefetching off.
  std::chrono::seconds prefetch_interval{60};
  std::size_t prefetch_top = 50;  // PREFETCH_TOP: how many of the most requested
};

// The shared L2 cache and rate limits. No URL: L1 and in-process buckets only.
struct RedisConfig {
  std::string url;                  // REDIS_URL: redis://[user:pass@]host[:port][/db]
  Millis timeout{200};              // REDIS_TIMEOUT_MS: connect, and every command
  int pool_size = 16;               // REDIS_POOL_SIZE: connections per process
  Millis retry{1000};               // REDIS_RETRY_MS: after a failure, no new connect this long
  std::chrono::seconds ttl{86400};  // REDIS_CACHE_TTL seconds: life of a caption in L2
  std::size_t compress_min_bytes = 256;  // REDIS_COMPRESS_MIN_BYTES: smaller values stay raw
};

struct RateLimitConfig {
  double per_minute = 6000;  // RATE_LIMIT_PER_MINUTE: sustained rate of a key without its own
  double burst = 200;        // RATE_LIMIT_BURST: bucket size (a batch of N items takes N tokens)
  // RATE_LIMIT_PER_IP_PER_MINUTE: each client address's rate on routes that need no key (the
  // probes /health/live and /health/ready excepted); 0 = off.
  double per_ip_per_minute = 0;
  // TRUSTED_PROXIES: comma-separated addresses or CIDR blocks whose X-Forwarded-For is believed.
  std::string trusted_proxies;
};

struct VideoConfig {
  int workers = 1;                    // JOB_WORKERS: renders at once (each uses every core)
  int max_active_per_key = 5;         // VIDEO_MAX_ACTIVE_PER_KEY: queued + processing
  int daily_quota = 500;              // VIDEO_DAILY_QUOTA: videos a key may submit per 24 h
  std::chrono::hours retention{168};  // VIDEO_RETENTION_HOURS: files of older jobs are deleted
  Millis lease{30'000};               // JOB_LEASE_MS: a dead worker's job is retaken after this
  int max_attempts = 3;               // JOB_MAX_ATTEMPTS
  // HEALTH_PORT (`worker --health-port`): where a worker process serves /health* and /metrics;
  // 0 serves nothing.
  std::uint16_t health_port = 0;
};

struct WebhookSettings {
  std::string secret;          // WEBHOOK_SECRET; empty: generated once into DATA_DIR
  bool allow_private = false;  // WEBHOOK_ALLOW_PRIVATE: deliver to loopback/private addresses
  int max_attempts = 6;        // WEBHOOK_MAX_ATTEMPTS
  Millis backoff{5'000};       // WEBHOOK_BACKOFF_MS: first retry delay, doubling
  Millis timeout{10'000};      // WEBHOOK_TIMEOUT_MS: one delivery: connect, send, response
  int concurrency = 4;         // WEBHOOK_CONCURRENCY: deliveries in flight at once
};

// Captions from a language model behind an OpenAI-compatible server, guarded by the builtin
// engine (which answers whenever the model fails, is slow, or is switched off).
struct LlmConfig {
  std::string provider = "builtin";  // CAPTION_PROVIDER: builtin | llm (the default for requests)
  std::string base_url;              // LLM_BASE_URL, e.g. http://127.0.0.1:8000/v1
  std::string model;                 // LLM_MODEL; empty: no model, "provider": "llm" gets 422
  std::string api_key;               // LLM_API_KEY (optional; never logged or shown)
  std::string ca_file;               // LLM_CA_FILE: PEM CAs for https; empty = system store
  Millis timeout{8'000};             // LLM_TIMEOUT_MS: one model call, connect to last byte
  int max_concurrency = 8;           // LLM_MAX_CONCURRENCY: model calls in flight at once
  std::size_t queue = 64;            // LLM_QUEUE: calls waiting for a slot; beyond it, fallback
  double temperature = 0.7;          // LLM_TEMPERATURE
  int breaker_failures = 5;          // LLM_BREAKER_FAILURES: consecutive failures that open it
  Millis breaker_cooldown{30'000};   // LLM_BREAKER_COOLDOWN_MS: open time before one trial call
  std::string dialect = "auto";      // LLM_DIALECT: auto | openai | vllm | llamacpp | ollama
  std::chrono::seconds fallback_ttl{60};  // LLM_FALLBACK_TTL seconds: cache life of a fallback
  bool stream = false;                    // LLM_STREAM: ask for server-sent events

  bool configured() const { return !model.empty() && !base_url.empty(); }
};

struct DatabaseConfig {
  // DATABASE_URL (or --database-url): a libpq URL (postgres://…) selects PostgreSQL; empty keeps
  // the SQLite file in DATA_DIR.
  std::string url;
  int pool_size = 8;                // DATABASE_POOL_SIZE: connections per process
  Millis statement_timeout{5'000};  // DATABASE_STATEMENT_TIMEOUT_MS: every query's limit
  Millis connect_timeout{3'000};    // DATABASE_CONNECT_TIMEOUT_MS
  // MIGRATE_ON_START: apply pending migrations when a process opens the store; when false,
  // `reelgen migrate` does, and a process finding the schema behind refuses to start.
  bool migrate_on_start = true;
};

struct Config {
  ServerConfig server;
  LlmConfig llm;
  DatabaseConfig database;
  WebhookSettings webhooks;
  CacheConfig cache;
  RedisConfig redis;
  RateLimitConfig rate_limit;
  VideoConfig video;
  AnalyzerSettings analyzer;
  std::string data_dir = "./var";  // DATA_DIR: SQLite database and generated files
  // INSTANCE_ID: this process's stable name in job leases (e.g. the pod name). Empty: one kept
  // in DATA_DIR/instances/, the first not held by a running process.
  std::string instance_id;
  std::string log_level = "info";  // LOG_LEVEL: debug | info | warn | error | off
};

// Looks up an environment variable; injected so tests do not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const char*)>;
EnvLookup process_env();

// Applies environment variables over the defaults. A malformed value is an error naming it.
Result<Config> load_config(const EnvLookup& env);

// The effective configuration as JSON for the start-up log (holds no secrets).
boost::json::object describe(const Config& config);

// The model settings without the API key (for /api/v14/info and the start-up log).
boost::json::object describe(const LlmConfig& llm);
Result<void> validate_llm(const LlmConfig& llm);

// Checks cross-field rules (e.g. limits > 0) after flags are applied.
Result<void> validate(const Config& config);

}  // namespace reelgen::core
