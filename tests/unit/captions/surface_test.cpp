#include "captions/surface.hpp"

#include <gtest/gtest.h>

namespace reelgen::captions::detail {
namespace {

std::string polished(std::string text) {
  polish(text);
  return text;
}

TEST(Surface, ChoosesArticles) {
  EXPECT_EQ(polished("a ocean view."), "An ocean view.");
  EXPECT_EQ(polished("just an sunset."), "Just a sunset.");
  EXPECT_EQ(polished("an unique moment and a hour."), "A unique moment and an hour.");
  EXPECT_EQ(polished("a honest answer, a euro, an one-off."),
            "An honest answer, a euro, a one-off.");
  EXPECT_TRUE(takes_an("8"));
  EXPECT_FALSE(takes_an("university"));
}

TEST(Surface, FixesSpacingPunctuationAndRepeats) {
  EXPECT_EQ(polished("  hello   world ,it is {subject} great .. "),
            "Hello world, it is subject great.");
  EXPECT_EQ(polished("the the golden golden retriever."), "The golden retriever.");
  EXPECT_EQ(polished("wow! look. nice? yes"), "Wow! Look. Nice? Yes");
}

}  // namespace
}  // namespace reelgen::captions::detail
