#include "cache/l1_cache.hpp"

#include <algorithm>
#include <bit>

namespace reelgen::cache {

void L1Cache::Sketch::init(std::size_t expected_entries) {
  width = std::max<std::size_t>(64, std::bit_ceil(expected_entries));
  counters.assign(width * 4, 0);
}

void L1Cache::Sketch::add(std::uint64_t hash) {
  for (std::size_t row = 0; row < 4; ++row) {
    const std::size_t i = row * width + ((hash >> (row * 16)) ^ (hash >> 40)) % width;
    if (counters[i] < 255) ++counters[i];
  }
  if (++additions >= width * 10) {
    for (auto& c : counters) c >>= 1;
    additions = 0;
  }
}

unsigned L1Cache::Sketch::estimate(std::uint64_t hash) const {
  unsigned m = 255;
  for (std::size_t row = 0; row < 4; ++row) {
    const std::size_t i = row * width + ((hash >> (row * 16)) ^ (hash >> 40)) % width;
    m = std::min<unsigned>(m, counters[i]);
  }
  return m;
}

L1Cache::L1Cache(L1Config config, const core::Clock& clock)
    : config_(config), clock_(clock), shards_(std::max<std::size_t>(1, config.shards)) {
  shard_entries_ = std::max<std::size_t>(1, config_.max_entries / shards_.size());
  shard_bytes_ = std::max<std::size_t>(1, config_.max_bytes / shards_.size());
  for (auto& shard : shards_) {
    shard.sketch.init(shard_entries_);
    shard.index.reserve(std::min<std::size_t>(shard_entries_, 4096));
  }
}

void L1Cache::erase(Shard& shard, std::list<Entry>::iterator it) {
  shard.bytes -= it->bytes();
  shard.index.erase(it->hash);
  shard.lru.erase(it);
}

bool L1Cache::get(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss,
                  std::optional<std::chrono::seconds>*) {
  const auto begin = std::chrono::steady_clock::now();
  const bool hit = lookup(hash, key, out, count_miss);
  lookup_latency_.record(std::chrono::steady_clock::now() - begin);
  return hit;
}

bool L1Cache::lookup(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss) {
  Shard& shard = shard_of(hash);
  std::lock_guard lock(shard.mutex);
  shard.sketch.add(hash);
  const auto found = shard.index.find(hash);
  if (found == shard.index.end() || found->second->key != key) {
    if (count_miss) ++shard.misses;
    return false;
  }
  const auto it = found->second;
  if (it->expires <= clock_.now()) {
    ++shard.expirations;
    if (count_miss) ++shard.misses;
    erase(shard, it);
    return false;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it);
  out.assign(it->value);
  ++shard.hits;
  return true;
}

bool L1Cache::contains(std::uint64_t hash, std::string_view key) const {
  const Shard& shard = shard_of(hash);
  std::lock_guard lock(shard.mutex);
  const auto found = shard.index.find(hash);
  return found != shard.index.end() && found->second->key == key &&
         found->second->expires > clock_.now();
}

bool L1Cache::put(std::uint64_t hash, std::string_view key, std::string value,
                  std::optional<std::chrono::seconds> ttl) {
  if (config_.max_entries == 0 || config_.max_bytes == 0) return false;
  const auto life = ttl ? std::min(*ttl, config_.ttl) : config_.ttl;
  Entry entry{hash, std::string(key), std::move(value), clock_.now() + life};
  const std::size_t size = entry.bytes();
  Shard& shard = shard_of(hash);
  if (size > shard_bytes_) return false;
  std::lock_guard lock(shard.mutex);
  if (const auto found = shard.index.find(hash); found != shard.index.end()) {
    erase(shard, found->second);
  }
  const auto now = clock_.now();
  while (!shard.lru.empty() &&
         (shard.index.size() >= shard_entries_ || shard.bytes + size > shard_bytes_)) {
    auto victim = std::prev(shard.lru.end());
    const bool expired = victim->expires <= now;
    if (!expired && shard.sketch.estimate(hash) < shard.sketch.estimate(victim->hash)) {
      ++shard.rejections;
      return false;
    }
    if (expired) {
      ++shard.expirations;
    } else {
      ++shard.evictions;
    }
    erase(shard, victim);
  }
  shard.lru.push_front(std::move(entry));
  shard.index[hash] = shard.lru.begin();
  shard.bytes += size;
  ++shard.inserts;
  return true;
}

std::size_t L1Cache::purge_expired() {
  std::size_t removed = 0;
  const auto now = clock_.now();
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto it = shard.lru.begin(); it != shard.lru.end();) {
      auto next = std::next(it);
      if (it->expires <= now) {
        erase(shard, it);
        ++shard.expirations;
        ++removed;
      }
      it = next;
    }
  }
  return removed;
}

void L1Cache::clear() {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.lru.clear();
    shard.index.clear();
    shard.bytes = 0;
  }
}

CacheStats L1Cache::stats() const {
  CacheStats s;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    s.hits += shard.hits;
    s.misses += shard.misses;
    s.inserts += shard.inserts;
    s.evictions += shard.evictions;
    s.rejections += shard.rejections;
    s.expirations += shard.expirations;
    s.entries += shard.index.size();
    s.bytes += shard.bytes;
  }
  return s;
}

}  // namespace reelgen::cache
