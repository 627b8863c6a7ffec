#include "cache/tiered_cache.hpp"

namespace reelgen::cache {

bool TieredCache::get(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss,
                      std::optional<std::chrono::seconds>* life_left) {
  if (l1_.get(hash, key, out, count_miss, life_left)) return true;
  std::optional<std::chrono::seconds> left;
  if (!l2_.get(hash, key, out, count_miss, &left)) return false;
  l1_.put(hash, key, out, left);
  if (life_left) *life_left = left;
  return true;
}

bool TieredCache::put(std::uint64_t hash, std::string_view key, std::string value,
                      std::optional<std::chrono::seconds> ttl) {
  const bool shared = l2_.put(hash, key, value, ttl);
  const bool local = l1_.put(hash, key, std::move(value), ttl);
  return shared || local;
}

}  // namespace reelgen::cache
