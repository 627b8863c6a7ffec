#include "api/rate_limiter.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

namespace reelgen::api {
namespace {

// KEYS[1] bucket; ARGV rate per second, burst, cost. Redis's clock, so replicas agree on time.
// Returns {allowed, tokens left} (tokens as text: Lua numbers become integers on the way out).
constexpr std::string_view kBucketScript = R"lua(
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
)lua";

std::string number(double d) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ec == std::errc() ? end : buf);
}

}  // namespace

RateLimiter::RateLimiter(double default_per_minute, double burst, const core::Clock& clock,
                         cache::RedisClient* shared)
    : default_per_minute_(default_per_minute),
      burst_(burst),
      clock_(clock),
      shards_(16),
      shared_(shared) {}

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
  std::optional<Taken> taken;
  if (shared_) taken = take_shared(key, cost, burst, per_second);
  if (!taken) taken = take_local(key, cost, burst, per_second);
  const double tokens = taken->tokens;
  if (!taken->allowed) {
    d.allowed = false;
    const double wait =
        cost > burst ? (burst - tokens) / per_second + 60.0 : (cost - tokens) / per_second;
    d.retry_after = std::chrono::seconds(static_cast<long>(std::ceil(wait)));
  }
  d.remaining = std::floor(tokens);
  d.reset = std::chrono::seconds(static_cast<long>(std::ceil((burst - tokens) / per_second)));
  return d;
}

RateLimiter::Taken RateLimiter::take_local(std::string_view key, double cost, double burst,
                                           double per_second) {
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
  if (b.tokens < cost) return {false, b.tokens};
  b.tokens -= cost;
  return {true, b.tokens};
}

std::optional<RateLimiter::Taken> RateLimiter::take_shared(std::string_view key, double cost,
                                                           double burst, double per_second) {
  const std::string bucket = "reelgen:rate:" + std::string(key);
  const std::string rate = number(per_second), size = number(burst), amount = number(cost);
  std::string sha;
  {
    std::lock_guard lock(script_mutex_);
    sha = script_sha_;
  }
  core::Result<cache::RedisReply> reply =
      core::fail(core::ErrorCode::conflict, "NOSCRIPT not loaded yet");
  if (!sha.empty()) reply = shared_->command({"EVALSHA", sha, "1", bucket, rate, size, amount});
  if (!reply && reply.error().code == core::ErrorCode::conflict) {
    // Not loaded yet, or Redis restarted and forgot it: EVAL loads it, SCRIPT LOAD names it.
    reply = shared_->command({"EVAL", kBucketScript, "1", bucket, rate, size, amount});
    if (auto loaded = shared_->command({"SCRIPT", "LOAD", kBucketScript});
        loaded && loaded->type == cache::RedisReply::Type::string) {
      std::lock_guard lock(script_mutex_);
      script_sha_ = loaded->str;
    }
  }
  if (!reply || reply->elements.size() != 2) return std::nullopt;
  double tokens = 0;
  const std::string& text = reply->elements[1].str;
  if (std::from_chars(text.data(), text.data() + text.size(), tokens).ec != std::errc()) {
    return std::nullopt;
  }
  return Taken{reply->elements[0].integer == 1, tokens};
}

}  // namespace reelgen::api
