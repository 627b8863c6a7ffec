// The renderer end to end at draft size: scenes, pauses and prompt cancels, in this process
// (engine::render) and through the reelgen-render child process (render).

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "video/engine.hpp"
#include "video/video.hpp"
#include "video/wire.hpp"

namespace reelgen::video {
namespace {

namespace fs = std::filesystem;

class Render : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("reelgen-render-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::size_t files() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++n;
    return n;
  }
  fs::path dir_;
};

// Points REELGEN_RENDER_BIN elsewhere for one test and puts the old value back, so the tests
// after it in the same process still find the real renderer.
class RendererOverride {
 public:
  explicit RendererOverride(const fs::path& bin) {
    if (const char* old = std::getenv("REELGEN_RENDER_BIN")) old_ = old;
    ::setenv("REELGEN_RENDER_BIN", bin.c_str(), 1);
  }
  ~RendererOverride() {
    if (old_) {
      ::setenv("REELGEN_RENDER_BIN", old_->c_str(), 1);
    } else {
      ::unsetenv("REELGEN_RENDER_BIN");
    }
  }
  RendererOverride(const RendererOverride&) = delete;
  RendererOverride& operator=(const RendererOverride&) = delete;

 private:
  std::optional<std::string> old_;
};

struct SrtCue {
  double start, end;
  std::string text;
};

std::vector<SrtCue> read_srt(const fs::path& path) {
  std::ifstream f(path);
  std::vector<SrtCue> cues;
  std::string number, times, line;
  auto seconds = [](const std::string& t) {
    return std::stoi(t.substr(0, 2)) * 3600 + std::stoi(t.substr(3, 2)) * 60 +
           std::stoi(t.substr(6, 2)) + std::stoi(t.substr(9, 3)) / 1000.0;
  };
  while (std::getline(f, number) && std::getline(f, times)) {
    SrtCue cue{seconds(times.substr(0, 12)), seconds(times.substr(17, 12)), ""};
    while (std::getline(f, line) && !line.empty()) cue.text += (cue.text.empty() ? "" : " ") + line;
    cues.push_back(std::move(cue));
  }
  return cues;
}

RenderRequest draft() {
  RenderRequest r;
  r.draft = true;
  r.allow_hardware = false;
  return r;
}

TEST_F(Render, TwoScenesMakeOneContinuousVideo) {
  RenderRequest r = draft();
  r.script = "ignored";
  Scene a;
  a.script = "Hi, I am Ava. [pause 1s] Welcome!";
  a.avatar_id = "ava";
  Scene b;
  b.script = "Hola, soy Leo.";
  b.avatar_id = "leo";
  b.language = "es";
  b.background = "gradient:#102030:#405060";
  r.scenes = {a, b};
  const auto out = dir_ / "scenes.mp4";
  auto summary = engine::render(r, out);
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(summary->words, 5u + 3u);
  EXPECT_EQ(summary->avatar_id, "ava");
  EXPECT_EQ(summary->voice_id, "rhv-slt");  // Ava's voice
  EXPECT_NEAR(summary->duration_s, summary->speech_s + 0.9, 1.0 / 30 + 1e-9);
  const auto cues = read_srt(fs::path(out).replace_extension(".srt"));
  ASSERT_EQ(cues.size(), summary->cues);
  std::string shown;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    EXPECT_LT(cues[i].start, cues[i].end);
    if (i > 0) {
      EXPECT_LE(cues[i - 1].end, cues[i].start) << "cues in order, never overlapping";
    }
    EXPECT_LE(cues[i].end, summary->duration_s);
    shown += (shown.empty() ? "" : " ") + cues[i].text;
  }
  EXPECT_EQ(shown, "Hi, I am Ava. Welcome! Hola, soy Leo.");
  // The pause: at least a second with no cue between "Ava." and "Welcome!".
  ASSERT_GE(cues.size(), 3u);
  EXPECT_GE(cues[1].start - cues[0].end, 1.0);
}

