#include "api/caption_dto.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace reelgen::api {
namespace {

std::set<std::string> failing_fields(std::string_view body) {
  auto r = parse_caption_request(body);
  EXPECT_FALSE(r);
  std::set<std::string> fields;
  if (!r) {
    EXPECT_EQ(r.error().code, core::ErrorCode::invalid_argument);
    for (const auto& f : r.error().fields) fields.insert(f.field + ":" + f.rule);
  }
  return fields;
}

TEST(CaptionDto, DefaultsFollowTheBrief) {
  auto r =
      parse_caption_request(R"({"content_description":"  Beautiful   sunset over the ocean "})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->content_description, "Beautiful sunset over the ocean");
  EXPECT_EQ(r->style, captions::Style::casual);
  EXPECT_EQ(r->hashtag_count, 15);
  EXPECT_EQ(r->optimization_level, captions::OptimizationLevel::balanced);
  EXPECT_EQ(r->language, "en");
  EXPECT_EQ(r->variants, 1);
  EXPECT_EQ(r->length, captions::Length::medium);
  EXPECT_EQ(r->emoji, captions::EmojiDensity::automatic);
  EXPECT_TRUE(r->cta);
}

TEST(CaptionDto, ReadsLengthEmojiCtaAndEveryLanguage) {
  auto r = parse_caption_request(R"({"content_description":"Atardecer en la playa","language":"es",
    "length":"short","emoji":"none","cta":false})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->language, "es");
  EXPECT_EQ(r->length, captions::Length::short_);
  EXPECT_EQ(r->emoji, captions::EmojiDensity::none);
  EXPECT_FALSE(r->cta);
  for (std::string_view lang : {"en", "es", "fr", "de", "it", "pt"}) {
    auto ok = parse_caption_request(R"({"content_description":"hello world","language":")" +
                                    std::string(lang) + "\"}");
    ASSERT_TRUE(ok) << lang;
    EXPECT_EQ(ok->language, lang);
  }
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","length":"huge"})"),
            std::set<std::string>{"length:enum"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","emoji":"lots"})"),
            std::set<std::string>{"emoji:enum"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","cta":"yes"})"),
            std::set<std::string>{"cta:type"});
}

TEST(CaptionDto, FragmentCarriesNicheAndControls) {
  captions::CaptionRequest request;
  request.length = captions::Length::long_;
  request.emoji = captions::EmojiDensity::many;
  request.cta = false;
  captions::CaptionResult result;
  result.caption.text = "Sunset";
  result.caption.niche = "nature";
  result.caption.niche_confidence = 0.75;
  auto doc = boost::json::parse("{" + render_caption_fragment(request, result) + "}").as_object();
  EXPECT_EQ(doc["niche"].as_string(), "nature");
  EXPECT_DOUBLE_EQ(doc["niche_confidence"].as_double(), 0.75);
  EXPECT_EQ(doc["length"].as_string(), "long");
  EXPECT_EQ(doc["emoji"].as_string(), "many");
  EXPECT_FALSE(doc["cta"].as_bool());
}

TEST(CaptionDto, ReadsEveryField) {
  auto r = parse_caption_request(R"({"content_description":"Fresh sourdough bread","style":"luxury",
    "hashtag_count":0,"optimization_level":"quality","language":"en","audience":"home bakers",
    "content_type":"reel","keywords":["crust"],"brand_voice":"warm, witty","variants":3,"seed":42,
    "client_id":"abc"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->style, captions::Style::luxury);
  EXPECT_EQ(r->hashtag_count, 0);
  EXPECT_EQ(r->content_type, captions::ContentType::reel);
  EXPECT_EQ(r->keywords, std::vector<std::string>{"crust"});
  EXPECT_EQ(r->variants, 3);
  EXPECT_EQ(r->seed, 42u);
}

TEST(CaptionDto, EachRuleNamesItsField) {
  EXPECT_EQ(failing_fields(R"({})"), std::set<std::string>{"content_description:required"});
  EXPECT_EQ(failing_fields(R"({"content_description":"abc"})"),
            std::set<std::string>{"content_description:min_length"});
  EXPECT_EQ(failing_fields(R"({"content_description":5})"),
            std::set<std::string>{"content_description:type"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","style":"grumpy"})"),
            std::set<std::string>{"style:enum"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","hashtag_count":31})"),
            std::set<std::string>{"hashtag_count:maximum"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","hashtag_count":"5"})"),
            std::set<std::string>{"hashtag_count:type"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","variants":0})"),
            std::set<std::string>{"variants:minimum"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","language":"xx"})"),
            std::set<std::string>{"language:enum"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","keywords":["a",3]})"),
            std::set<std::string>{"keywords[1]:type"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","colour":"red"})"),
            std::set<std::string>{"colour:unknown_field"});
  EXPECT_EQ(failing_fields(R"({"content_description":"hello world","seed":-1})"),
            std::set<std::string>{"seed:minimum"});
}

TEST(CaptionDto, TooLongDescriptionAndTooManyKeywords) {
  const std::string long_text(2001, 'a');
  EXPECT_EQ(failing_fields(R"({"content_description":")" + long_text + "\"}"),
            std::set<std::string>{"content_description:max_length"});
  std::string many = R"({"content_description":"hello world","keywords":[)";
  for (int i = 0; i < 21; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\"";
  many += "]}";
  EXPECT_EQ(failing_fields(many), std::set<std::string>{"keywords:max_items"});
}

TEST(CaptionDto, MalformedBodiesAreNotFieldErrors) {
  EXPECT_EQ(parse_caption_request("{").error().code, core::ErrorCode::malformed);
  EXPECT_EQ(parse_caption_request("[1]").error().code, core::ErrorCode::malformed);
  EXPECT_EQ(parse_caption_request("{\"content_description\":\"\xC3\x28 bad\"}").error().code,
            core::ErrorCode::malformed);
}

TEST(CaptionDto, ResponseSplicesTheCachedFragment) {
  captions::CaptionRequest request;
  captions::CaptionResult result;
  result.caption.text = "Golden hour \"magic\"";
  result.caption.hashtags = {"#sunset"};
  result.caption.emojis = {"\xF0\x9F\x8C\x85"};
  const std::string fragment = render_caption_fragment(request, result);
  const std::string body =
      render_caption_response("req1", fragment, 0.25, {true, "llm:qwen", true});
  auto doc = boost::json::parse(body).as_object();
  EXPECT_EQ(doc["request_id"].as_string(), "req1");
  EXPECT_EQ(doc["caption"].as_string(), "Golden hour \"magic\"");
  EXPECT_EQ(doc["hashtags"].as_array().size(), 1u);
  EXPECT_EQ(doc["api_version"].as_string(), "14.0");
  EXPECT_EQ(doc["style"].as_string(), "casual");
  auto metrics = doc["performance_metrics"].as_object();
  EXPECT_DOUBLE_EQ(metrics["processing_time"].as_double(), 0.25);
  EXPECT_TRUE(metrics["cache_hit"].as_bool());
  EXPECT_EQ(metrics["provider"].as_string(), "llm:qwen");
  EXPECT_TRUE(metrics["fallback"].as_bool());
  EXPECT_FALSE(doc.contains("variants"));
}

}  // namespace
}  // namespace reelgen::api
