#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cache/l1_cache.hpp"
#include "cache/single_flight.hpp"
#include "core/hash.hpp"

namespace reelgen::cache {
namespace {

using namespace std::chrono_literals;

struct Fixture {
  core::ManualClock clock;
  L1Cache cache;
  explicit Fixture(L1Config config) : cache(config, clock) {}
  bool put(const std::string& key, std::string value) {
    return cache.put(core::fast_hash(key), key, std::move(value));
  }
  std::optional<std::string> get(const std::string& key) {
    std::string out;
    if (!cache.get(core::fast_hash(key), key, out)) return std::nullopt;
    return out;
  }
};

TEST(L1Cache, StoresAndReturnsCopies) {
  Fixture f({.max_entries = 100, .max_bytes = 1 << 20, .ttl = 60s, .shards = 4});
  EXPECT_FALSE(f.get("a"));
  EXPECT_TRUE(f.put("a", "alpha"));
  EXPECT_EQ(f.get("a"), "alpha");
  const auto s = f.cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.entries, 1u);
  EXPECT_GT(s.bytes, 5u);
}

TEST(L1Cache, EveryLookupIsTimedHitOrMiss) {
  Fixture f({.max_entries = 100, .max_bytes = 1 << 20, .ttl = 60s, .shards = 4});
  EXPECT_FALSE(f.get("a"));
  EXPECT_TRUE(f.put("a", "alpha"));
  EXPECT_EQ(f.get("a"), "alpha");
  EXPECT_EQ(f.cache.lookup_latency().count(), 2u);
}

TEST(L1Cache, EntriesExpireAfterTtl) {
  Fixture f({.max_entries = 100, .max_bytes = 1 << 20, .ttl = 10s, .shards = 1});
  f.put("a", "alpha");
  f.clock.advance(9s);
  EXPECT_TRUE(f.get("a"));
  f.clock.advance(2s);
  EXPECT_FALSE(f.get("a"));
  EXPECT_EQ(f.cache.stats().expirations, 1u);
  EXPECT_EQ(f.cache.stats().entries, 0u);
}

TEST(L1Cache, PurgeRemovesOnlyExpiredEntries) {
  Fixture f({.max_entries = 100, .max_bytes = 1 << 20, .ttl = 10s, .shards = 2});
  f.put("old1", "x");
  f.put("old2", "x");
  f.clock.advance(6s);
  f.put("new", "x");
  f.clock.advance(5s);
  EXPECT_EQ(f.cache.purge_expired(), 2u);
  EXPECT_TRUE(f.get("new"));
}

TEST(L1Cache, BoundedByEntriesEvictingLeastRecentlyUsed) {
  Fixture f({.max_entries = 3, .max_bytes = 1 << 20, .ttl = 60s, .shards = 1});
  f.put("a", "1");
  f.put("b", "2");
  f.put("c", "3");
  ASSERT_TRUE(f.get("a"));  // a is now most recent; b is the LRU victim
  ASSERT_TRUE(f.get("c"));
  f.get("d");  // d asked for once before it is stored: as popular as the victim
  EXPECT_TRUE(f.put("d", "4"));
  EXPECT_FALSE(f.get("b"));
  EXPECT_TRUE(f.get("a"));
  EXPECT_EQ(f.cache.stats().entries, 3u);
  EXPECT_EQ(f.cache.stats().evictions, 1u);
}

TEST(L1Cache, AdmissionKeepsPopularEntriesAgainstOneOffs) {
  Fixture f({.max_entries = 2, .max_bytes = 1 << 20, .ttl = 60s, .shards = 1});
  f.put("hot1", "x");
  f.put("hot2", "x");
  for (int i = 0; i < 5; ++i) {
    f.get("hot1");
    f.get("hot2");
  }
  EXPECT_FALSE(f.put("oneoff", "x"));
  EXPECT_TRUE(f.get("hot1"));
  EXPECT_TRUE(f.get("hot2"));
  EXPECT_EQ(f.cache.stats().rejections, 1u);
}

TEST(L1Cache, BoundedByBytes) {
  Fixture f({.max_entries = 1000, .max_bytes = 2000, .ttl = 60s, .shards = 1});
  for (int i = 0; i < 50; ++i) f.put("k" + std::to_string(i), std::string(100, 'v'));
  EXPECT_LE(f.cache.stats().bytes, 2000u);
  EXPECT_GT(f.cache.stats().entries, 0u);
  EXPECT_FALSE(f.put("huge", std::string(5000, 'v')));
}

TEST(L1Cache, SameHashDifferentKeyIsAMiss) {
  Fixture f({.max_entries = 10, .max_bytes = 1 << 20, .ttl = 60s, .shards = 1});
  f.cache.put(42, "first", "1");
  std::string out;
  EXPECT_FALSE(f.cache.get(42, "second", out));
  EXPECT_TRUE(f.cache.get(42, "first", out));
}

TEST(SingleFlight, ConcurrentIdenticalCallsComputeOnce) {
  SingleFlight flights;
  std::atomic<int> computed{0};
  std::atomic<bool> release{false};
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = flights.run(7, "key", [&]() -> core::Result<std::string> {
        computed.fetch_add(1);
        while (!release.load()) std::this_thread::yield();
        return std::string("value");
      });
      results[i] = r.value();
    });
  }
  // Let every thread join the flight before the leader finishes.
  while (flights.shared_results() < 7 && computed.load() < 8) std::this_thread::yield();
  release.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(computed.load(), 1);
  for (const auto& r : results) EXPECT_EQ(r, "value");
}

TEST(SingleFlight, ErrorsAreSharedAndNotCached) {
  SingleFlight flights;
  int calls = 0;
  auto failing = [&]() -> core::Result<std::string> {
    ++calls;
    return core::fail(core::ErrorCode::internal, "boom");
  };
  EXPECT_FALSE(flights.run(1, "k", failing));
  EXPECT_FALSE(flights.run(1, "k", failing));
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace reelgen::cache
