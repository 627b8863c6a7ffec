#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "captions/engine.hpp"
#include "captions/evaluation.hpp"
#include "core/utf8.hpp"
#include "test_engine.hpp"

namespace reelgen::captions {
namespace {

using testing::generate;

CaptionRequest request(std::string description, Style style = Style::casual) {
  CaptionRequest r;
  r.content_description = std::move(description);
  r.style = style;
  return r;
}

bool has_tag(const Caption& c, std::string_view tag) {
  return std::find(c.hashtags.begin(), c.hashtags.end(), tag) != c.hashtags.end();
}

std::size_t paragraphs(const std::string& text) {
  std::size_t n = 1;
  for (std::size_t p = text.find("\n\n"); p != std::string::npos; p = text.find("\n\n", p + 2)) ++n;
  return n;
}

TEST(Controls, ShortStaysWithinEightyCharacters) {
  for (std::string_view d :
       {"My golden retriever puppy playing in the snow",
        "Homemade sourdough bread fresh out of the oven with a crispy crust",
        "Launching our new minimalist leather wallet collection this Friday"}) {
    for (std::size_t s = 0; s < kStyleNames.size(); ++s) {
      CaptionRequest r = request(std::string(d), static_cast<Style>(s));
      r.length = Length::short_;
      r.variants = 3;
      CaptionResult result = generate(r);
      EXPECT_LE(core::utf8_length(result.caption.text), kShortCaptionChars) << result.caption.text;
      for (const Caption& v : result.variants) {
        EXPECT_LE(core::utf8_length(v.text), kShortCaptionChars) << v.text;
      }
    }
  }
}

TEST(Controls, LongWritesMoreThanMedium) {
  std::size_t medium = 0, longer = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    CaptionRequest r = request("Cozy coffee shop corner with a good book");
    r.seed = seed;
    medium += generate(r).caption.text.size();
    r.length = Length::long_;
    const Caption c = generate(r).caption;
    longer += c.text.size();
    EXPECT_LE(core::utf8_length(c.text), kMaxCaptionChars);
  }
  // A long caption carries a second paragraph after the description.
  EXPECT_GT(longer, medium + 10 * 30);
}

TEST(Controls, EmojiDensity) {
  CaptionRequest r = request("Beautiful sunset over the ocean");
  r.emoji = EmojiDensity::none;
  EXPECT_TRUE(generate(r).caption.emojis.empty());
  r.emoji = EmojiDensity::few;
  EXPECT_EQ(generate(r).caption.emojis.size(), 1u);
  r.emoji = EmojiDensity::many;
  std::size_t many = generate(r).caption.emojis.size();
  r.emoji = EmojiDensity::automatic;
  EXPECT_GT(many, generate(r).caption.emojis.size());
}

TEST(Controls, CtaCanBeTurnedOff) {
  CaptionRequest r = request("Beautiful sunset over the ocean");
  r.content_type = ContentType::post;
  EXPECT_EQ(paragraphs(generate(r).caption.text), 3u);
  r.cta = false;
  EXPECT_EQ(paragraphs(generate(r).caption.text), 2u);
}

TEST(Hashtags, NicheTagsFollowTheDescription) {
  CaptionRequest dog = request("My golden retriever puppy playing in the snow");
  dog.hashtag_count = 30;
  const Caption d = generate(dog).caption;
  EXPECT_EQ(d.niche, "pets");
  EXPECT_TRUE(has_tag(d, "#dogsofinstagram"));
  EXPECT_FALSE(has_tag(d, "#catsofinstagram"));
  CaptionRequest cat = request("Sleepy kitten curled up on a blanket");
  cat.hashtag_count = 30;
  const Caption c = generate(cat).caption;
  EXPECT_TRUE(has_tag(c, "#catsofinstagram"));
  EXPECT_FALSE(has_tag(c, "#dogsofinstagram"));
}

TEST(Hashtags, NoWordNetSynonymsOrHypernyms) {
  CaptionRequest r = request("Fresh coffee on a rainy morning");
  r.hashtag_count = 30;
  const Caption c = generate(r).caption;
  EXPECT_TRUE(has_tag(c, "#coffee"));
  for (std::string_view relative : {"#beverage", "#drink", "#java", "#morn", "#forenoon"}) {
    EXPECT_FALSE(has_tag(c, relative)) << relative;
  }
  CaptionRequest leg = request("Leg day at the gym");
  leg.hashtag_count = 30;
  const Caption l = generate(leg).caption;
  EXPECT_FALSE(has_tag(l, "#limb")) << "a hypernym of leg";
}

TEST(Grammar, NamesAndMassNounsTakeNoArticle) {
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    CaptionRequest r = request("Exploring Lisbon with friends", static_cast<Style>(seed % 9));
    r.seed = seed;
    const std::string text = generate(r).caption.text;
    for (std::string_view bad :
         {"this Lisbon", "the Lisbon", "a Lisbon", "This Lisbon", "The Lisbon"}) {
      EXPECT_EQ(text.find(bad), std::string::npos) << text;
    }
    CaptionRequest m = request("Hot coffee on a rainy morning", static_cast<Style>(seed % 9));
    m.seed = seed;
    const std::string mass = generate(m).caption.text;
    for (std::string_view bad : {" a coffee", " a hot coffee", "A coffee", "A hot coffee",
                                 " a cozy coffee", " an easy coffee"}) {
      EXPECT_EQ(mass.find(bad), std::string::npos) << mass;
    }
  }
}

