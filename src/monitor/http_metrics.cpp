#include "monitor/http_metrics.hpp"

namespace reelgen::monitor {

HttpMetrics::HttpMetrics(const std::vector<std::string>& routes, const core::Clock& clock)
    : window_(clock) {
  for (const auto& route : routes) {
    routes_.push_back(std::make_unique<RouteStats>());
    routes_.back()->route = route;
  }
  routes_.push_back(std::make_unique<RouteStats>());
  routes_.back()->route = "unmatched";
  for (const auto& stats : routes_) index_.emplace(stats->route, stats.get());
}

HttpMetrics::RouteStats& HttpMetrics::stats_for(std::string_view route) {
  const auto it = index_.find(route);
  return it == index_.end() ? *routes_.back() : *it->second;
}

void HttpMetrics::record(std::string_view route, int status, std::chrono::nanoseconds duration) {
  RouteStats& stats = stats_for(route);
  if (status >= 100 && status < 600) {
    stats.by_status[static_cast<std::size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  }
  stats.latency.record(duration);
  overall_.record(duration);
  window_.add();
  if (status >= 500) {
    server_errors_.fetch_add(1, std::memory_order_relaxed);
  } else if (status >= 400) {
    client_errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

void HttpMetrics::render(Exposition& out) const {
  out.header("reelgen_http_requests_total", "counter", "HTTP requests by route and status.");
  for (const auto& stats : routes_) {
    const std::string route = label_value(stats->route);
    for (std::size_t i = 0; i < stats->by_status.size(); ++i) {
      const auto n = stats->by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.sample("reelgen_http_requests_total",
                 "route=\"" + route + "\",status=\"" + std::to_string(i + 100) + "\"",
                 static_cast<double>(n));
    }
  }
  out.header("reelgen_http_request_duration_seconds", "histogram",
             "Time from a parsed request to its response, by route.");
  for (const auto& stats : routes_) {
    if (stats->latency.count() == 0) continue;
    out.histogram("reelgen_http_request_duration_seconds",
                  "route=\"" + label_value(stats->route) + "\"", stats->latency);
  }
  out.header("reelgen_http_requests_in_flight", "gauge", "Requests being handled now.");
  out.sample("reelgen_http_requests_in_flight", "", static_cast<double>(in_flight()));
}

}  // namespace reelgen::monitor
