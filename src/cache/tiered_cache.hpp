#pragma once
// L1 in front of L2: a lookup reads L1, then L2, and copies an L2 hit into L1; a write goes to
// both. Each tier applies its own TTL.

#include "cache/cache.hpp"
#include "cache/l1_cache.hpp"

namespace reelgen::cache {

class TieredCache final : public Cache {
 public:
  // Borrows both tiers, which must outlive it.
  TieredCache(L1Cache& l1, Cache& l2) : l1_(l1), l2_(l2) {}

  // An L2 hit is copied into L1 for the life it has left in L2 (at most L1's TTL).
  bool get(std::uint64_t hash, std::string_view key, std::string& out, bool count_miss = true,
           std::optional<std::chrono::seconds>* life_left = nullptr) override;
  // L1 only: an L2 lookup waits on the network.
  bool contains(std::uint64_t hash, std::string_view key) const override {
    return l1_.contains(hash, key);
  }
  bool put(std::uint64_t hash, std::string_view key, std::string value,
           std::optional<std::chrono::seconds> ttl = std::nullopt) override;

 private:
  L1Cache& l1_;
  Cache& l2_;
};

}  // namespace reelgen::cache
