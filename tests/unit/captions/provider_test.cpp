#include "captions/provider.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "captions/engine.hpp"
#include "captions/surface.hpp"
#include "core/utf8.hpp"
#include "test_engine.hpp"

namespace reelgen::captions {
namespace {

using ::testing::Contains;

CaptionRequest request(std::string description, Style style = Style::casual) {
  CaptionRequest r;
  r.content_description = std::move(description);
  r.style = style;
  return r;
}

using testing::generate;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every property a caption must have whatever the request.
void expect_well_formed(const Caption& c, const CaptionRequest& r) {
  SCOPED_TRACE(c.text);
  EXPECT_FALSE(c.text.empty());
  EXPECT_EQ(c.text.find('{'), std::string::npos);
  EXPECT_EQ(c.text.find('}'), std::string::npos);
  EXPECT_EQ(c.text.find("  "), std::string::npos);
  EXPECT_EQ(c.text.find(" ."), std::string::npos);
  EXPECT_EQ(c.text.find(" ,"), std::string::npos);
  EXPECT_TRUE(std::isupper(static_cast<unsigned char>(c.text[0])));

  EXPECT_LE(static_cast<int>(c.hashtags.size()), r.hashtag_count);
  std::set<std::string> seen;
  const auto& banned = testing::engine().banned_hashtags();
  for (const std::string& tag : c.hashtags) {
    ASSERT_GE(tag.size(), 2u);
    EXPECT_EQ(tag[0], '#');
    for (char ch : tag.substr(1)) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') << tag;
    }
    EXPECT_TRUE(seen.insert(lower(tag)).second) << "duplicate " << tag;
    EXPECT_FALSE(banned.contains(lower(tag.substr(1)))) << "banned " << tag;
  }
  std::size_t block = core::utf8_length(c.text);
  if (!c.hashtags.empty()) {
    block += 2;
    for (const auto& tag : c.hashtags) block += tag.size() + 1;
    block -= 1;
  }
  EXPECT_LE(block, kMaxCaptionChars);

  for (const std::string& keyword : r.keywords) {
    EXPECT_NE(lower(c.text).find(lower(keyword)), std::string::npos) << keyword;
  }
  for (const std::string& e : c.emojis) EXPECT_NE(c.text.find(e), std::string::npos) << e;

  for (double s : {c.quality_score, c.engagement_score, c.readability_score}) {
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 100.0);
  }
  EXPECT_THAT((std::vector<std::string>{"positive", "neutral", "negative"}), Contains(c.sentiment));
  EXPECT_FALSE(c.tone.empty());
  EXPECT_GT(c.word_count, 0);
  EXPECT_EQ(c.character_count, static_cast<int>(core::utf8_length(c.text)));
}

TEST(BuiltinProvider, LoadsWithName) {
  auto provider = make_builtin_provider();
  ASSERT_TRUE(provider.has_value()) << provider.error().message;
  EXPECT_EQ((*provider)->name(), "builtin");
}

TEST(BuiltinProvider, SameRequestAndSeedGiveSameCaption) {
  CaptionRequest r = request("Beautiful sunset over the ocean");
  r.seed = 42;
  r.optimization_level = OptimizationLevel::quality;
  Caption a = generate(r).caption;
  Caption b = generate(r).caption;
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.hashtags, b.hashtags);
  EXPECT_EQ(a.quality_score, b.quality_score);
}

TEST(BuiltinProvider, OtherSeedsUsuallyGiveOtherCaptions) {
  CaptionRequest r = request("Beautiful sunset over the ocean");
  std::set<std::string> texts;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    r.seed = seed;
    texts.insert(generate(r).caption.text);
  }
  EXPECT_GE(texts.size(), 6u);
}

TEST(BuiltinProvider, StylesSoundDifferent) {
  std::set<std::string> texts;
  for (std::size_t s = 0; s < kStyleNames.size(); ++s) {
    CaptionRequest r = request("Beautiful sunset over the ocean", static_cast<Style>(s));
    Caption c = generate(r).caption;
    expect_well_formed(c, r);
    texts.insert(c.text);
  }
  EXPECT_EQ(texts.size(), kStyleNames.size());
}

// CLDR files the play/pause button under "play"; a caption about playing never gets it.
TEST(BuiltinProvider, PlayingGetsNoMediaControlEmoji) {
  for (Style style : {Style::playful, Style::casual}) {
    Caption c = generate(request("My golden retriever puppy playing in the snow", style)).caption;
    for (const std::string& e : c.emojis) {
      EXPECT_EQ(e.find("\u23EF"), std::string::npos) << e;
      EXPECT_EQ(e.find("\u25B6"), std::string::npos) << e;
    }
    EXPECT_EQ(c.text.find("\u23EF"), std::string::npos) << c.text;
  }
}

