#include "api/media_url.hpp"

#include <gtest/gtest.h>

namespace reelgen::api {
namespace {

using namespace std::chrono_literals;

struct Url {
  std::string path, query;
};

Url split(const std::string& url) {
  const auto q = url.find('?');
  return {url.substr(0, q), url.substr(q + 1)};
}

TEST(MediaSigner, OpensItsMethodAndPathForTheKeyUntilItExpires) {
  core::ManualClock clock;
  const MediaSigner signer("secret", 900s, clock);
  const Url url = split(signer.sign("/api/v1/videos/vid_a/file", "key_1"));
  EXPECT_EQ(url.path, "/api/v1/videos/vid_a/file");
  auto key = signer.verify("GET", url.path, url.query);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(*key, "key_1");
  EXPECT_TRUE(signer.verify("HEAD", url.path, url.query));
  clock.advance(899s);
  EXPECT_TRUE(signer.verify("GET", url.path, url.query));
  clock.advance(1s);
  const auto expired = signer.verify("GET", url.path, url.query);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::ErrorCode::forbidden);
  EXPECT_EQ(expired.error().fields.at(0).field, "signature");
  EXPECT_EQ(expired.error().fields.at(0).rule, "expiry");
}

TEST(MediaSigner, RefusesAnotherPathMethodKeyExpiryOrSecret) {
  core::ManualClock clock;
  const MediaSigner signer("secret", 900s, clock);
  const Url url = split(signer.sign("/api/v1/videos/vid_a/file", "key_1"));
  EXPECT_FALSE(signer.verify("GET", "/api/v1/videos/vid_b/file", url.query));
  EXPECT_FALSE(signer.verify("DELETE", url.path, url.query));
  std::string other_key = url.query;
  other_key.replace(other_key.find("key_1"), 5, "key_2");
  EXPECT_FALSE(signer.verify("GET", url.path, other_key));
  std::string later = url.query;
  const auto e = later.find("expires=") + 8;
  later[e] = later[e] == '9' ? '8' : '9';
  const auto altered = signer.verify("GET", url.path, later);
  ASSERT_FALSE(altered);
  EXPECT_EQ(altered.error().fields.at(0).rule, "match");
  const MediaSigner other("another secret", 900s, clock);
  EXPECT_FALSE(other.verify("GET", url.path, url.query));
  const Url post = split(signer.sign("/api/v1/videos/vid_a/file", "key_1", "POST"));
  EXPECT_FALSE(signer.verify("GET", post.path, post.query));
  EXPECT_TRUE(signer.verify("POST", post.path, post.query));
}

TEST(MediaSigner, RefusesMalformedQueries) {
  core::ManualClock clock;
  const MediaSigner signer("secret", 900s, clock);
  for (const char* query : {"", "signature=abc", "key_id=key_1&expires=x&signature=abc",
                            "key_id=a%2Fb&expires=1&signature=abc"}) {
    const auto refused = signer.verify("GET", "/api/v1/videos/vid_a/file", query);
    ASSERT_FALSE(refused) << query;
    EXPECT_EQ(refused.error().fields.at(0).rule, "format") << query;
  }
  EXPECT_TRUE(has_signature("key_id=k&expires=1&signature=abc"));
  EXPECT_FALSE(has_signature("key_id=k&expires=1"));
}

}  // namespace
}  // namespace reelgen::api
