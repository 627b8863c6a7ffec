#include <gtest/gtest.h>

#include "video/catalog.hpp"
#include "video/video.hpp"

namespace reelgen::video {
namespace {

bool has_field(const core::Error& e, std::string_view field, std::string_view rule) {
  for (const auto& f : e.fields) {
    if (f.field == field && f.rule == rule) return true;
  }
  return false;
}

TEST(Validate, AcceptsADefaultRequest) {
  RenderRequest r;
  r.script = "Hello";
  EXPECT_TRUE(validate(r).has_value());
}

TEST(Validate, NamesEveryBrokenField) {
  RenderRequest r;
  r.script = "  ";
  r.avatar_id = "nobody";
  r.language = "xx";
  r.speed = 3;
  auto v = validate(r);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, core::ErrorCode::invalid_argument);
  EXPECT_TRUE(has_field(v.error(), "script", "required"));
  EXPECT_TRUE(has_field(v.error(), "avatar_id", "one_of"));
  EXPECT_TRUE(has_field(v.error(), "language", "one_of"));
  EXPECT_TRUE(has_field(v.error(), "speed", "range"));
  // The message lists the valid values.
  for (const auto& f : v.error().fields) {
    if (f.field == "avatar_id") {
      EXPECT_NE(f.message.find("ava"), std::string::npos);
    }
    if (f.field == "language") {
      EXPECT_NE(f.message.find("es"), std::string::npos);
    }
  }
}

TEST(Validate, ScriptLimitAndVoiceLanguage) {
  RenderRequest r;
  r.script = std::string(5001, 'a');
  EXPECT_TRUE(has_field(validate(r).error(), "script", "max_length"));
  r.script = "Hola";
  r.language = "es";
  r.voice_id = "kal";
  EXPECT_TRUE(has_field(validate(r).error(), "voice_id", "language"));
  r.voice_id = "es-f";
  EXPECT_TRUE(validate(r).has_value());
}

TEST(Catalog, HasAvatarsVoicesAndPreviews) {
  EXPECT_GE(catalog().avatars.size(), 4u);
  for (const auto& a : catalog().avatars) {
    EXPECT_NE(find_voice(a.default_voice), nullptr) << a.id;
    auto png = avatar_preview_png(a.id, 128);
    ASSERT_TRUE(png.has_value());
    EXPECT_EQ(png->substr(1, 3), "PNG");
  }
  for (const char* lang : {"en", "es", "fr", "de", "it", "pt"}) EXPECT_NE(default_voice_for(lang), nullptr);
}

TEST(Options, ParsesNamesAndSizes) {
  EXPECT_EQ(*parse_aspect("9:16"), Aspect::portrait);
  EXPECT_FALSE(parse_aspect("4:3").has_value());
  const auto s = frame_size(Resolution::p720, Aspect::portrait);
  EXPECT_EQ(s.width, 720);
  EXPECT_EQ(s.height, 1280);
  EXPECT_EQ(frame_size(Resolution::p1080, Aspect::landscape).width, 1920);
}

}  // namespace
}  // namespace reelgen::video
