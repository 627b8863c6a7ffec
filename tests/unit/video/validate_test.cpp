#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "video/catalog.hpp"
#include "video/loudness.hpp"
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

TEST(Validate, HookIsOneShortLineOfText) {
  RenderRequest r;
  r.script = "Hello.";
  r.hook = "3 habits for calmer mornings ☀️";
  EXPECT_TRUE(validate(r).has_value());
  r.hook = std::string(kMaxHookChars, 'a');
  EXPECT_TRUE(validate(r).has_value());
  r.hook += "a";
  EXPECT_TRUE(has_field(validate(r).error(), "hook", "max_length"));
  for (const char* bad :
       {"two\nlines", "tab\there", "nul\x01", "\u202Eevil", "iso\u2066late", "c1 \u0085"}) {
    r.hook = bad;
    EXPECT_TRUE(has_field(validate(r).error(), "hook", "text")) << bad;
  }
  r.hook = "   ";
  EXPECT_TRUE(has_field(validate(r).error(), "hook", "blank"));
  r.hook = "\xff";
  EXPECT_TRUE(has_field(validate(r).error(), "hook", "utf8"));
  // Joiners and variation selectors are part of emoji, not controls.
  r.hook = "Family time 👨‍👩‍👧 ❤️";
  EXPECT_TRUE(validate(r).has_value());
}