TEST(BuiltinProvider, SunsetGetsSunsetEmojiAndTags) {
  CaptionRequest r = request("Beautiful sunset over the ocean", Style::playful);
  Caption c = generate(r).caption;
  EXPECT_THAT(c.emojis, Contains("🌅"));
  ASSERT_GE(c.hashtags.size(), 2u);
  EXPECT_EQ(c.hashtags[0], "#sunset");
  EXPECT_NE(c.text.find("sunset"), std::string::npos);
}

TEST(BuiltinProvider, CollocationsBecomeCompoundHashtags) {
  CaptionRequest r = request("My golden retriever playing in the snow");
  Caption c = generate(r).caption;
  EXPECT_THAT(c.hashtags, Contains("#goldenretriever"));
  EXPECT_THAT(c.hashtags, ::testing::Not(Contains("#golden")));
  expect_well_formed(c, r);
}

TEST(BuiltinProvider, KeywordsAlwaysAppear) {
  CaptionRequest r = request("Fresh pasta night with the family", Style::professional);
  r.keywords = {"handmade", "Sunday dinner", "nonna's recipe"};
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    r.seed = seed;
    expect_well_formed(generate(r).caption, r);
  }
}

// Up to hashtag_count, fewer when fewer are relevant: never padded with filler.
TEST(BuiltinProvider, HashtagCountIsAnUpperBound) {
  CaptionRequest r = request("Leg day at the gym: squats, deadlifts and a sweaty cardio finisher",
                             Style::inspirational);
  std::size_t at_fifteen = 0;
  for (int count : {0, 1, 5, 15, 30}) {
    r.hashtag_count = count;
    Caption c = generate(r).caption;
    expect_well_formed(c, r);
    if (count == 0) {
      EXPECT_TRUE(c.hashtags.empty());
    } else if (count == 1) {
      EXPECT_EQ(c.hashtags.size(), 1u);
    } else if (count == 5) {
      EXPECT_LE(c.hashtags.size(), 5u);
    } else if (count == 15) {
      at_fifteen = c.hashtags.size();
    } else {
      EXPECT_EQ(c.hashtags.size(), at_fifteen) << "no padding past the relevant";
    }
    for (const std::string& tag : c.hashtags) {
      for (std::string_view filler : {"#viral", "#explore", "#reels", "#fyp", "#trending"}) {
        EXPECT_NE(tag, filler);
      }
    }
  }
  EXPECT_GE(at_fifteen, 3u);
  r.generic_hashtags = true;
  r.hashtag_count = 30;
  EXPECT_GT(generate(r).caption.hashtags.size(), at_fifteen) << "generic tags only when asked";
}

TEST(BuiltinProvider, OneWordIsNotEnoughForANichesGeneralTags) {
  // "class" points to education and "patio" to home, but a spin class is fitness and a patio
  // that opens at 4 pm a restaurant's: #education or #homedecor would be wrong.
  for (const char* text : {"Spin class with coach Dani, 6 am crew",
                           "Let people know our patio opens May 1, 4-10 pm"}) {
    CaptionRequest r = request(text);
    r.hashtag_count = 15;
    const Caption c = generate(r).caption;
    for (const char* general : {"#education", "#learning", "#homedecor", "#interiordesign"}) {
      EXPECT_THAT(c.hashtags, ::testing::Not(Contains(general))) << text;
    }
  }
  // Two words of the niche make it clear: a gym post gets the niche's general tags.
  CaptionRequest gym = request("Gym workout today: strength training and cardio");
  gym.hashtag_count = 15;
  EXPECT_GE(generate(gym).caption.hashtags.size(), 3u);
}

TEST(BuiltinProvider, BannedTagsNeverAppear) {
  CaptionRequest r = request("Instagram follow like photo");
  r.keywords = {"instagood", "follow"};
  r.hashtag_count = 30;
  Caption c = generate(r).caption;
  EXPECT_THAT(c.hashtags, ::testing::Not(Contains("#instagood")));
  EXPECT_THAT(c.hashtags, ::testing::Not(Contains("#follow")));
  EXPECT_THAT(c.hashtags, ::testing::Not(Contains("#instagram")));
  expect_well_formed(c, r);
}

