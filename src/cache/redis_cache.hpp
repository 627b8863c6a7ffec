#pragma once
// The shared L2: values in Redis under a fixed-length digest of the key, stored with their expiry
// and compressed with zstd when that saves at least a tenth. A Redis that fails is a miss (and a
// dropped write), never an error: the caller computes the value instead.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "cache/cache.hpp"
#include "cache/redis_client.hpp"
#include "core/clock.hpp"
#include "monitor/metrics.hpp"

namespace reelgen::cache {

struct RedisCacheConfig {
  std::string prefix = "reelgen:cache:";  // every key starts with it
  std::chrono::seconds ttl{86400};
  std::size_t compress_min_bytes = 256;  // smaller values are stored as they are
};

struct L2Stats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t errors = 0;  // commands that failed (Redis down, timeout)
  std::uint64_t writes = 0;
  std::uint64_t raw_bytes = 0;     // value bytes written, before compression
  std::uint64_t stored_bytes = 0;  // what Redis received for them
  double hit_rate() const {
    const auto total = hits + misses;
    return total == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(total);
  }
  // raw / stored over every write; 1 before the first.
  double compression_ratio() const {
    return stored_bytes == 0 ? 1.0
                             : static_cast<double>(raw_bytes) / static_cast<double>(stored_bytes);
  }
};

class RedisCache final : public Cache {
 public:
  // clock's wall time dates the entries (their expiry travels in the value, so a copy in L1
  // expires with the original).
  RedisCache(RedisClient& client, RedisCacheConfig config, const core::Clock& clock);

  // Blocking: call off the I/O threads.
  bool get(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss = true,
           std::optional<std::chrono::seconds>* life_left = nullptr) override;
  // Always false: nothing in Redis is answered without waiting.
  bool contains(std::uint64_t, std::string_view) const override { return false; }
  bool put(std::uint64_t hash, std::string_view key, std::string value,
           std::optional<std::chrono::seconds> ttl = std::nullopt) override;

  // Milliseconds key still lives in Redis; nullopt when absent or Redis failed.
  std::optional<std::chrono::milliseconds> remaining_ttl(std::string_view key);
  std::string redis_key(std::string_view key) const;
  L2Stats stats() const;
  // How long get() took, hit or miss (reelgen_cache_lookup_seconds{tier}).
  const monitor::LatencyHistogram& lookup_latency() const { return lookup_latency_; }
  const RedisCacheConfig& config() const { return config_; }

 private:
  bool lookup(std::string_view key, std::string& out, bool count_miss,
              std::optional<std::chrono::seconds>* life_left);
  monitor::LatencyHistogram lookup_latency_;
  RedisClient& client_;
  RedisCacheConfig config_;
  const core::Clock& clock_;
  std::atomic<std::uint64_t> hits_{0}, misses_{0}, errors_{0}, writes_{0}, raw_bytes_{0},
      stored_bytes_{0};
};

// The stored form of a value: one tag byte ('r' as is, 'z' zstd frame) and the bytes.
std::string encode_value(std::string_view value, std::size_t compress_min_bytes);
// Returns false for a value that is neither (a corrupt or foreign entry).
bool decode_value(std::string_view stored, std::string& out);

}  // namespace reelgen::cache
