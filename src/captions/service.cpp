#include "captions/service.hpp"

#include "core/hash.hpp"

namespace reelgen::captions {
namespace {

void append_field(std::string& key, std::string_view value) {
  key += std::to_string(value.size());
  key += ':';
  key += value;
}

}  // namespace

Service::Service(const Provider& provider, cache::L1Cache& cache, Renderer render)
    : provider_(provider), cache_(cache), render_(std::move(render)) {}

std::string Service::cache_key(const CaptionRequest& r) {
  std::string key;
  key.reserve(r.content_description.size() + 96);
  append_field(key, "v3");  // v3: post analysis (intent, facts), plans, generic hashtags
  append_field(key, r.content_description);
  append_field(key, name_of(r.style, kStyleNames));
  append_field(key, std::to_string(r.hashtag_count));
  append_field(key, name_of(r.optimization_level, kOptimizationLevelNames));
  append_field(key, r.language);
  append_field(key, r.audience);
  append_field(key, name_of(r.content_type, kContentTypeNames));
  append_field(key, std::to_string(r.keywords.size()));
  for (const auto& k : r.keywords) append_field(key, k);
  append_field(key, r.brand_voice);
  append_field(key, std::to_string(r.variants));
  append_field(key, std::to_string(r.seed));
  append_field(key, name_of(r.length, kLengthNames));
  append_field(key, name_of(r.emoji, kEmojiDensityNames));
  append_field(key, r.cta ? "cta" : "no-cta");
  append_field(key, r.generic_hashtags ? "generic" : "relevant");
  return key;
}

namespace {
std::string body_key(std::string_view body) {
  std::string key = "body1:";
  key += body;
  return key;
}
}  // namespace

bool Service::find_by_body(std::string_view body, Generated& out) {
  if (body.size() > kMaxBodyKey) return false;
  const std::string key = body_key(body);
  if (!cache_.get(core::fast_hash(key), key, out.fragment, /*count_miss=*/false)) return false;
  out.cache_hit = true;
  return true;
}

void Service::remember_body(std::string_view body, std::string fragment) {
  if (body.size() > kMaxBodyKey) return;
  const std::string key = body_key(body);
  cache_.put(core::fast_hash(key), key, std::move(fragment));
}

core::Result<Generated> Service::generate(const CaptionRequest& request) {
  const std::string key = cache_key(request);
  const std::uint64_t hash = core::fast_hash(key);
  Generated out;
  if (cache_.get(hash, key, out.fragment)) {
    out.cache_hit = true;
    return out;
  }
  bool shared = false;
  auto fragment = flights_.run(
      hash, key,
      [&]() -> core::Result<std::string> {
        const auto start = std::chrono::steady_clock::now();
        auto result = provider_.generate(request);
        metrics_.engine_time.record(std::chrono::steady_clock::now() - start);
        if (!result) {
          metrics_.failures.fetch_add(1, std::memory_order_relaxed);
          return std::unexpected(result.error());
        }
        metrics_.generated.fetch_add(1, std::memory_order_relaxed);
        std::string rendered = render_(request, *result);
        cache_.put(hash, key, rendered);
        return rendered;
      },
      &shared);
  if (!fragment) return std::unexpected(fragment.error());
  out.fragment = std::move(*fragment);
  out.cache_hit = shared;
  return out;
}

}  // namespace reelgen::captions