TEST(BuiltinProvider, VariantsDifferFromEachOther) {
  CaptionRequest r = request("Homemade pizza with fresh basil", Style::storytelling);
  r.variants = 5;
  CaptionResult result = generate(r);
  ASSERT_EQ(result.variants.size(), 4u);
  std::set<std::string> texts{result.caption.text};
  for (const Caption& v : result.variants) {
    expect_well_formed(v, r);
    texts.insert(v.text);
  }
  EXPECT_EQ(texts.size(), 5u);
}

TEST(BuiltinProvider, StoryIsShorterThanPost) {
  CaptionRequest r = request("Cozy coffee shop morning with a good book");
  r.content_type = ContentType::post;
  Caption post = generate(r).caption;
  r.content_type = ContentType::story;
  Caption story = generate(r).caption;
  expect_well_formed(story, r);
  EXPECT_LT(story.character_count, post.character_count);
  EXPECT_LE(story.character_count, 130);
}

TEST(BuiltinProvider, CarouselInvitesToSwipe) {
  CaptionRequest r = request("Ten outfits for a week in Paris", Style::casual);
  r.content_type = ContentType::carousel;
  Caption c = generate(r).caption;
  expect_well_formed(c, r);
  EXPECT_NE(lower(c.text).find("swip"), std::string::npos);
}

TEST(BuiltinProvider, ReelStartsWithHookAndStaysShort) {
  CaptionRequest r = request("Quick pasta recipe in ten minutes", Style::educational);
  r.content_type = ContentType::reel;
  Caption reel = generate(r).caption;
  expect_well_formed(reel, r);
  EXPECT_EQ(reel.text.find("\n"), std::string::npos);
  EXPECT_LE(reel.character_count, 260);
}

TEST(BuiltinProvider, EmojiDensityFollowsStyle) {
  Caption playful = generate(request("Beautiful sunset over the ocean", Style::playful)).caption;
  Caption luxury = generate(request("Beautiful sunset over the ocean", Style::luxury)).caption;
  EXPECT_GT(playful.emojis.size(), luxury.emojis.size());
  EXPECT_LE(luxury.emojis.size(), 1u);
}

TEST(BuiltinProvider, QualityModeIsAtLeastAsGoodAsOneCandidate) {
  CaptionRequest r = request("Sunrise hike to the mountain lake with my dog");
  double fast = 0, best = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    r.seed = seed;
    r.optimization_level = OptimizationLevel::ultra_fast;
    fast += generate(r).caption.quality_score;
    r.optimization_level = OptimizationLevel::quality;
    best += generate(r).caption.quality_score;
  }
  EXPECT_GE(best, fast);
}

TEST(BuiltinProvider, ArticlesAgreeWithNextWord) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    CaptionRequest r = request("An elegant evening at the opera house", Style::luxury);
    r.seed = seed;
    std::string text = " " + lower(generate(r).caption.text);
    for (std::size_t pos = text.find(" a "); pos != std::string::npos;
         pos = text.find(" a ", pos + 1)) {
      EXPECT_FALSE(detail::takes_an(text.substr(pos + 3))) << text;
    }
    for (std::size_t pos = text.find(" an "); pos != std::string::npos;
         pos = text.find(" an ", pos + 1)) {
      EXPECT_TRUE(detail::takes_an(text.substr(pos + 4))) << text;
    }
  }
}

TEST(BuiltinProvider, LongInputsStayWithinInstagramLimit) {
  std::string description;
  while (description.size() < 1900) description += "Golden hour picnic by the lake with friends. ";
  CaptionRequest r = request(description, Style::storytelling);
  r.hashtag_count = 30;
  for (int i = 0; i < 20; ++i)
    r.keywords.push_back("keyword number " + std::to_string(i) + " about the long lakeside picnic");
  Caption c = generate(r).caption;
  std::size_t block = core::utf8_length(c.text) + 2;
  for (const auto& tag : c.hashtags) block += tag.size() + 1;
  EXPECT_LE(block, kMaxCaptionChars + 1);
  EXPECT_EQ(c.text.find('{'), std::string::npos);
}

TEST(BuiltinProvider, DescriptionWithoutNounsStillWorks) {
  CaptionRequest r = request("So happy and grateful today!!!", Style::inspirational);
  r.variants = 3;
  CaptionResult result = generate(r);
  expect_well_formed(result.caption, r);
  EXPECT_EQ(result.caption.sentiment, "positive");
}

}  // namespace
}  // namespace reelgen::captions
