// POST /api/v14/generate, POST /api/v14/batch, GET /api/v14/info.

#include <boost/json.hpp>

#include "api/caption_dto.hpp"
#include "api/services.hpp"
#include "core/hash.hpp"
#include "core/json.hpp"
#include "http/problem.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;

double elapsed_ms(const http::Context& ctx) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ctx.started)
      .count();
}

ResponseOrigin origin_of(const captions::Generated& g) {
  return {g.cache_hit, g.provider, g.fallback};
}

http::Response engine_unavailable(const http::Context& ctx) {
  return problem(ctx,
                 core::Error::make(ErrorCode::unavailable, "the caption engine is still loading"));
}

http::Response generate(Services& s, http::Request& req, http::Context& ctx) {
  if (!s.engine_ready.load()) return engine_unavailable(ctx);
  captions::Generated generated;
  if (!s.captions->find_by_body(req.body, generated)) {
    auto request = parse_caption_request(req.body);
    if (!request) return problem(ctx, request.error());
    auto fresh = s.captions->generate(*request);
    if (!fresh) return problem(ctx, fresh.error());
    generated = std::move(*fresh);
    s.captions->remember_body(req.body, generated);
  }
  if (s.prefetcher) s.prefetcher->record(req.body);
  return http::json_response(200, render_caption_response(ctx.request_id, generated.fragment,
                                                          elapsed_ms(ctx), origin_of(generated)));
}

struct BatchItem {
  std::optional<captions::CaptionRequest> request;
  core::Result<captions::Generated> outcome = core::fail(ErrorCode::internal, "not run");
  std::vector<core::FieldError> errors;
};

boost::json::object item_problem(const core::Error& error, const std::string& id) {
  return boost::json::parse(http::problem_response(error, id).body).as_object();
}

http::Response batch(Services& s, http::Request& req, http::Context& ctx) {
  if (!s.engine_ready.load()) return engine_unavailable(ctx);
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  std::vector<core::FieldError> errors;
  core::ObjectReader in(*fields, "", errors);
  const boost::json::array* requests = in.array("requests", 1, kMaxBatchItems);
  in.reject_unknown();
  if (!errors.empty()) return problem(ctx, core::Error::invalid_fields(std::move(errors)));
  // The request itself took one token; the other items take theirs now.
  if (requests->size() > 1 && !ctx.key_id.empty()) {
    const auto d = s.limiter.take(ctx.key_id, static_cast<double>(requests->size() - 1),
                                  ctx.key_rate_per_minute);
    if (!d.allowed) {
      return rate_limited(ctx, d,
                          "rate limit exceeded: a batch of " + std::to_string(requests->size()) +
                              " items needs as many tokens");
    }
  }

  std::vector<BatchItem> items(requests->size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& value = (*requests)[i];
    const std::string prefix = "requests[" + std::to_string(i) + "]";
    if (!value.is_object()) {
      items[i].errors.push_back({prefix, "type", "must be an object"});
      continue;
    }
    items[i].request = read_caption_request(value.get_object(), prefix, items[i].errors);
  }
  s.pool.parallel_for(items.size(), [&](std::size_t i) {
    if (items[i].request) items[i].outcome = s.captions->generate(*items[i].request);
  });

  const std::string batch_id = ctx.request_id;
  std::string results = "[";
  std::size_t ok = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) results += ",";
    const std::string item_id = batch_id + "-" + std::to_string(i);
    auto& item = items[i];
    if (item.request && item.outcome) {
      ++ok;
      results += "{\"index\":" + std::to_string(i) + ",\"status\":200,\"result\":";
      results += render_caption_response(item_id, item.outcome->fragment, elapsed_ms(ctx),
                                         origin_of(*item.outcome));
      results += "}";
      continue;
    }
    const core::Error error =
        item.request ? item.outcome.error() : core::Error::invalid_fields(item.errors);
    boost::json::object entry{{"index", i},
                              {"status", http::status_of(error.code)},
                              {"problem", item_problem(error, item_id)}};
    results += core::to_json(entry);
  }
  results += "]";
  char head[256];
  std::snprintf(head, sizeof head,
                "{\"batch_id\":\"%s\",\"total_requests\":%zu,\"successful_requests\":%zu,"
                "\"failed_requests\":%zu,\"processing_time\":%.4f,\"results\":",
                batch_id.c_str(), items.size(), ok, items.size() - ok, elapsed_ms(ctx));
  return http::json_response(200, std::string(head) + results + "}");
}

http::Response info(Services& s, http::Request&, http::Context&) {
  boost::json::array styles, levels, types, languages, niches, intents;
  for (auto n : captions::kStyleNames) styles.emplace_back(n);
  for (auto n : captions::kNicheNames) niches.emplace_back(n);
  for (auto n : captions::kIntentNames) intents.emplace_back(n);
  for (auto n : captions::kOptimizationLevelNames) levels.emplace_back(n);
  for (auto n : captions::kContentTypeNames) types.emplace_back(n);
  for (auto n : captions::kLanguages) languages.emplace_back(n);
  boost::json::object limits{
      {"content_description_chars", {{"min", 5}, {"max", 2000}}},
      {"hashtag_count", {{"min", 0}, {"max", captions::kMaxHashtags}, {"default", 15}}},
      {"keywords_max", 20},
      {"variants", {{"min", 1}, {"max", 5}}},
      {"batch_max_requests", kMaxBatchItems},
      {"caption_max_chars", captions::kMaxCaptionChars},
      {"body_max_bytes", s.config.server.body_limit},
      {"rate_limit_per_minute", s.config.rate_limit.per_minute},
      {"rate_limit_burst", s.config.rate_limit.burst},
  };
  boost::json::object doc{
      {"name", "reelgen"},
      {"api_version", kCaptionApiVersion},
      {"styles", std::move(styles)},
      {"optimization_levels", std::move(levels)},
      {"content_types", std::move(types)},
      {"languages", std::move(languages)},
      {"niches", std::move(niches)},
      {"fallback_niche", captions::kFallbackNiche},
      {"intents", std::move(intents)},
      {"limits", std::move(limits)},
      {"providers", s.config.llm.configured() ? boost::json::array{"builtin", "llm"}
                                              : boost::json::array{"builtin"}},
      {"default_provider", s.config.llm.provider},
      {"llm", core::describe(s.config.llm)},
      {"notes",
       {{"hashtags",
         "Instagram accepts up to 30 hashtags, but has been reported to use at most 5 per post "
         "for discovery since late 2025; hashtag_count stays your choice (0-30, default 15). "
         "It is an upper bound: only relevant tags are returned, never padded, so fewer come "
         "back when fewer fit; generic_hashtags: true adds broad reach tags after them."},
        {"facts",
         "Prices, dates, times, places, names, quantities and lists of the description are kept "
         "verbatim; a short caption keeps the most important ones and lists the others in "
         "facts_omitted."}}},
  };
  return json(200, doc);
}

}  // namespace

void add_caption_routes(http::Router& router, Services& s) {
  // A model call and a Redis lookup wait on the network: with a model or Redis configured, a
  // batch runs on the blocking pool, and so does a generate request unless its body is a cache
  // hit in this process (App::blocking).
  const bool waits = s.config.llm.configured() || s.redis;
  router.add("POST", "/api/v14/generate", bind_handler<generate>(s), http::Dispatch::io_thread);
  router.add("POST", "/api/v14/batch", bind_handler<batch>(s),
             waits ? http::Dispatch::blocking : http::Dispatch::io_thread);
  router.add("GET", "/api/v14/info", bind_handler<info>(s), http::Dispatch::io_thread);
}

}  // namespace reelgen::api