TEST(Grammar, EducationalLinesFitTheNiche) {
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    CaptionRequest r = request("My golden retriever puppy playing in the snow", Style::educational);
    r.seed = seed;
    const std::string text = generate(r).caption.text;
    EXPECT_EQ(text.find("break down"), std::string::npos) << text;
  }
}

TEST(Steering, BrandVoicePrefersItsLines) {
  auto witty_hooks = [](std::string_view voice) {
    int hits = 0;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
      CaptionRequest r = request("Fresh bagels from the corner bakery");
      r.brand_voice = std::string(voice);
      r.seed = seed;
      const std::string text = generate(r).caption.text;
      for (std::string_view hook : {"Not gonna lie", "Okay, can we talk"}) {
        if (text.find(hook) != std::string::npos) ++hits;
      }
    }
    return hits;
  };
  EXPECT_EQ(witty_hooks(""), 0) << "voice lines only for a voice that asks";
  EXPECT_GT(witty_hooks("witty and bold"), 5);
}

TEST(Steering, FormalAudienceSkipsCasualLines) {
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    CaptionRequest r = request("Fresh bagels from the corner bakery");
    r.audience = "corporate clients";
    r.style = Style::professional;
    r.seed = seed;
    const std::string text = generate(r).caption.text;
    EXPECT_EQ(text.find("Not gonna lie"), std::string::npos);
    EXPECT_EQ(text.find("Tell me I'm not the only one"), std::string::npos);
  }
}

TEST(Niche, ConfidenceIsReported) {
  const Caption clear = generate(request("Yoga and meditation at sunrise")).caption;
  EXPECT_EQ(clear.niche, "wellness");
  EXPECT_GT(clear.niche_confidence, 0.5);
  const Caption vague = generate(request("Thinking about stuff again")).caption;
  EXPECT_EQ(vague.niche, "lifestyle");
  EXPECT_EQ(vague.niche_confidence, 0.0);
  // WordNet's lexicographer files catch foods no trigger names.
  EXPECT_EQ(generate(request("Warm croissant with jam")).caption.niche, "food");
}

TEST(Evaluation, ParsesCasesAndFindsViolations) {
  auto cases = parse_eval_cases(
      "# comment\n{\"description\":\"Beautiful sunset over the ocean\",\"niche\":\"nature\"}\n\n"
      "{\"description\":\"Atardecer en la playa\",\"language\":\"es\",\"topics\":[\"sol\"]}\n");
  ASSERT_TRUE(cases) << cases.error().message;
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[1].language, "es");
  EXPECT_EQ((*cases)[1].topics, std::vector<std::string>{"sol"});
  EXPECT_FALSE(parse_eval_cases("{\"description\":\"abc\"}\n"));
  EXPECT_FALSE(parse_eval_cases("{\"description\":\"hello world\",\"language\":\"xx\"}\n"));
  EXPECT_FALSE(parse_eval_cases("not json\n"));

  Caption c;
  c.text = "Just me and a {subject}.";
  EXPECT_NE(caption_violation(c, "en"), "");
  c.text = "Just me and a apple.";
  EXPECT_EQ(caption_violation(c, "en"), "a/an");
  c.text = "Una oda a el mar.";
  EXPECT_EQ(caption_violation(c, "es"), "contraction");
  c.text = "Une ode à le océan.";
  EXPECT_NE(caption_violation(c, "fr"), "");
  c.text = "Just me and the the ocean.";
  EXPECT_NE(caption_violation(c, "en"), "");
  c.text = "Just me and an apple.";
  c.hashtags = {"#instagood"};
  EXPECT_NE(caption_violation(c, "en"), "");
  c.hashtags = {"#montaña", "#ocean"};
  EXPECT_EQ(caption_violation(c, "en"), "");

  auto provider = make_builtin_provider();
  ASSERT_TRUE(provider);
  EvalReport report = evaluate(**provider, *cases);
  EXPECT_EQ(report.descriptions, 2u);
  EXPECT_EQ(report.captions, 2u * kStyleNames.size() * 2);
  EXPECT_EQ(report.violations, 0u) << render_eval_text(report);
  EXPECT_EQ(report.duplicate_hashtags, 0u);
  EXPECT_GT(report.relevance(), 0.5);
  EXPECT_DOUBLE_EQ(report.length_compliance(), 1.0);
  EXPECT_NE(render_eval_json(report).find("\"relevance\""), std::string::npos);
}

}  // namespace
}  // namespace reelgen::captions
