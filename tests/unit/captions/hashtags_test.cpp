#include "captions/hashtags.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST(Hashtags, GermanDativePluralTagsTakeThePlural) {
  const std::set<std::string, std::less<>> words{"berge", "garten", "kinder"};
  const auto known = [&](std::string_view w) { return words.contains(w); };
  EXPECT_EQ(without_dative_n("bergen", known), "berge");
  EXPECT_EQ(without_dative_n("kindern", known), "kinder");
  EXPECT_EQ(without_dative_n("garten", known), "garten") << "a known word keeps its n";
  EXPECT_EQ(without_dative_n("freunden", known), "freunden") << "nothing known either way";
}

}  // namespace
}  // namespace reelgen::captions::detail
