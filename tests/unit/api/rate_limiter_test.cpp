#include "api/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace reelgen::api {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsTheBurstThenRefusesWithRetryAfter) {
  core::ManualClock clock;
  RateLimiter limiter(60, 3, clock);  // one token a second, bucket of three
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k", 1, std::nullopt).allowed);
  const auto refused = limiter.take("k", 1, std::nullopt);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.limit, 3);
  clock.advance(1s);
  EXPECT_TRUE(limiter.take("k", 1, std::nullopt).allowed);
}

TEST(RateLimiter, KeysHaveSeparateBucketsAndOwnRates) {
  core::ManualClock clock;
  RateLimiter limiter(60, 2, clock);
  ASSERT_TRUE(limiter.take("a", 2, std::nullopt).allowed);
  EXPECT_FALSE(limiter.take("a", 1, std::nullopt).allowed);
  EXPECT_TRUE(limiter.take("b", 1, std::nullopt).allowed);
  clock.advance(100ms);
  EXPECT_TRUE(limiter.take("fast", 2, 1200.0).allowed);  // 20 tokens a second
  EXPECT_FALSE(limiter.take("fast", 1, 1200.0).allowed);
  clock.advance(50ms);
  EXPECT_TRUE(limiter.take("fast", 1, 1200.0).allowed);
}

TEST(RateLimiter, ABatchCostsItsItemsAndZeroRateIsUnlimited) {
  core::ManualClock clock;
  RateLimiter limiter(60, 10, clock);
  EXPECT_FALSE(limiter.take("k", 11, std::nullopt).allowed);
  EXPECT_TRUE(limiter.take("k", 10, std::nullopt).allowed);
  EXPECT_FALSE(limiter.take("k", 1, std::nullopt).allowed);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.take("admin", 5, 0.0).allowed);
}

TEST(RateLimiter, ResetSaysWhenTheBucketIsFull) {
  core::ManualClock clock;
  RateLimiter limiter(60, 10, clock);
  const auto d = limiter.take("k", 4, std::nullopt);
  EXPECT_EQ(d.remaining, 6);
  EXPECT_EQ(d.reset, 4s);
}

}  // namespace
}  // namespace reelgen::api