TEST(Validate, PortraitBoxesArePositive) {
  RenderRequest r;
  r.script = "Hello.";
  r.mouth_box = MouthBox{10, 20, 30, 10};
  r.eyes_box = ImageBox{5, 5, 50, 10};
  r.face_box = ImageBox{0, 0, 60, 80};
  EXPECT_TRUE(validate(r).has_value());
  r.eyes_box = ImageBox{5, 5, 0, 10};
  r.face_box = ImageBox{-1, 0, 60, 80};
  const auto e = validate(r).error();
  EXPECT_TRUE(has_field(e, "eyes_box", "positive"));
  EXPECT_TRUE(has_field(e, "face_box", "positive"));
  r = RenderRequest{};
  Scene s;
  s.script = "Hi.";
  s.face_box = ImageBox{0, 0, 0, 0};
  r.scenes = {s};
  EXPECT_TRUE(has_field(validate(r).error(), "scenes[0].face_box", "positive"));
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

TEST(Validate, PauseMarks) {
  RenderRequest r;
  r.script = "Wait for it [pause 0.5s] now [pause 2s] and [pause 500ms] done.";
  EXPECT_TRUE(validate(r).has_value());
  for (const char* script : {"Wait [pause 11s] now", "Wait [pause 10ms] now", "Wait [pause] now",
                             "Wait [pause 1 minute] now", "Wait [pause 1s now"}) {
    r.script = script;
    auto v = validate(r);
    ASSERT_FALSE(v.has_value()) << script;
    EXPECT_EQ(v.error().code, core::ErrorCode::invalid_argument);
    ASSERT_TRUE(has_field(v.error(), "script", "pause")) << script;
    EXPECT_NE(v.error().fields.front().message.find("[pause 500ms]"), std::string::npos);
  }
  r.script = "[pause 1s] [pause 2s]";
  EXPECT_TRUE(has_field(validate(r).error(), "script", "required"));
}

Scene scene(std::string script, std::string avatar = "ava", std::string voice = "") {
  Scene s;
  s.script = std::move(script);
  s.avatar_id = std::move(avatar);
  s.voice_id = std::move(voice);
  return s;
}

TEST(Validate, ScenesReplaceTheTopLevelSpeaker) {
  RenderRequest r;
  r.script = "";           // ignored with scenes
  r.avatar_id = "nobody";  // ignored with scenes
  r.scenes = {scene("Hi, I am Ava."), scene("And I am Leo.", "leo", "rms")};
  r.scenes[1].background = "gradient:#000000:#ffffff";
  EXPECT_TRUE(validate(r).has_value());
}

TEST(Validate, SceneErrorsNameTheScene) {
  RenderRequest r;
  r.scenes = {scene("Fine."), scene("Fine too."), scene("Fine again."),
              scene("Hola", "ava", "kal")};
  r.scenes[3].language = "es";
  r.scenes[1].avatar_id = "nobody";
  r.scenes[2].script = "Bad [pause 30s] mark";
  r.scenes[0].background = "/no/such/image.png";
  r.scenes[2].avatar_id = "portrait";
  r.speed = 9;
  auto v = validate(r);
  ASSERT_FALSE(v.has_value());
  const auto& e = v.error();
  EXPECT_TRUE(has_field(e, "scenes[3].voice_id", "language"));
  EXPECT_TRUE(has_field(e, "scenes[1].avatar_id", "one_of"));
  EXPECT_TRUE(has_field(e, "scenes[2].script", "pause"));
  EXPECT_TRUE(has_field(e, "scenes[2].portrait_path", "required"));
  EXPECT_TRUE(has_field(e, "scenes[0].background", "format"));
  EXPECT_TRUE(has_field(e, "speed", "range"));
  EXPECT_FALSE(has_field(e, "script", "required"));
  EXPECT_EQ(e.fields.size(), 6u);
  EXPECT_EQ(e.message.rfind("scenes[", 0), 0u) << e.message;
}

TEST(Validate, SceneLimits) {
  RenderRequest r;
  r.scenes = {scene(std::string(2600, 'a')), scene(std::string(2600, 'b'))};
  auto v = validate(r);
  ASSERT_FALSE(v.has_value());
  EXPECT_TRUE(has_field(v.error(), "scenes", "max_total_length"));
  r.scenes = {scene(std::string(2500, 'a')), scene(std::string(2500, 'b'))};
  EXPECT_TRUE(validate(r).has_value());
  r.scenes.assign(kMaxScenes, scene("Hi."));
  EXPECT_TRUE(validate(r).has_value());
  r.scenes.push_back(scene("One too many."));
  EXPECT_TRUE(has_field(validate(r).error(), "scenes", "max_items"));
  r.scenes = {scene("  ")};
  EXPECT_TRUE(has_field(validate(r).error(), "scenes[0].script", "required"));
}

TEST(Catalog, HasAvatarsVoicesAndPreviews) {
  EXPECT_GE(catalog().avatars.size(), 4u);
  for (const auto& a : catalog().avatars) {
    EXPECT_NE(find_voice(a.default_voice), nullptr) << a.id;
    auto png = avatar_preview_png(a.id, 128);
    ASSERT_TRUE(png.has_value());
    EXPECT_EQ(png->substr(1, 3), "PNG");
  }
  for (const char* lang : {"en", "es", "fr", "de", "it", "pt"})
    EXPECT_NE(default_voice_for(lang), nullptr);
}

TEST(Catalog, RhvoiceIsTheEnglishDefaultAndTheAvatarsVoice) {
  EXPECT_EQ(default_voice_for("en")->id, "rhv-slt");
  for (const char* id : {"rhv-slt", "rhv-clb", "rhv-bdl", "rhv-alan"}) {
    ASSERT_NE(find_voice(id), nullptr) << id;
    EXPECT_EQ(find_voice(id)->engine, TtsEngineKind::rhvoice);
  }
  EXPECT_EQ(find_voice("kal")->engine_voice, "cmu_us_kal16");
  for (const auto& a : catalog().avatars)
    EXPECT_EQ(find_voice(a.default_voice)->engine, TtsEngineKind::rhvoice) << a.id;
  for (const auto& v : catalog().voices) {
    EXPECT_NE(v.engine_voice, "Lyubov") << "not licensed for commercial use";
    EXPECT_NE(v.engine_voice, "Evgeniy-Eng") << "not licensed for commercial use";
  }
}

// Every voice's preview, spoken by the renderer process: a WAV of a sentence at -14 LUFS.
TEST(Catalog, EveryVoiceHasASpokenPreview) {
  for (const auto& v : catalog().voices) {
    EXPECT_EQ(v.preview_url, "/api/v1/voices/" + v.id + "/preview.wav");
    auto wav = voice_preview_wav(v.id);
    ASSERT_TRUE(wav.has_value()) << v.id << ": " << wav.error().message;
    ASSERT_GT(wav->size(), 44u);
    ASSERT_EQ(wav->substr(0, 4), "RIFF") << v.id;
    ASSERT_EQ(wav->substr(8, 8), "WAVEfmt ") << v.id;
    std::vector<float> samples((wav->size() - 44) / 2);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      std::int16_t s = 0;
      std::memcpy(&s, wav->data() + 44 + 2 * i, 2);
      samples[i] = s / 32768.0f;
    }
    EXPECT_GT(samples.size(), 24000u) << v.id << ": at least a second";
    EXPECT_NEAR(detail::measure_loudness(samples, 24000).integrated_lufs, -14, 1.0) << v.id;
  }
  EXPECT_EQ(voice_preview_wav("nobody").error().code, core::ErrorCode::not_found);
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
