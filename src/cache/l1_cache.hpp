#pragma once
// In-process cache of serialized responses: sharded, bounded by entries and bytes, TTL expiry,
// LRU eviction guarded by a frequency-based admission filter (a new key replaces the LRU victim
// only if it has been asked for at least as often), so one-off requests cannot flush hot ones.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cache/cache.hpp"
#include "core/clock.hpp"
#include "monitor/metrics.hpp"

namespace reelgen::cache {

struct L1Config {
  std::size_t max_entries = 100'000;
  std::size_t max_bytes = 64ull << 20;
  std::chrono::seconds ttl{3600};
  std::size_t shards = 16;
};

struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t inserts = 0;
  std::uint64_t evictions = 0;
  std::uint64_t rejections = 0;  // refused by the admission filter
  std::uint64_t expirations = 0;
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  double hit_rate() const {
    const auto total = hits + misses;
    return total == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(total);
  }
};

class L1Cache final : public Cache {
 public:
  L1Cache(L1Config config, const core::Clock& clock);
  L1Cache(const L1Cache&) = delete;
  L1Cache& operator=(const L1Cache&) = delete;

  bool get(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss = true,
           std::optional<std::chrono::seconds>* life_left = nullptr) override;
  // Whether an unexpired value is stored under key, leaving statistics, recency and the
  // admission filter untouched (a peek before the real lookup). Thread-safe.
  bool contains(std::uint64_t hash, std::string_view key) const override;
  // Stores value unless the admission filter or the size bounds refuse it (or max_entries is 0:
  // L1 off). Returns whether stored.
  bool put(std::uint64_t hash, std::string_view key, std::string value,
           std::optional<std::chrono::seconds> ttl = std::nullopt) override;
  // Removes expired entries; returns how many.
  std::size_t purge_expired();
  void clear();
  CacheStats stats() const;
  // How long get() took, hit or miss (reelgen_cache_lookup_seconds{tier}).
  const monitor::LatencyHistogram& lookup_latency() const { return lookup_latency_; }
  const L1Config& config() const { return config_; }

 private:
  bool lookup(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss);
  monitor::LatencyHistogram lookup_latency_;
  struct Entry {
    std::uint64_t hash;
    std::string key;
    std::string value;
    std::chrono::steady_clock::time_point expires;
    std::size_t bytes() const { return key.size() + value.size() + sizeof(Entry) + 32; }
  };
  // A 4-row count-min sketch of 8-bit counters, halved periodically so old popularity fades.
  struct Sketch {
    std::vector<std::uint8_t> counters;
    std::size_t width = 0;
    std::size_t additions = 0;
    void init(std::size_t expected_entries);
    void add(std::uint64_t hash);
    unsigned estimate(std::uint64_t hash) const;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Entry> lru;  // front = most recent
    std::unordered_map<std::uint64_t, std::list<Entry>::iterator> index;
    Sketch sketch;
    std::size_t bytes = 0;
    std::uint64_t hits = 0, misses = 0, inserts = 0, evictions = 0, rejections = 0, expirations = 0;
  };

  Shard& shard_of(std::uint64_t hash) { return shards_[(hash >> 48) % shards_.size()]; }
  const Shard& shard_of(std::uint64_t hash) const { return shards_[(hash >> 48) % shards_.size()]; }
  void erase(Shard& shard, std::list<Entry>::iterator it);

  L1Config config_;
  const core::Clock& clock_;
  std::vector<Shard> shards_;
  std::size_t shard_entries_;
  std::size_t shard_bytes_;
};

}  // namespace reelgen::cache
