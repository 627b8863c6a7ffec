#include "video/text_normalizer.hpp"

#include <gtest/gtest.h>

namespace reelgen::video::detail {
namespace {

std::string spoken(std::string_view script, std::string_view language = "en") {
  std::vector<std::size_t> map;
  return spoken_text(normalize_text(script, language), map);
}

TEST(TextNormalizer, SpellsOutNumbers) {
  EXPECT_EQ(number_to_words(0), "zero");
  EXPECT_EQ(number_to_words(23), "twenty three");
  EXPECT_EQ(number_to_words(105), "one hundred five");
  EXPECT_EQ(number_to_words(1'000'001), "one million one");
  EXPECT_EQ(spoken("I have 3 cats."), "I have three cats.");
  EXPECT_EQ(spoken("It costs $20, or 50%."), "It costs twenty dollars, or fifty percent.");
  EXPECT_EQ(spoken("Born in 1999"), "Born in nineteen ninety nine");
  EXPECT_EQ(spoken("Pi is 3.14"), "Pi is three point one four");
}

TEST(TextNormalizer, ExpandsAbbreviations) {
  EXPECT_EQ(spoken("Dr. Smith lives on Main St."), "doctor Smith lives on Main street");
  EXPECT_EQ(spoken("Apples, pears, etc."), "Apples, pears, et cetera");
}

TEST(TextNormalizer, EmojiAndUrlsAreShownNotRead) {
  const auto tokens = normalize_text("Visit https://example.com now 🚀 great🔥", "en");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[1].display, "https://example.com");
  EXPECT_EQ(tokens[1].spoken, "");
  EXPECT_EQ(tokens[3].display, "🚀");
  EXPECT_EQ(tokens[3].spoken, "");
  EXPECT_EQ(tokens[4].display, "great🔥");
  EXPECT_EQ(tokens[4].spoken, "great");
  EXPECT_EQ(spoken("Visit https://example.com now 🚀 great🔥"), "Visit now great");
}

TEST(TextNormalizer, HashtagsUrlsAndEmojiAreNeverSpoken) {
  EXPECT_EQ(spoken("Three calm mornings ☀️ #MorningRoutine #selfcare, www.calm.day and "
                   "me@calm.day 🙌"),
            "Three calm mornings and");
  EXPECT_EQ(spoken("Tips #2024goals #tips."), "Tips");
  EXPECT_EQ(spoken("Mañana #café", "es"), "Mañana");
  // A number sign before digits is a number, not a tag.
  EXPECT_EQ(spoken("We are #1 today"), "We are number one today");
  const auto tokens = normalize_text("Go #tips", "en");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].display, "#tips");
  EXPECT_EQ(tokens[1].spoken, "");
}

TEST(TextNormalizer, MapsSpokenWordsBackToTokens) {
  std::vector<std::size_t> map;
  const auto text = spoken_text(normalize_text("I am 21 today", "en"), map);
  EXPECT_EQ(text, "I am twenty one today");
  EXPECT_EQ(map, (std::vector<std::size_t>{0, 1, 2, 2, 3}));
}

TEST(TextNormalizer, LeavesOtherLanguagesToTheirEngine) {
  EXPECT_EQ(spoken("Tengo 3 gatos.", "es"), "Tengo 3 gatos.");
  EXPECT_TRUE(normalize_text("Hola. Adiós", "es")[0].sentence_end);
}

}  // namespace
}  // namespace reelgen::video::detail
