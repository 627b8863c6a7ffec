#include "captions/hashtags.hpp"

#include <gtest/gtest.h>

namespace reelgen::captions::detail {
namespace {

TEST(Hashtags, BodiesAreAsciiCompounds) {
  EXPECT_EQ(hashtag_body("golden retriever"), "goldenretriever");
  EXPECT_EQ(hashtag_body("Café Crème"), "cafecreme");
  EXPECT_EQ(hashtag_body("Straße"), "strasse");
  EXPECT_EQ(hashtag_body("rock'n'roll!"), "rocknroll");
  EXPECT_EQ(hashtag_body("東京"), "");
  EXPECT_EQ(hashtag_body("2024"), "");
  EXPECT_EQ(hashtag_body("self_care"), "self_care");
}

}  // namespace
}  // namespace reelgen::captions::detail
