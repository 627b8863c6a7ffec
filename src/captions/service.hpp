#pragma once
// The caption service: normalized request → cache (with single-flight on misses) → provider.
// It caches the rendered response body fragment, so a hit is a lookup and a copy.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "cache/cache.hpp"
#include "cache/l1_cache.hpp"
#include "cache/single_flight.hpp"
#include "captions/caption.hpp"
#include "captions/provider.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "monitor/metrics.hpp"

namespace reelgen::captions {

struct ServiceMetrics {
  monitor::LatencyHistogram engine_time;  // provider time per request (misses only)
  std::atomic<std::uint64_t> generated{0};
  std::atomic<std::uint64_t> failures{0};
};

struct Generated {
  std::string fragment;  // the rendered result, shared by every request with the same key
  bool cache_hit = false;
  std::string provider = "builtin";  // who wrote it: "builtin" or "llm:<model>"
  bool fallback = false;             // the model failed and the builtin engine wrote it
};

// Turns a result into the cached JSON fragment (written by the API layer, which owns the wire
// format).
using Renderer = std::function<std::string(const CaptionRequest&, const CaptionResult&)>;

class Service {
 public:
  // cache holds results under their normalized keys (L1, or L1 in front of the shared L2); memo
  // holds results under the bytes of request bodies, in this process only. A fallback answer
  // (the model failed) stays cached only fallback_ttl, so a recovered model answers again soon.
  Service(const Provider& provider, cache::Cache& cache, cache::L1Cache& memo, Renderer render,
          std::chrono::seconds fallback_ttl = std::chrono::seconds(60));
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Thread-safe.
  core::Result<Generated> generate(const CaptionRequest& request);
  // Writes request's caption again and replaces the cached one (a prefetch before it expires).
  core::Result<void> refresh(const CaptionRequest& request);

  // Fast path for repeated identical request bodies: a body's bytes determine the normalized
  // request, so the fragment can be cached under the bytes themselves and served without parsing.
  bool find_by_body(std::string_view body, Generated& out);
  void remember_body(std::string_view body, const Generated& generated);
  // Whether find_by_body would answer body now (a peek that counts nothing).
  bool knows_body(std::string_view body) const;
  static constexpr std::size_t kMaxBodyKey = 4096;

  // Every field that changes the output and who writes it (route: "builtin" or
  // "llm:<model>"), length-prefixed so no two requests share a key.
  static std::string cache_key(const CaptionRequest& request, std::string_view route);
  // The version of the cache key and entry format, first in every key; a change that alters
  // what a request produces raises it, so a new deploy never serves the old captions.
  static constexpr std::string_view kKeySchema = "v4";

  std::string_view provider_name() const { return provider_.name(); }
  const Provider& provider() const { return provider_; }
  const ServiceMetrics& metrics() const { return metrics_; }

 private:
  const Provider& provider_;
  core::Result<std::string> write(const CaptionRequest& request, std::uint64_t hash,
                                  std::string_view key);

  cache::Cache& cache_;
  cache::L1Cache& memo_;
  cache::SingleFlight flights_;
  Renderer render_;
  std::chrono::seconds fallback_ttl_;
  ServiceMetrics metrics_;
};

}  // namespace reelgen::captions
