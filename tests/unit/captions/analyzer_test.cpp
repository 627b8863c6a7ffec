#include "captions/analyzer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_engine.hpp"

namespace reelgen::captions::detail {
namespace {

using ::testing::Contains;
using ::testing::Not;

Analysis analyze(std::string_view text) {
  return testing::engine().analyzer().analyze(text, {}, "");
}

bool has_phrase(const Analysis& a, std::string_view head) {
  for (const NounPhrase& p : a.noun_phrases) {
    if (p.head == head) return true;
  }
  return false;
}

TEST(Analyzer, FindsNounsAdjectivesAndPhrases) {
  Analysis a = analyze("Beautiful sunset over the ocean");
  EXPECT_THAT(a.nouns, Contains("sunset"));
  EXPECT_THAT(a.nouns, Contains("ocean"));
  EXPECT_THAT(a.adjectives, Contains("beautiful"));
  EXPECT_THAT(a.nouns, Not(Contains("over")));
  ASSERT_FALSE(a.noun_phrases.empty());
  EXPECT_EQ(a.noun_phrases[0].head, "sunset");
  EXPECT_EQ(a.noun_phrases[0].modifier, "beautiful");
  EXPECT_EQ(a.keywords.front(), "sunset");
}

TEST(Analyzer, JoinsWordNetCollocations) {
  Analysis a = analyze("My golden retriever playing in the snow");
  EXPECT_THAT(a.nouns, Contains("golden retriever"));
  EXPECT_THAT(a.nouns, Contains("snow"));
  EXPECT_TRUE(has_phrase(a, "golden retriever"));
  bool compound = false;
  for (const Term& t : a.terms)
    compound = compound || (t.compound && t.lemma == "golden_retriever");
  EXPECT_TRUE(compound);
  // "playing" after a noun is what the dog does, not a thing.
  EXPECT_THAT(a.nouns, Not(Contains("playing")));
}

TEST(Analyzer, SingularizesPlurals) {
  Analysis a = analyze("Two puppies and three geese near the boxes");
  EXPECT_THAT(a.nouns, Contains("puppy"));
  EXPECT_THAT(a.nouns, Contains("goose"));
  EXPECT_THAT(a.nouns, Contains("box"));
}

TEST(Analyzer, AdjacentNounsFormOnePhrase) {
  Analysis a = analyze("Cozy coffee shop morning");
  ASSERT_FALSE(a.noun_phrases.empty());
  EXPECT_NE(a.noun_phrases[0].head.find("coffee shop"), std::string::npos);
  EXPECT_EQ(a.noun_phrases[0].modifier, "cozy");
}

TEST(Analyzer, HandlesUtf8AndEmojiInText) {
  Analysis a = analyze("Café crème at the beach 🌅 with friends!");
  EXPECT_THAT(a.nouns, Contains("beach"));
  EXPECT_THAT(a.nouns, Contains("friend"));
  bool has_cafe = false;
  for (const Term& t : a.terms) has_cafe = has_cafe || t.text == "café";
  EXPECT_TRUE(has_cafe);
}

TEST(Analyzer, DetectsNiche) {
  const auto& engine = testing::engine();
  (void)engine;
  Analysis food = analyze("Homemade pizza with fresh basil in my kitchen");
  Analysis pets = analyze("My golden retriever playing in the snow");
  EXPECT_NE(food.niche, pets.niche);
}

std::string_view niche_of(std::string_view text) {
  return testing::engine().niches().at(analyze(text).niche).name;
}

// None of these nouns is a trigger word in niches.txt: WordNet's hypernyms place them.
TEST(Analyzer, PlacesNounsThroughWordNetHypernyms) {
  EXPECT_EQ(niche_of("A steaming bowl of gnocchi"), "food");      // gnocchi < dish < food
  EXPECT_EQ(niche_of("Our beagle asleep on the porch"), "pets");  // beagle < hound < dog
  EXPECT_EQ(niche_of("My new hatchback after its first wash"), "cars");
  EXPECT_EQ(niche_of("Cello practice before the recital"), "music");  // < musical_instrument
  EXPECT_EQ(niche_of("A tiny microprocessor on a circuit board"), "tech");
  EXPECT_EQ(niche_of("Glaciers and fjords seen from the ferry"), "nature");
  Analysis a = analyze("A steaming bowl of gnocchi");
  EXPECT_GT(a.niche_confidence, 0.2);
  EXPECT_LT(a.niche_confidence, 1.0);
}

// "plate" is home plate (baseball) in WordNet's first sense, but only in a third of its tagged
// uses: the usual senses together decide.
TEST(Analyzer, WeighsSensesByHowOftenTheyAreUsed) {
  EXPECT_EQ(niche_of("A plate of gnocchi"), "food");
}

TEST(Analyzer, ReadsGerundsAsNouns) {
  EXPECT_EQ(niche_of("A charcoal etching finished after three nights"), "art");  // etching < print
}

TEST(Analyzer, CollocationsSpeakThroughTheirWordsOnlyWhenSilent) {
  EXPECT_EQ(niche_of("Our wedding day under the olive trees"), "wedding");
}

TEST(Analyzer, NothingKnownIsTheFallbackWithNoConfidence) {
  Analysis a = analyze("Qwerty zxcvb blorft");
  EXPECT_EQ(a.niche, testing::engine().niches().fallback());
  EXPECT_EQ(a.niche_confidence, 0.0);
}

TEST(Lexicon, KnowsPartsOfSpeech) {
  const Lexicon& lex = testing::engine().lexicon();
  EXPECT_EQ(lex.lookup("ocean").dominant, Pos::noun);
  EXPECT_EQ(lex.lookup("beautiful").dominant, Pos::adjective);
  EXPECT_EQ(lex.singular("puppies"), "puppy");
  EXPECT_EQ(lex.singular("children"), "child");
  EXPECT_EQ(lex.verb_lemma("running"), "run");
  EXPECT_TRUE(lex.is_noun("ice_cream"));
}

}  // namespace
}  // namespace reelgen::captions::detail
