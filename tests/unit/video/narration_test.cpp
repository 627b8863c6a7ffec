#include "video/narration.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace reelgen::video::detail {
namespace {

NarrationScene scene(std::string script, const char* voice, std::string language = "en",
                     std::string prefix = "") {
  return {std::move(script), find_voice(voice), std::move(language), std::move(prefix)};
}

Narration narrate_ok(std::vector<NarrationScene> scenes) {
  auto n = narrate(scenes, {});
  EXPECT_TRUE(n.has_value()) << n.error().message;
  return n ? std::move(*n) : Narration{};
}

bool overlaps(double a0, double a1, const Interval& b) {
  return a0 < b.end - 1e-9 && b.start < a1 - 1e-9;
}

// No word, cue or spoken mouth shape falls inside a silence.
void expect_silences_are_silent(const Narration& n) {
  const auto cues = build_cues(n.words, {});
  for (const auto& s : n.silences) {
    for (const auto& w : n.words) EXPECT_FALSE(overlaps(w.start, w.end, s)) << w.text;
    for (const auto& c : cues)
      EXPECT_FALSE(overlaps(c.start, c.end, s)) << "cue " << c.start << ".." << c.end;
    for (const auto& p : n.phones) {
      if (p.viseme != Viseme::rest) {
        EXPECT_FALSE(overlaps(p.start, p.end, s));
      }
    }
    const auto track = build_mouth_track(n.phones, n.duration);
    EXPECT_EQ(mouth_at(track, (s.start + s.end) / 2).to, Viseme::rest);
  }
}

std::string long_script(std::size_t chars) {
  std::string s;
  for (int i = 0; s.size() < chars; ++i) {
    s += "Sentence number " + std::to_string(i) + " talks about making better videos every day. ";
  }
  return s;
}

TEST(SpeechPieces, ShortTextIsOnePiece) {
  const auto tokens = normalize_text("Hello there. How are you today?", "en");
  const auto pieces = speech_pieces(tokens, 500);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], (std::pair<std::size_t, std::size_t>{0, tokens.size()}));
}

TEST(SpeechPieces, LongTextIsCutAtSentenceEnds) {
  const auto tokens = normalize_text(long_script(3000), "en");
  const auto pieces = speech_pieces(tokens, 500);
  ASSERT_GT(pieces.size(), 4u);
  std::size_t next = 0;
  for (const auto& [begin, end] : pieces) {
    EXPECT_EQ(begin, next);
    EXPECT_LT(begin, end);
    EXPECT_TRUE(tokens[end - 1].sentence_end);
    std::vector<std::size_t> ignored;
    const std::vector<Token> piece(tokens.begin() + static_cast<std::ptrdiff_t>(begin),
                                   tokens.begin() + static_cast<std::ptrdiff_t>(end));
    EXPECT_LE(spoken_text(piece, ignored).size(), 500u);
    next = end;
  }
  EXPECT_EQ(next, tokens.size());
}

TEST(SpeechPieces, ALongSentenceIsCutAtClausesThenWords) {
  std::string clauses, words;
  for (int i = 0; i < 40; ++i) clauses += "and then we talked about it, ";
  for (int i = 0; i < 200; ++i) words += "word ";
  for (const auto& script : {clauses, words}) {
    const auto tokens = normalize_text(script, "en");
    const auto pieces = speech_pieces(tokens, 200);
    ASSERT_GT(pieces.size(), 2u);
    EXPECT_EQ(pieces.back().second, tokens.size());
    for (const auto& [begin, end] : pieces) {
      std::vector<std::size_t> ignored;
      const std::vector<Token> piece(tokens.begin() + static_cast<std::ptrdiff_t>(begin),
                                     tokens.begin() + static_cast<std::ptrdiff_t>(end));
      EXPECT_LE(spoken_text(piece, ignored).size(), 200u);
    }
  }
}

