// reelgen: serve the API, manage keys, and write captions offline.

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "api/app.hpp"
#include "api/caption_dto.hpp"
#include "app/commands.hpp"
#include "captions/provider.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "http/server.hpp"
#include "store/store.hpp"

namespace {

using namespace reelgen;

int fail(const core::Error& error) {
  std::fprintf(stderr, "reelgen: %s\n", error.message.c_str());
  for (const auto& f : error.fields) {
    std::fprintf(stderr, "  %s: %s (%s)\n", f.field.c_str(), f.message.c_str(), f.rule.c_str());
  }
  return error.code == core::ErrorCode::invalid_argument || error.code == core::ErrorCode::malformed
             ? 2
             : 1;
}

int serve(core::Config config) {
  if (auto v = core::validate(config); !v) return fail(v.error());
  core::LogLevel level{};
  core::parse_log_level(config.log_level, level);
  core::set_log_level(level);

  api::App app(config);
  if (auto r = app.open_store(); !r) return fail(r.error());
  auto created = app.store().keys().create_first_admin("default");
  if (!created) return fail(created.error());
  const std::string first_key = *created ? (*created)->secret : std::string();

  http::Server server(config.server, {[&app](http::Request& r) { return app.handle(r); },
                                      [&app](const http::Request& r) { return app.blocking(r); }});
  if (auto r = server.listen(); !r) return fail(r.error());
  app.attach(server.stats());
  config.server.port = server.port();
  config.server.threads = server.threads();
  core::log_info("starting", core::describe(config));

  app.start_workers();
  std::thread loader([&app, &server] {
    if (auto r = app.load_engine(); !r) {
      core::log_error("caption engine failed to load", {{"error", r.error().message}});
      server.stop();
    }
  });
  std::printf("reelgen listening on http://%s:%u\n", config.server.host.c_str(), server.port());
  if (!first_key.empty()) {
    std::printf("created an admin API key (shown once, stored hashed):\n%s\n", first_key.c_str());
  }
  std::fflush(stdout);
  server.run(true);
  loader.join();
  app.detach();
  core::log_info("stopped");
  return app.ready() ? 0 : 1;
}

// A process that only renders: it claims jobs from the shared store (PostgreSQL, or the SQLite
// file of a data dir on the same machine) and delivers their webhooks, until SIGINT or SIGTERM.
int worker(core::Config config) {
  if (auto v = core::validate(config); !v) return fail(v.error());
  core::LogLevel level{};
  core::parse_log_level(config.log_level, level);
  core::set_log_level(level);
  const bool serve_health = config.video.health_port != 0;
  // Without a health server, the signals are waited for here: blocked before any thread starts,
  // so that every thread inherits the mask and they reach sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  if (!serve_health) pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  api::App app(config);
  app.operations_only();
  if (auto r = app.open_store(); !r) return fail(r.error());
  core::log_info("starting worker", core::describe(config));
  if (!serve_health) {
    app.start_workers();
    std::printf("reelgen worker rendering with %d slots\n", config.video.workers);
    std::fflush(stdout);
    int received = 0;
    sigwait(&stop_signals, &received);
    core::log_info("stopping", {{"signal", received}});
    return 0;  // the App stops its workers: running jobs stay leased and are retaken
  }
  config.server.port = config.video.health_port;
  config.server.threads = 1;
  http::Server server(config.server, {[&app](http::Request& r) { return app.handle(r); },
                                      [&app](const http::Request& r) { return app.blocking(r); }});
  if (auto r = server.listen(); !r) return fail(r.error());
  app.attach(server.stats());
  app.start_workers();
  std::printf("reelgen worker rendering with %d slots, health on http://%s:%u\n",
              config.video.workers, config.server.host.c_str(), server.port());
  std::fflush(stdout);
  server.run(true);  // until SIGINT or SIGTERM
  app.detach();
  core::log_info("stopping");
  return 0;
}

core::Result<std::unique_ptr<store::Store>> open_store(const core::Config& config) {
  return store::open(config, core::SystemClock::instance());
}

void add_workers_option(CLI::App* cmd, core::Config& config) {
  cmd->add_option("--workers", config.video.workers,
                  "Videos this process renders at once; 0 renders none (env JOB_WORKERS)")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
}

void add_database_option(CLI::App* cmd, core::Config& config) {
  cmd->add_option("--database-url", config.database.url,
                  "PostgreSQL URL (postgres://...); empty keeps SQLite in the data dir "
                  "(env DATABASE_URL)");
}

int keys_create(const core::Config& config, const std::string& name, const std::string& scope_name,
                double rate_per_minute) {
  auto store = open_store(config);
  if (!store) return fail(store.error());
  const auto scope = store::parse_scope(scope_name);
  std::optional<double> rate;
  if (rate_per_minute >= 0) rate = rate_per_minute;
  auto created = (*store)->keys().create(name, *scope, rate);
  if (!created) return fail(created.error());
  std::printf("created key %s (%s, scope %s)\n%s\n", created->key.id.c_str(), name.c_str(),
              scope_name.c_str(), created->secret.c_str());
  return 0;
}

int keys_list(const core::Config& config) {
  auto store = open_store(config);
  if (!store) return fail(store.error());
  auto keys = (*store)->keys().list();
  if (!keys) return fail(keys.error());
  std::printf("%-20s %-24s %-6s %-12s %s\n", "ID", "NAME", "SCOPE", "RATE/MIN", "STATUS");
  for (const auto& k : *keys) {
    const std::string rate =
        k.rate_per_minute ? std::to_string(static_cast<long>(*k.rate_per_minute)) : "default";
    std::printf("%-20s %-24s %-6s %-12s %s\n", k.id.c_str(), k.name.c_str(),
                std::string(store::to_string(k.scope)).c_str(), rate.c_str(),
                k.active() ? "active" : "revoked");
  }
  return 0;
}

int keys_revoke(const core::Config& config, const std::string& id) {
  auto store = open_store(config);
  if (!store) return fail(store.error());
  if (auto r = (*store)->keys().revoke(id); !r) return fail(r.error());
  std::printf("revoked %s\n", id.c_str());
  return 0;
}

// The model settings as flags over the environment (LLM_API_KEY is read from the environment
// only, so it never shows in a process list).
struct LlmFlags {
  std::int64_t timeout_ms = -1, breaker_cooldown_ms = -1, fallback_ttl = -1;
  void add(CLI::App* cmd, core::LlmConfig& llm) {
    cmd->add_option("--caption-provider", llm.provider,
                    "Default caption provider: builtin or llm (env CAPTION_PROVIDER)");
    cmd->add_option("--llm-base-url", llm.base_url,
                    "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (env LLM_BASE_URL)");
    cmd->add_option("--llm-model", llm.model, "Model name (env LLM_MODEL)");
    cmd->add_option("--llm-dialect", llm.dialect,
                    "auto, openai, vllm, llamacpp or ollama (env LLM_DIALECT)");
    cmd->add_option("--llm-timeout-ms", timeout_ms, "One model call (env LLM_TIMEOUT_MS)");
    cmd->add_option("--llm-max-concurrency", llm.max_concurrency,
                    "Model calls in flight (env LLM_MAX_CONCURRENCY)");
    cmd->add_option("--llm-queue", llm.queue, "Calls waiting for a slot (env LLM_QUEUE)");
    cmd->add_option("--llm-temperature", llm.temperature,
                    "Sampling temperature (env LLM_TEMPERATURE)");
    cmd->add_option("--llm-breaker-failures", llm.breaker_failures,
                    "Consecutive failures that open the breaker (env LLM_BREAKER_FAILURES)");
    cmd->add_option("--llm-breaker-cooldown-ms", breaker_cooldown_ms,
                    "Open time before a trial call (env LLM_BREAKER_COOLDOWN_MS)");
    cmd->add_option("--llm-fallback-ttl", fallback_ttl,
                    "Seconds a fallback answer stays cached (env LLM_FALLBACK_TTL)");
    cmd->add_flag("--llm-stream", llm.stream,
                  "Ask the model for server-sent events (env LLM_STREAM)");
  }
  void apply(core::LlmConfig& llm) const {
    if (timeout_ms >= 0) llm.timeout = core::Millis(timeout_ms);
    if (breaker_cooldown_ms >= 0) llm.breaker_cooldown = core::Millis(breaker_cooldown_ms);
    if (fallback_ttl >= 0) llm.fallback_ttl = std::chrono::seconds(fallback_ttl);
  }
};

int caption(const core::Config& config, const std::string& body_json, bool as_json) {
  auto request = api::parse_caption_request(body_json);
  if (!request) return fail(request.error());
  if (auto v = core::validate_llm(config.llm); !v) return fail(v.error());
  auto provider = captions::make_provider(config.llm, core::SystemClock::instance());
  if (!provider) return fail(provider.error());
  auto result = (*provider)->generate(*request);
  if (!result) return fail(result.error());
  if (result->fallback) {
    std::fprintf(stderr, "reelgen: the model failed; the builtin engine wrote this caption\n");
  }
  if (as_json) {
    std::printf("{%s}\n", api::render_caption_fragment(*request, *result).c_str());
    return 0;
  }
  auto print = [](const captions::Caption& c) {
    std::printf("%s\n", c.text.c_str());
    if (!c.hashtags.empty()) {
      std::string tags;
      for (const auto& h : c.hashtags) tags += (tags.empty() ? "" : " ") + h;
      std::printf("\n%s\n", tags.c_str());
    }
  };
  print(result->caption);
  for (const auto& v : result->variants) {
    std::printf("\n---\n");
    print(v);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto env_config = core::load_config(core::process_env());
  if (!env_config) return fail(env_config.error());
  core::Config config = *env_config;

  CLI::App cli{"reelgen: Instagram captions and talking-avatar videos over HTTP"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("reelgen ") + REELGEN_VERSION);

  auto* serve_cmd = cli.add_subcommand("serve", "Start the HTTP API server");
  serve_cmd->add_option("--host", config.server.host, "Address to listen on (env HOST)")
      ->capture_default_str();
  serve_cmd->add_option("--port", config.server.port, "Port, 0 for any free port (env PORT)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--threads", config.server.threads,
                   "I/O threads, 0 = one per core (env REELGEN_THREADS)")
      ->capture_default_str();
  serve_cmd->add_option("--data-dir", config.data_dir, "Directory for the database (env DATA_DIR)")
      ->capture_default_str();
  add_database_option(serve_cmd, config);
  add_workers_option(serve_cmd, config);
  serve_cmd->add_option("--cache-warmup", config.cache.warmup_file,
                        "JSON lines of requests to pre-compute (env CACHE_WARMUP_FILE)");
  serve_cmd
      ->add_option("--log-level", config.log_level,
                   "debug, info, warn, error or off (env LOG_LEVEL)")
      ->capture_default_str();

  auto* worker_cmd = cli.add_subcommand("worker", "Render videos from the shared job queue");
  worker_cmd->add_option("--data-dir", config.data_dir, "Directory for videos (env DATA_DIR)")
      ->capture_default_str();
  add_database_option(worker_cmd, config);
  add_workers_option(worker_cmd, config);
  worker_cmd
      ->add_option("--health-port", config.video.health_port,
                   "Serve /health and /metrics on this port, 0 for none (env HEALTH_PORT)")
      ->capture_default_str();
  worker_cmd
      ->add_option("--log-level", config.log_level,
                   "debug, info, warn, error or off (env LOG_LEVEL)")
      ->capture_default_str();

  auto* keys_cmd = cli.add_subcommand("keys", "Manage API keys");
  keys_cmd->require_subcommand(1);
  std::string key_name, key_scope = "user", key_id;
  double key_rate = -1;
  auto* create_cmd =
      keys_cmd->add_subcommand("create", "Create a key; prints it once as the last line");
  create_cmd->add_option("--name", key_name, "A name for people")->required();
  create_cmd->add_option("--scope", key_scope, "user or admin")
      ->check(CLI::IsMember({"user", "admin"}))
      ->capture_default_str();
  create_cmd
      ->add_option("--rate-limit", key_rate, "Requests per minute for this key (0 = unlimited)")
      ->check(CLI::NonNegativeNumber);
  auto* list_cmd = keys_cmd->add_subcommand("list", "List keys (never their secrets)");
  auto* revoke_cmd = keys_cmd->add_subcommand("revoke", "Revoke a key by id");
  revoke_cmd->add_option("id", key_id, "Key id, as shown by 'keys list'")->required();
  for (auto* cmd : {create_cmd, list_cmd, revoke_cmd}) {
    cmd->add_option("--data-dir", config.data_dir, "Directory for the database (env DATA_DIR)")
        ->capture_default_str();
    add_database_option(cmd, config);
  }

  auto* caption_cmd = cli.add_subcommand("caption", "Write a caption offline, no server needed");
  std::string description, style = "casual", level = "balanced", content_type = "post",
                           language = "en";
  std::string audience, brand_voice, length = "medium", emoji = "auto";
  bool no_cta = false;
  bool generic_hashtags = false;
  std::vector<std::string> keywords;
  int hashtags = 15, variants = 1;
  std::int64_t seed = 0;
  bool as_json = false;
  caption_cmd->add_option("description", description, "What the post shows")->required();
  caption_cmd
      ->add_option("--style", style,
                   "casual, professional, inspirational, playful, educational, promotional, "
                   "luxury, storytelling, call_to_action")
      ->capture_default_str();
  caption_cmd->add_option("--hashtags", hashtags, "Number of hashtags, 0-30")
      ->capture_default_str();
  caption_cmd->add_option("--level", level, "ultra_fast, balanced or quality")
      ->capture_default_str();
  caption_cmd->add_option("--content-type", content_type, "post, story, reel or carousel")
      ->capture_default_str();
  caption_cmd->add_option("--language", language, "Language code")->capture_default_str();
  caption_cmd->add_option("--audience", audience, "Who the post is for");
  caption_cmd->add_option("--brand-voice", brand_voice, "Adjectives for the brand's voice");
  caption_cmd->add_option("--keyword", keywords, "A word that must appear (repeatable)");
  caption_cmd->add_option("--variants", variants, "Number of captions, 1-5")->capture_default_str();
  caption_cmd->add_option("--seed", seed, "Same seed, same caption")->capture_default_str();
  caption_cmd->add_option("--length", length, "short (<= 80 characters), medium or long")
      ->capture_default_str();
  caption_cmd->add_option("--emoji", emoji, "auto, none, few or many")->capture_default_str();
  caption_cmd->add_flag("--no-cta", no_cta, "Leave out the call to action");
  caption_cmd->add_flag("--generic-hashtags", generic_hashtags,
                        "Allow broad reach tags (#explore, #reels) after the relevant ones");
  caption_cmd->add_flag("--json", as_json, "Print the API's JSON instead of text");
  std::string caption_provider;
  caption_cmd
      ->add_option("--provider", caption_provider,
                   "builtin or llm (the configured model); default CAPTION_PROVIDER")
      ->check(CLI::IsMember({"builtin", "llm"}));
  LlmFlags serve_llm, caption_llm;
  serve_llm.add(serve_cmd, config.llm);
  caption_llm.add(caption_cmd, config.llm);

  auto* migrate_cmd = cli.add_subcommand("migrate", "Create or upgrade the database schema");
  migrate_cmd
      ->add_option("--data-dir", config.data_dir, "Directory for the database (env DATA_DIR)")
      ->capture_default_str();
  add_database_option(migrate_cmd, config);

  int exit_code = 0;
  add_video_commands(cli, exit_code);
  add_eval_command(cli, exit_code);
  add_score_command(cli, exit_code);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); its own codes (105, 106, ...) are not ours: a bad
    // command line is invalid input, 2, as the README says.
    return cli.exit(e) == 0 ? 0 : 2;
  }

