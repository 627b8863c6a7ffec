#pragma once
// Request counts and latencies by route and status, plus the whole-server view that
// /performance/status reports. Routes are registered before serving; recording is lock-free.

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "monitor/metrics.hpp"

namespace reelgen::monitor {

class HttpMetrics {
 public:
  HttpMetrics(const std::vector<std::string>& routes, const core::Clock& clock);

  // route is a registered pattern; anything else counts as "unmatched".
  void record(std::string_view route, int status, std::chrono::nanoseconds duration);
  void begin_request() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void end_request() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  std::uint64_t requests() const { return overall_.count(); }
  std::uint64_t server_errors() const { return server_errors_.load(std::memory_order_relaxed); }
  std::uint64_t client_errors() const { return client_errors_.load(std::memory_order_relaxed); }
  const LatencyHistogram& overall() const { return overall_; }
  double rps_last_minute() const { return window_.per_second_last_minute(); }

  void render(Exposition& out) const;

 private:
  struct RouteStats {
    std::string route;
    std::array<std::atomic<std::uint64_t>, 500> by_status{};  // index = status - 100
    LatencyHistogram latency;
  };
  RouteStats& stats_for(std::string_view route);

  std::vector<std::unique_ptr<RouteStats>> routes_;  // last one is "unmatched"
  std::unordered_map<std::string_view, RouteStats*> index_;
  LatencyHistogram overall_;
  RateWindow window_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::uint64_t> server_errors_{0};
  std::atomic<std::uint64_t> client_errors_{0};
};

}  // namespace reelgen::monitor