TEST(Narration, APauseAddsItsSilenceWithFlite) {
  const auto plain = narrate_ok({scene("Hello there. How are you?", "slt")});
  const auto paused = narrate_ok({scene("Hello there. [pause 1s] How are you?", "slt")});
  ASSERT_EQ(paused.silences.size(), 1u);
  EXPECT_DOUBLE_EQ(paused.silences[0].end - paused.silences[0].start, 1.0);
  // A second of silence, plus the short natural silences flite puts at both ends of a phrase.
  EXPECT_GT(paused.duration - plain.duration, 0.95);
  EXPECT_LT(paused.duration - plain.duration, 1.5);
  ASSERT_EQ(paused.words.size(), 5u);  // the mark is neither spoken nor shown
  EXPECT_EQ(paused.words[1].text, "there.");
  EXPECT_TRUE(paused.words[1].pause_after);
  expect_silences_are_silent(paused);
  // The audio is silent during the pause.
  const auto& s = paused.silences[0];
  float peak = 0;
  for (auto i = static_cast<std::size_t>(s.start * 48000);
       i < static_cast<std::size_t>(s.end * 48000); ++i) {
    if (i < paused.audio.size()) peak = std::max(peak, std::abs(paused.audio[i]));
  }
  EXPECT_LT(peak, 1e-4);
}

TEST(Narration, PausesWorkWithEspeakAndAtTheEdges) {
  const auto n = narrate_ok(
      {scene("[pause 500ms] Hola, amigos. [pause 2s] Vivo en Madrid. [pause 1s]", "es", "es")});
  ASSERT_EQ(n.silences.size(), 3u);
  EXPECT_DOUBLE_EQ(n.silences[0].start, 0);
  EXPECT_DOUBLE_EQ(n.silences[2].end, n.duration);
  EXPECT_GT(n.words.front().start, 0.49);
  expect_silences_are_silent(n);
}

TEST(Narration, ScenesFollowEachOtherOnOneTimeline) {
  const auto n = narrate_ok({scene("Hello, I am the first speaker.", "kal"),
                             scene("Hola, soy el segundo.", "es-f", "es"),
                             scene("And I close the show.", "slt")});
  ASSERT_EQ(n.scene_starts.size(), 3u);
  ASSERT_EQ(n.silences.size(), 2u);
  EXPECT_DOUBLE_EQ(n.scene_starts[0], 0);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(n.scene_starts[i], n.silences[i - 1].end);
    EXPECT_NEAR(n.silences[i - 1].end - n.silences[i - 1].start, 0.3, 1e-9);
  }
  ASSERT_EQ(n.words.size(), 6u + 4u + 5u);
  double last = 0;
  for (const auto& w : n.words) {
    EXPECT_GE(w.start, last - 1e-9) << w.text;
    EXPECT_GE(w.end, w.start);
    last = w.start;
  }
  // The audio of all three voices, resampled to one rate, spans the whole narration.
  EXPECT_NEAR(static_cast<double>(n.audio.size()) / 48000, n.duration, 0.01);
  const auto cues = build_cues(n.words, {});
  for (std::size_t c = 1; c < cues.size(); ++c) {
    EXPECT_LE(cues[c - 1].end, cues[c].start);
    EXPECT_LT(cues[c - 1].start, cues[c].start);
  }
  expect_silences_are_silent(n);
}

TEST(Narration, ErrorsNameTheScene) {
  auto bad = narrate(
      std::vector{scene("Fine.", "slt"), scene("Wait [pause 99s] now", "slt", "en", "scenes[1].")},
      {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().fields.at(0).field, "scenes[1].script");
  EXPECT_EQ(bad.error().fields.at(0).rule, "pause");
  auto silent = narrate(std::vector{scene("🚀 [pause 1s] 🚀", "slt")}, {});
  ASSERT_FALSE(silent.has_value());
  EXPECT_EQ(silent.error().fields.at(0).rule, "speakable");
}

TEST(Narration, StopsBetweenPiecesOfALongScript) {
  const std::vector scenes = {scene(long_script(4000), "rms")};
  int ticks = 0;
  auto n = narrate(scenes, {}, [&](double done) {
    ++ticks;
    EXPECT_GT(done, 0);
    EXPECT_LT(done, 1);
    return false;
  });
  ASSERT_FALSE(n.has_value());
  EXPECT_EQ(n.error().code, core::ErrorCode::unavailable);
  // Asked once, after the first piece: the rest of the script was never synthesized.
  EXPECT_EQ(ticks, 1);
}

}  // namespace
}  // namespace reelgen::video::detail