// Cancelling is checked for structure, not timed: after the flag is set, at most the piece being
// synthesized finishes, and nothing is drawn, encoded or written.
TEST_F(Render, CancelDuringSpeechOfALongScriptIsPrompt) {
  RenderRequest r = draft();
  r.voice_id = "rms";  // the slowest voice to synthesize
  while (r.script.size() < 4500)
    r.script += "Here is one more sentence about better short videos. ";
  std::atomic<bool> cancel{false};
  int speech_reports_after_cancel = 0;
  bool drew = false;
  auto result = engine::render(
      r, dir_ / "long.mp4",
      [&](std::string_view stage, double) {
        if (stage == "render") drew = true;
        if (stage == "speech" && cancel) ++speech_reports_after_cancel;
        if (stage == "speech") cancel = true;
      },
      &cancel);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::unavailable);
  EXPECT_LE(speech_reports_after_cancel, 1) << "synthesis went on after the cancel";
  EXPECT_FALSE(drew);
  EXPECT_EQ(files(), 0u) << "no partial or temporary file is left";
}

TEST_F(Render, CancelWhileDrawingStopsAtTheNextFrame) {
  RenderRequest r = draft();
  r.resolution = Resolution::p1080;
  r.draft = false;
  r.quality = Quality::high;
  r.script =
      "A short video that is cancelled while it is being drawn and encoded, well before the end.";
  std::atomic<bool> cancel{false};
  double cancelled_at = -1, last_percent = 0;
  bool finished = false;
  auto result = engine::render(
      r, dir_ / "drawn.mp4",
      [&](std::string_view stage, double percent) {
        if (stage == "finish") finished = true;
        if (stage != "render") return;
        last_percent = percent;
        if (percent >= 30 && !cancel) {
          cancelled_at = percent;
          cancel = true;
        }
      },
      &cancel);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::unavailable);
  ASSERT_GE(cancelled_at, 30);
  EXPECT_LE(last_percent, cancelled_at + 1) << "frames were drawn after the cancel";
  EXPECT_FALSE(finished) << "the encoder was flushed and the file finished";
  EXPECT_EQ(files(), 0u);
}

TEST_F(Render, ALaterSceneWithABadImageFailsBeforeDrawing) {
  RenderRequest r = draft();
  const auto not_an_image = dir_ / "not-an-image.png";
  std::ofstream(not_an_image) << "text";
  Scene a;
  a.script = "First.";
  Scene b = a;
  b.background = not_an_image.string();
  r.scenes = {a, b};
  bool drew = false;
  auto result = engine::render(r, dir_ / "bad.mp4",
                               [&](std::string_view stage, double) { drew |= stage == "render"; });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::invalid_argument);
  ASSERT_FALSE(result.error().fields.empty());
  EXPECT_EQ(result.error().fields[0].field, "scenes[1].background");
  EXPECT_FALSE(drew);
  fs::remove(not_an_image);
  EXPECT_EQ(files(), 0u);
}

// The child process: what the caller gets back is what the renderer did.
TEST_F(Render, RendersThroughTheRendererProcess) {
  RenderRequest r = draft();
  r.script = "Hello from the renderer process.";
  const auto out = dir_ / "child.mp4";
  std::vector<std::string> stages;
  double last_percent = -1;
  bool percent_ordered = true;
  auto summary = render(r, out, [&](std::string_view stage, double percent) {
    if (stages.empty() || stages.back() != stage) {
      stages.emplace_back(stage);
      last_percent = -1;
    }
    percent_ordered &= percent >= last_percent && percent <= 100;
    last_percent = percent;
  });
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  EXPECT_EQ(summary->output, out);
  EXPECT_EQ(summary->bytes, fs::file_size(out));
  EXPECT_EQ(summary->words, 5u);
  EXPECT_EQ(summary->video_codec, "libx264");
  EXPECT_TRUE(fs::exists(summary->srt));
  EXPECT_EQ(stages, (std::vector<std::string>{"speech", "render", "finish"}));
  EXPECT_TRUE(percent_ordered);
  EXPECT_EQ(files(), 4u) << "the video, its thumbnail, .srt and .vtt, and nothing else";
}

TEST_F(Render, FieldErrorsComeBackFromTheRendererProcess) {
  RenderRequest r = draft();
  r.script = "Hi.";
  r.avatar_id = "nobody";
  auto result = render(r, dir_ / "invalid.mp4");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::invalid_argument);
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "avatar_id");
  EXPECT_EQ(result.error().fields[0].rule, "one_of");
  EXPECT_EQ(files(), 0u);
}

