#include "captions/service.hpp"

#include "core/hash.hpp"

namespace reelgen::captions {
namespace {

void append_field(std::string& key, std::string_view value) {
  key += std::to_string(value.size());
  key += ':';
  key += value;
}

// A cache entry: who wrote it, whether it is a fallback, then the fragment.
constexpr char kEntrySeparator = '\x1f';

std::string encode_entry(const Generated& g) {
  std::string entry;
  entry.reserve(g.provider.size() + 2 + g.fragment.size());
  entry += g.provider;
  entry += kEntrySeparator;
  entry += g.fallback ? '1' : '0';
  entry += g.fragment;
  return entry;
}

bool decode_entry(std::string_view entry, Generated& out) {
  const auto sep = entry.find(kEntrySeparator);
  if (sep == std::string_view::npos || sep + 1 >= entry.size()) return false;
  out.provider.assign(entry.substr(0, sep));
  out.fallback = entry[sep + 1] == '1';
  out.fragment.assign(entry.substr(sep + 2));
  return true;
}

}  // namespace

Service::Service(const Provider& provider, cache::Cache& cache, cache::L1Cache& memo,
                 Renderer render, std::chrono::seconds fallback_ttl)
    : provider_(provider),
      cache_(cache),
      memo_(memo),
      render_(std::move(render)),
      fallback_ttl_(fallback_ttl) {}

std::string Service::cache_key(const CaptionRequest& r, std::string_view route) {
  std::string key;
  key.reserve(r.content_description.size() + 96);
  append_field(key, kKeySchema);  // v4: the provider and model that write the caption
  append_field(key, route);
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
  std::string entry;
  if (!memo_.get(core::fast_hash(key), key, entry, /*count_miss=*/false)) return false;
  if (!decode_entry(entry, out)) return false;
  out.cache_hit = true;
  return true;
}

bool Service::knows_body(std::string_view body) const {
  if (body.size() > kMaxBodyKey) return false;
  const std::string key = body_key(body);
  return memo_.contains(core::fast_hash(key), key);
}

void Service::remember_body(std::string_view body, const Generated& generated) {
  if (body.size() > kMaxBodyKey) return;
  const std::string key = body_key(body);
  memo_.put(core::fast_hash(key), key, encode_entry(generated),
            generated.fallback ? std::optional(fallback_ttl_) : std::nullopt);
}

core::Result<Generated> Service::generate(const CaptionRequest& request) {
  const std::string key = cache_key(request, provider_.route(request));
  const std::uint64_t hash = core::fast_hash(key);
  Generated out;
  std::string entry;
  if (cache_.get(hash, key, entry) && decode_entry(entry, out)) {
    out.cache_hit = true;
    return out;
  }
  bool shared = false;
  auto encoded = flights_.run(
      hash, key, [&] { return write(request, hash, key); }, &shared);
  if (!encoded) return std::unexpected(encoded.error());
  if (!decode_entry(*encoded, out)) return core::fail(core::ErrorCode::internal, "cache entry");
  out.cache_hit = shared;
  return out;
}

core::Result<void> Service::refresh(const CaptionRequest& request) {
  const std::string key = cache_key(request, provider_.route(request));
  auto written = write(request, core::fast_hash(key), key);
  if (!written) return std::unexpected(written.error());
  return {};
}

core::Result<std::string> Service::write(const CaptionRequest& request, std::uint64_t hash,
                                         std::string_view key) {
  const auto start = std::chrono::steady_clock::now();
  auto result = provider_.generate(request);
  metrics_.engine_time.record(std::chrono::steady_clock::now() - start);
  if (!result) {
    metrics_.failures.fetch_add(1, std::memory_order_relaxed);
    return std::unexpected(result.error());
  }
  metrics_.generated.fetch_add(1, std::memory_order_relaxed);
  Generated fresh{render_(request, *result), false, result->provider, result->fallback};
  std::string rendered = encode_entry(fresh);
  cache_.put(hash, key, rendered, fresh.fallback ? std::optional(fallback_ttl_) : std::nullopt);
  return rendered;
}

}  // namespace reelgen::captions
