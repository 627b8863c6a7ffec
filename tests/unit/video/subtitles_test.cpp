#include "video/subtitles.hpp"

#include <gtest/gtest.h>

namespace reelgen::video::detail {
namespace {

std::vector<TimedWord> sample_words() {
  std::vector<TimedWord> words;
  const char* text[] = {"Hello", "there,", "this", "is", "a", "longer", "sentence", "that", "must",
                        "wrap", "across", "several", "cues.", "Next", "one."};
  double t = 0.3;
  for (const char* w : text) {
    words.push_back({w, t, t + 0.25, std::string(w).back() == '.'});
    t += 0.3;
  }
  return words;
}

TEST(Subtitles, CuesAreOrderedDisjointAndCoverEveryWord) {
  const auto words = sample_words();
  CueOptions options;
  options.max_line_chars = 14;
  const auto cues = build_cues(words, options);
  ASSERT_GE(cues.size(), 3u);
  for (std::size_t i = 0; i < cues.size(); ++i) {
    EXPECT_LT(cues[i].start, cues[i].end);
    EXPECT_LE(cues[i].breaks.size(), 1u);  // at most two lines
    if (i > 0) {
      EXPECT_LE(cues[i - 1].end, cues[i].start);
      EXPECT_EQ(cues[i - 1].last, cues[i].first);
    }
    for (std::size_t w = cues[i].first; w < cues[i].last; ++w) {
      EXPECT_GE(words[w].start, cues[i].start);
      EXPECT_LE(words[w].end, cues[i].end);
    }
  }
  EXPECT_EQ(cues.front().first, 0u);
  EXPECT_EQ(cues.back().last, words.size());
  // A sentence end closes a cue.
  for (const auto& c : cues) {
    for (std::size_t w = c.first; w + 1 < c.last; ++w) EXPECT_FALSE(words[w].sentence_end);
  }
}

TEST(Subtitles, APauseEndsTheCueWithoutLingering) {
  // "Hello there [pause 1s] friends": the silence is 1.0..2.0.
  std::vector<TimedWord> words = {{"Hello", 0.3, 0.6}, {"there", 0.6, 0.9}, {"friends", 2.1, 2.5}};
  words[1].pause_after = true;
  const auto cues = build_cues(words, {});
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].last, 2u);
  EXPECT_DOUBLE_EQ(cues[0].end, 0.9);  // no 0.4 s hold into the pause
  EXPECT_DOUBLE_EQ(cues[1].start, 2.1);
  // Even a pause shorter than max_gap starts a new cue.
  words[2].start = 1.0;
  words[2].end = 1.3;
  EXPECT_EQ(build_cues(words, {}).size(), 2u);
}

TEST(Subtitles, SrtAndVttFormats) {
  const auto words = sample_words();
  const auto cues = build_cues(words, {});
  const auto srt = to_srt(cues, words);
  EXPECT_EQ(srt.rfind("1\n00:00:00,300 --> ", 0), 0u) << srt;
  const auto vtt = to_vtt(cues, words);
  EXPECT_EQ(vtt.rfind("WEBVTT\n\n00:00:00.300 --> ", 0), 0u) << vtt;
}

TEST(Subtitles, RendererDrawsIntoItsBand) {
  SubtitleOptions options;
  SubtitleRenderer renderer(720, 1280, options);
  EXPECT_GT(renderer.band().y, 640);
  EXPECT_LE(renderer.band().y + renderer.band().h, 1280);
  const auto words = sample_words();
  const auto cues = build_cues(words, {});
  cairo_surface_t* s = renderer.render(words, cues[0], 1);
  ASSERT_NE(s, nullptr);
  // Some pixels are opaque text.
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  int opaque = 0;
  for (int y = 0; y < renderer.band().h; ++y) {
    for (int x = 0; x < renderer.band().w; ++x) opaque += data[y * stride + x * 4 + 3] == 255;
  }
  EXPECT_GT(opaque, 1000);
}

}  // namespace
}  // namespace reelgen::video::detail