TEST_F(Render, CancelStopsTheRendererProcessAndLeavesNothing) {
  RenderRequest r = draft();
  r.script = "A video that is cancelled while it is being drawn, long before it is finished.";
  std::atomic<bool> cancel{false};
  bool finished = false;
  auto result = render(
      r, dir_ / "cancelled.mp4",
      [&](std::string_view stage, double percent) {
        finished |= stage == "finish";
        if (stage == "render" && percent >= 20) cancel = true;
      },
      &cancel);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::unavailable);
  EXPECT_FALSE(finished);
  EXPECT_EQ(files(), 0u);
}

// A stand-in renderer that leaves a temporary file the way a real one does and then crashes.
TEST_F(Render, ACrashedRendererLeavesNoPartialFile) {
  const auto script = dir_ / "crashing-renderer";
  std::ofstream(script) << "#!/bin/sh\n"
                           "touch \"$(dirname \"$2\")/.$(basename \"$2\").partial-$$-0\"\n"
                           "kill -SEGV $$\n";
  fs::permissions(script, fs::perms::owner_all);
  auto result = [&] {
    RendererOverride crashing(script);
    return render(draft(), dir_ / "crash.mp4");
  }();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::internal);
  EXPECT_NE(result.error().message.find("signal 11"), std::string::npos) << result.error().message;
  fs::remove(script);
  EXPECT_EQ(files(), 0u) << "the crashed renderer's partial file is removed";
}

TEST_F(Render, AMissingRendererIsAClearError) {
  auto result = [&] {
    RendererOverride missing(dir_ / "no-such-renderer");
    return render(draft(), dir_ / "none.mp4");
  }();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("cannot start the renderer"), std::string::npos)
      << result.error().message;
}

TEST(Wire, RequestsSummariesAndErrorsSurviveTheTrip) {
  RenderRequest r;
  r.script = "ignored";
  r.speed = 1.25;
  r.aspect = Aspect::square;
  r.format = Format::webm;
  r.subtitles.style = SubtitleStyle::box;
  r.subtitles.highlight = false;
  r.hook = "3 habits for calmer mornings ☀️";
  Scene s;
  s.script = "Hola [pause 1s] amigos.";
  s.language = "es";
  s.avatar_id = "portrait";
  s.portrait_path = "/tmp/face.jpg";
  s.mouth_box = MouthBox{10, 20, 30, 40};
  s.eyes_box = ImageBox{1, 2, 3, 4};
  r.scenes = {s, Scene{}};
  const auto text = boost::json::serialize(wire::to_json(r));
  auto back = wire::request_from_json(boost::json::parse(text));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(boost::json::serialize(wire::to_json(*back)), text);
  EXPECT_EQ(back->scenes[0].mouth_box->height, 40);
  EXPECT_FALSE(back->scenes[1].mouth_box.has_value());
  EXPECT_EQ(back->scenes[0].eyes_box->width, 3);
  EXPECT_FALSE(back->scenes[0].face_box.has_value());
  EXPECT_EQ(back->subtitles.style, SubtitleStyle::box);
  EXPECT_EQ(back->hook, r.hook);

  RenderSummary summary;
  summary.output = "/tmp/a.mp4";
  summary.frames = 1858;
  summary.bytes = 123456789;
  summary.realtime_factor = 6.5;
  const auto summary_text = boost::json::serialize(wire::to_json(summary));
  auto summary_back = wire::summary_from_json(boost::json::parse(summary_text));
  ASSERT_TRUE(summary_back.has_value());
  EXPECT_EQ(summary_back->output, summary.output);
  EXPECT_EQ(summary_back->frames, 1858);
  EXPECT_EQ(summary_back->bytes, 123456789u);
  EXPECT_DOUBLE_EQ(summary_back->realtime_factor, 6.5);

  const auto error = core::Error::invalid("scenes[0].voice_id", "language", "voice kal speaks en");
  const auto error_back = wire::error_from_json(wire::to_json(error));
  EXPECT_EQ(error_back.code, core::ErrorCode::invalid_argument);
  EXPECT_EQ(error_back.message, error.message);
  ASSERT_EQ(error_back.fields.size(), 1u);
  EXPECT_EQ(error_back.fields[0].rule, "language");

  EXPECT_FALSE(wire::request_from_json(boost::json::parse(R"({"fps":"thirty"})")).has_value());
  EXPECT_FALSE(wire::request_from_json(boost::json::parse(R"({"aspect":7})")).has_value());
  EXPECT_EQ(wire::error_from_json(boost::json::parse("{}")).code, core::ErrorCode::internal);
}

}  // namespace
}  // namespace reelgen::video
