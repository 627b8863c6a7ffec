#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace reelgen::api {

RateLimiter::RateLimiter(double default_per_minute, double burst, const core::Clock& clock)
    : default_per_minute_(default_per_minute), burst_(burst), clock_(clock), shards_(16) {}

RateDecision RateLimiter::take(std::string_view key, double cost,
                               std::optional<double> per_minute) {
  const double rate_per_minute = per_minute.value_or(default_per_minute_);
  RateDecision d;
  if (rate_per_minute <= 0) {  // unlimited
    d.limit = burst_;
    d.remaining = burst_;
    return d;
  }
  const double per_second = rate_per_minute / 60.0;
  // A bucket holds at least one second of the key's rate: with the default burst alone, a key
  // allowed a million requests a second would be refused whenever a few hundred arrive at once.
  const double burst = std::max(burst_, per_second);
  d.limit = burst;
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
  const auto now = clock_.now();
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end())
    it = shard.buckets.emplace(std::string(key), Bucket{burst, now}).first;
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst, b.tokens + elapsed * per_second);
  b.updated = now;
  if (b.tokens >= cost) {
    b.tokens -= cost;
  } else {
    d.allowed = false;
    const double wait =
        cost > burst ? (burst - b.tokens) / per_second + 60.0 : (cost - b.tokens) / per_second;
    d.retry_after = std::chrono::seconds(static_cast<long>(std::ceil(wait)));
  }
  d.remaining = std::floor(b.tokens);
  d.reset = std::chrono::seconds(static_cast<long>(std::ceil((burst - b.tokens) / per_second)));
  return d;
}

}  // namespace reelgen::api
