#pragma once
// Per-key token buckets. A key refills at its rate per minute up to the burst size, which is the
// configured burst or one second of the key's rate, whichever is larger; a request costs one
// token and a batch as many as its items. With Redis the buckets live there, one atomic script
// per take shared by every replica; while Redis fails, the in-process buckets answer.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cache/redis_client.hpp"
#include "core/clock.hpp"

namespace reelgen::api {

struct RateDecision {
  bool allowed = true;
  double limit = 0;                     // bucket size (RateLimit-Limit)
  double remaining = 0;                 // tokens left after this request (RateLimit-Remaining)
  std::chrono::seconds reset{0};        // until the bucket is full again (RateLimit-Reset)
  std::chrono::seconds retry_after{0};  // when allowed is false: until cost tokens are there
};

class RateLimiter {
 public:
  // shared, when given, holds the buckets (and blocks: call take off the I/O threads then).
  RateLimiter(double default_per_minute, double burst, const core::Clock& clock,
              cache::RedisClient* shared = nullptr);
  // Takes cost tokens from key's bucket if it has them. per_minute overrides the default rate.
  // A per_minute of 0 means unlimited.
  RateDecision take(std::string_view key, double cost, std::optional<double> per_minute);
  bool shared() const { return shared_ != nullptr; }

 private:
  struct Taken {
    bool allowed;
    double tokens;  // left after the take
  };
  Taken take_local(std::string_view key, double cost, double burst, double per_second);
  std::optional<Taken> take_shared(std::string_view key, double cost, double burst,
                                   double per_second);

  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  struct Shard {
    std::mutex mutex;
    // Heterogeneous lookup: finding a bucket by string_view allocates nothing.
    struct Hash {
      using is_transparent = void;
      std::size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
    };
    std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> buckets;
  };
  double default_per_minute_;
  double burst_;
  const core::Clock& clock_;
  std::vector<Shard> shards_;
  cache::RedisClient* shared_;
  std::mutex script_mutex_;
  std::string script_sha_;  // of the bucket script, once loaded
};

}  // namespace reelgen::api
