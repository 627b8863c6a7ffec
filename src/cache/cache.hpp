#pragma once
// What the caption service and the operations API see of a cache: L1 alone, Redis alone, or the
// two tiered. Values are opaque bytes under a key and its 64-bit hash.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reelgen::cache {

class Cache {
 public:
  virtual ~Cache() = default;
  // Copies the value stored under key into out. hash must be a hash of key. Thread-safe.
  // count_miss=false leaves a miss out of the statistics (for a lookup that another follows).
  // life_left, when given, receives how long the entry still lives if the tier knows (L2 does),
  // so a copy in another tier expires with it.
  virtual bool get(std::uint64_t hash, std::string_view key, std::string& out,
                   bool count_miss = true,
                   std::optional<std::chrono::seconds>* life_left = nullptr) = 0;
  // Whether get would answer key from this process's memory now, without waiting on anything,
  // leaving statistics untouched (decides whether a request may stay on an I/O thread).
  virtual bool contains(std::uint64_t hash, std::string_view key) const = 0;
  // Stores value; returns whether some tier kept it. ttl, when given and shorter than a tier's
  // own, is this entry's life there instead.
  virtual bool put(std::uint64_t hash, std::string_view key, std::string value,
                   std::optional<std::chrono::seconds> ttl = std::nullopt) = 0;
};

}  // namespace reelgen::cache
