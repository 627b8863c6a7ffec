#pragma once
// A Store that times every call of the store it wraps, by operation, for /metrics
// (reelgen_store_call_seconds{backend, op}), and counts the calls that returned an error.

#include <array>
#include <atomic>
#include <memory>
#include <string_view>

#include "monitor/metrics.hpp"
#include "store/store.hpp"

namespace reelgen::store {

struct StoreMetrics {
  static constexpr std::array<std::string_view, 27> kOps{
      "keys.create",
      "keys.find_by_hash",
      "keys.list",
      "keys.revoke",
      "keys.count_active",
      "keys.create_first_admin",
      "jobs.create",
      "jobs.find_by_idempotency_key",
      "jobs.get",
      "jobs.list",
      "jobs.claim",
      "jobs.heartbeat",
      "jobs.complete",
      "jobs.retry_later",
      "jobs.fail",
      "jobs.cancel",
      "jobs.remove",
      "jobs.mark_cancelled",
      "jobs.release_leases",
      "jobs.expire_before",
      "jobs.due_webhooks",
      "jobs.record_webhook",
      "jobs.count_active",
      "jobs.count_created_since",
      "jobs.count_with_status",
      "ping",
      "setting",
  };
  std::array<monitor::LatencyHistogram, kOps.size()> latency;
  std::array<std::atomic<std::uint64_t>, kOps.size()> errors{};
};

// Wraps inner: every call goes through to it, timed by clock into metrics (which must outlive
// the returned store).
std::unique_ptr<Store> metered(std::unique_ptr<Store> inner, StoreMetrics& metrics,
                               const core::Clock& clock);

}  // namespace reelgen::store
