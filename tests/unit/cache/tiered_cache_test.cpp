#include "cache/tiered_cache.hpp"

#include <gtest/gtest.h>

#include <map>

#include "cache/redis_cache.hpp"
#include "cache/redis_client.hpp"
#include "core/hash.hpp"

namespace reelgen::cache {
namespace {

using namespace std::chrono_literals;

// An L2 in memory that can be switched off, as a Redis that stops answering.
class FakeL2 final : public Cache {
 public:
  bool get(std::uint64_t, std::string_view key, std::string& out, bool,
           std::optional<std::chrono::seconds>* life_left) override {
    ++gets;
    if (down) return false;
    const auto it = values.find(std::string(key));
    if (it == values.end()) return false;
    out = it->second.first;
    if (life_left) *life_left = it->second.second;
    return true;
  }
  bool contains(std::uint64_t, std::string_view) const override { return false; }
  bool put(std::uint64_t, std::string_view key, std::string value,
           std::optional<std::chrono::seconds> ttl) override {
    if (down) return false;
    values[std::string(key)] = {std::move(value), ttl};
    return true;
  }
  std::map<std::string, std::pair<std::string, std::optional<std::chrono::seconds>>> values;
  int gets = 0;
  bool down = false;
};

struct Tiers {
  core::ManualClock clock;
  L1Cache l1{{100, 1 << 20, 60s, 1}, clock};
  FakeL2 l2;
  TieredCache tiered{l1, l2};
  std::optional<std::string> get(const std::string& key) {
    std::string out;
    if (!tiered.get(core::fast_hash(key), key, out)) return std::nullopt;
    return out;
  }
  bool put(const std::string& key, std::string value,
           std::optional<std::chrono::seconds> ttl = std::nullopt) {
    return tiered.put(core::fast_hash(key), key, std::move(value), ttl);
  }
};

TEST(TieredCache, WritesBothTiers) {
  Tiers t;
  ASSERT_TRUE(t.put("k", "v", 30s));
  EXPECT_TRUE(t.l1.contains(core::fast_hash("k"), "k"));
  ASSERT_EQ(t.l2.values.count("k"), 1u);
  EXPECT_EQ(t.l2.values["k"].first, "v");
  EXPECT_EQ(t.l2.values["k"].second, 30s);  // the entry's own TTL reaches L2
}

TEST(TieredCache, AnL1HitDoesNotAskL2) {
  Tiers t;
  ASSERT_TRUE(t.put("k", "v"));
  EXPECT_EQ(t.get("k"), "v");
  EXPECT_EQ(t.l2.gets, 0);
  EXPECT_EQ(t.l1.stats().hits, 1u);
}

TEST(TieredCache, AnL2HitIsPromotedToL1) {
  Tiers t;
  t.l2.values["k"] = {"from another replica", std::nullopt};
  EXPECT_EQ(t.get("k"), "from another replica");
  EXPECT_EQ(t.l2.gets, 1);
  EXPECT_TRUE(t.l1.contains(core::fast_hash("k"), "k"));
  EXPECT_EQ(t.get("k"), "from another replica");
  EXPECT_EQ(t.l2.gets, 1);  // the second lookup stayed in L1
}

TEST(TieredCache, APromotedCopyExpiresWithTheL2Entry) {
  Tiers t;
  t.l2.values["fallback"] = {"short-lived", 10s};
  EXPECT_EQ(t.get("fallback"), "short-lived");
  t.clock.advance(9s);
  EXPECT_TRUE(t.l1.contains(core::fast_hash("fallback"), "fallback"));
  t.clock.advance(2s);  // past L2's 10 s, though L1's own TTL is 60 s
  EXPECT_FALSE(t.l1.contains(core::fast_hash("fallback"), "fallback"));
}

TEST(TieredCache, EachTierKeepsItsOwnTtl) {
  Tiers t;
  ASSERT_TRUE(t.put("k", "v"));
  t.clock.advance(61s);  // past L1's 60 s; L2 (no expiry in the fake) still has it
  EXPECT_FALSE(t.l1.contains(core::fast_hash("k"), "k"));
  EXPECT_EQ(t.get("k"), "v");
  EXPECT_EQ(t.l2.gets, 1);
}

TEST(TieredCache, AnL2ThatIsDownLeavesL1Working) {
  Tiers t;
  t.l2.down = true;
  EXPECT_TRUE(t.put("k", "v"));  // L1 kept it
  EXPECT_EQ(t.get("k"), "v");
  EXPECT_FALSE(t.get("other"));
  EXPECT_TRUE(t.l2.values.empty());
}

TEST(TieredCache, ContainsAnswersFromL1Only) {
  Tiers t;
  t.l2.values["k"] = {"v", std::nullopt};
  EXPECT_FALSE(t.tiered.contains(core::fast_hash("k"), "k"));
  EXPECT_EQ(t.l2.gets, 0);
}

TEST(RedisValue, LargeRepetitiveValuesAreCompressed) {
  std::string caption;
  for (int i = 0; i < 40; ++i) caption += "{\"caption\":\"Sunset over the bay\",\"hashtags\":[]}";
  const std::string stored = encode_value(caption, 256);
  EXPECT_EQ(stored[0], 'z');
  EXPECT_LT(stored.size(), caption.size() / 4);
  std::string back;
  ASSERT_TRUE(decode_value(stored, back));
  EXPECT_EQ(back, caption);
}

TEST(RedisValue, SmallOrIncompressibleValuesAreStoredAsTheyAre) {
  const std::string small = "short value";
  EXPECT_EQ(encode_value(small, 256), "r" + small);
  std::string noise;
  for (int i = 0; i < 600; ++i) noise += static_cast<char>(core::fast_hash(std::to_string(i)));
  EXPECT_EQ(encode_value(noise, 256)[0], 'r');
  std::string back;
  ASSERT_TRUE(decode_value(encode_value(noise, 256), back));
  EXPECT_EQ(back, noise);
}

TEST(RedisValue, ForeignOrCorruptValuesAreMisses) {
  std::string out;
  EXPECT_FALSE(decode_value("", out));
  EXPECT_FALSE(decode_value("xjunk", out));
  EXPECT_FALSE(decode_value("zjunk", out));
}

TEST(RedisClient, AServerThatIsNotThereFailsFastAfterTheFirstTry) {
  core::ManualClock clock;
  // Port 1 on loopback refuses at once.
  RedisClient client({{"127.0.0.1", 1}, 100ms, 2, 1000ms}, clock);
  auto first = client.command({"PING"});
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, core::ErrorCode::unavailable);
  EXPECT_FALSE(client.healthy());
  auto second = client.command({"PING"});
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("retrying"), std::string::npos);
  EXPECT_EQ(client.failures(), 1u);  // no second connect within retry_after
  clock.advance(1001ms);
  EXPECT_FALSE(client.command({"PING"}));
  EXPECT_EQ(client.failures(), 2u);  // tried again
}

}  // namespace
}  // namespace reelgen::cache
