#pragma once
// The caption service: normalized request → cache (with single-flight on misses) → provider.
// It caches the rendered response body fragment, so a hit is a lookup and a copy.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

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
};

// Turns a result into the cached JSON fragment (written by the API layer, which owns the wire
// format).
using Renderer = std::function<std::string(const CaptionRequest&, const CaptionResult&)>;

class Service {
 public:
  Service(const Provider& provider, cache::L1Cache& cache, Renderer render);
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Thread-safe.
  core::Result<Generated> generate(const CaptionRequest& request);

  // Fast path for repeated identical request bodies: a body's bytes determine the normalized
  // request, so the fragment can be cached under the bytes themselves and served without parsing.
  bool find_by_body(std::string_view body, Generated& out);
  void remember_body(std::string_view body, std::string fragment);
  static constexpr std::size_t kMaxBodyKey = 4096;

  // Every field that changes the output, length-prefixed so no two requests share a key.
  static std::string cache_key(const CaptionRequest& request);

  std::string_view provider_name() const { return provider_.name(); }
  const ServiceMetrics& metrics() const { return metrics_; }
  cache::L1Cache& cache() { return cache_; }

 private:
  const Provider& provider_;
  cache::L1Cache& cache_;
  cache::SingleFlight flights_;
  Renderer render_;
  ServiceMetrics metrics_;
};

}  // namespace reelgen::captions
