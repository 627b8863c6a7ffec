#pragma once
// What the model provider counts, with stable Prometheus names (rendered by api/).

#include <atomic>
#include <cstdint>

#include "monitor/metrics.hpp"

namespace reelgen::captions::llm {

struct LlmMetrics {
  monitor::LatencyHistogram latency;            // reelgen_llm_call_seconds: one model call
  std::atomic<std::uint64_t> calls{0};          // reelgen_llm_calls_total
  std::atomic<std::uint64_t> failures{0};       // reelgen_llm_failures_total: network, 5xx, 429
  std::atomic<std::uint64_t> timeouts{0};       // reelgen_llm_timeouts_total
  std::atomic<std::uint64_t> invalid{0};        // reelgen_llm_invalid_answers_total
  std::atomic<std::uint64_t> repairs{0};        // reelgen_llm_repairs_total: retried with findings
  std::atomic<std::uint64_t> fallbacks{0};      // reelgen_llm_fallbacks_total
  std::atomic<std::uint64_t> queue_full{0};     // reelgen_llm_queue_full_total
  std::atomic<std::uint64_t> breaker_open{0};   // reelgen_llm_breaker_rejections_total
  std::atomic<std::uint64_t> tokens_in{0};      // reelgen_llm_tokens_total{direction="in"}
  std::atomic<std::uint64_t> tokens_out{0};     // reelgen_llm_tokens_total{direction="out"}
  std::atomic<std::int64_t> in_flight{0};       // reelgen_llm_in_flight
  std::atomic<std::int64_t> queued{0};          // reelgen_llm_queue_depth
  std::atomic<std::int64_t> peak_in_flight{0};  // the most calls in flight at once
  std::atomic<int> breaker_state{0};  // reelgen_llm_breaker_state: 0 closed, 1 open, 2 half
};

}  // namespace reelgen::captions::llm
