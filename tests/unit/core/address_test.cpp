#include "core/address.hpp"

#include <gtest/gtest.h>

namespace reelgen::core {
namespace {

TEST(RedisUrl, ParsesEveryPart) {
  auto e = parse_redis_url("redis://app:s%40cret@cache.internal:6380/2");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "cache.internal");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->user, "app");
  EXPECT_EQ(e->password, "s@cret");
  EXPECT_EQ(e->db, 2);
  auto plain = parse_redis_url("redis://127.0.0.1");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 6379);
  EXPECT_EQ(plain->db, 0);
  auto password_only = parse_redis_url("redis://:pw@h:1/");
  ASSERT_TRUE(password_only);
  EXPECT_EQ(password_only->user, "");
  EXPECT_EQ(password_only->password, "pw");
}

TEST(RedisUrl, RefusesWhatItCannotServe) {
  for (const char* url : {"rediss://h:6379", "http://h", "redis://", "redis://h:0", "redis://h:x",
                          "redis://h/-1", "redis://h/db"}) {
    auto e = parse_redis_url(url);
    ASSERT_FALSE(e) << url;
    EXPECT_EQ(e.error().code, core::ErrorCode::invalid_argument);
    EXPECT_NE(e.error().message.find("REDIS_URL"), std::string::npos);
  }
}

TEST(AddressBlocks, ParseAddressesAndCidrBlocks) {
  auto blocks = parse_address_blocks(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8,");
  ASSERT_TRUE(blocks) << blocks.error().message;
  EXPECT_EQ(blocks->size(), 3u);
  EXPECT_TRUE(contains(*blocks, "10.200.3.4"));
  EXPECT_TRUE(contains(*blocks, "::ffff:10.1.2.3"));
  EXPECT_TRUE(contains(*blocks, "192.168.1.7"));
  EXPECT_FALSE(contains(*blocks, "192.168.1.8"));
  EXPECT_TRUE(contains(*blocks, "fd12::1"));
  EXPECT_FALSE(contains(*blocks, "fe80::1"));
  EXPECT_FALSE(contains(*blocks, "not an address"));
  EXPECT_TRUE(parse_address_blocks("")->empty());
}

TEST(AddressBlocks, RefuseWhatIsNotABlock) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "fd00::/129", "host.example", "1.2.3.4/x"}) {
    auto blocks = parse_address_blocks(bad);
    ASSERT_FALSE(blocks) << bad;
    EXPECT_NE(blocks.error().message.find("TRUSTED_PROXIES"), std::string::npos);
  }
}

TEST(ClientAddress, BelievesForwardedForOnlyFromTrustedProxies) {
  const auto proxies = *parse_address_blocks("10.0.0.0/8");
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", proxies), "203.0.113.9");
  EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1", proxies), "198.51.100.1");
  // A client prepends a forged hop; the right-most untrusted one is the real client.
  EXPECT_EQ(client_address("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.0.0.3", proxies), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.2", "", proxies), "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.2", "garbage", proxies), "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.2", "10.0.0.5", proxies), "10.0.0.2");
}

}  // namespace
}  // namespace reelgen::core