  serve_llm.apply(config.llm);
  caption_llm.apply(config.llm);
  if (serve_cmd->parsed()) return serve(config);
  if (worker_cmd->parsed()) return worker(config);
  if (create_cmd->parsed()) return keys_create(config, key_name, key_scope, key_rate);
  if (list_cmd->parsed()) return keys_list(config);
  if (revoke_cmd->parsed()) return keys_revoke(config, key_id);
  if (migrate_cmd->parsed()) {
    config.database.migrate_on_start = true;  // migrating is this command's whole point
    auto store = open_store(config);
    if (!store) return fail(store.error());
    std::printf("database schema is up to date in %s\n",
                config.database.url.empty() ? config.data_dir.c_str() : "PostgreSQL");
    return 0;
  }
  if (caption_cmd->parsed()) {
    boost::json::array kw;
    for (const auto& k : keywords) kw.emplace_back(k);
    boost::json::object body{{"content_description", description},
                             {"style", style},
                             {"hashtag_count", hashtags},
                             {"optimization_level", level},
                             {"content_type", content_type},
                             {"language", language},
                             {"variants", variants},
                             {"seed", seed},
                             {"keywords", std::move(kw)},
                             {"length", length},
                             {"emoji", emoji},
                             {"cta", !no_cta},
                             {"generic_hashtags", generic_hashtags}};
    if (!audience.empty()) body["audience"] = audience;
    if (!brand_voice.empty()) body["brand_voice"] = brand_voice;
    if (!caption_provider.empty()) body["provider"] = caption_provider;
    return caption(config, boost::json::serialize(body), as_json);
  }
  return exit_code;
}
