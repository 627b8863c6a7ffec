#include "video/lip_sync.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "video/avatar.hpp"
#include "video/catalog.hpp"
#include "video/tts.hpp"

namespace reelgen::video::detail {
namespace {

bool bilabial(std::string_view p) { return p == "m" || p == "b" || p == "p"; }

TEST(LipSync, ArpabetAndIpaMapToTheClassicShapes) {
  EXPECT_EQ(viseme_for_arpabet("m"), Viseme::closed);
  EXPECT_EQ(viseme_for_arpabet("b"), Viseme::closed);
  EXPECT_EQ(viseme_for_arpabet("p"), Viseme::closed);
  EXPECT_EQ(viseme_for_arpabet("f"), Viseme::fv);
  EXPECT_EQ(viseme_for_arpabet("uw"), Viseme::puckered);
  EXPECT_EQ(viseme_for_arpabet("aa"), Viseme::wide);
  EXPECT_EQ(viseme_for_arpabet("l"), Viseme::l);
  EXPECT_EQ(viseme_for_arpabet("pau"), Viseme::rest);
  EXPECT_EQ(viseme_for_ipa("m"), Viseme::closed);
  EXPECT_EQ(viseme_for_ipa("ɔ"), Viseme::rounded);
  EXPECT_EQ(viseme_for_ipa("_:"), Viseme::rest);
}

TEST(LipSync, ShortShapesMergeButClosuresSurvive) {
  // A 20 ms /p/ between two vowels, and a run of 10 ms shapes that must not flicker.
  std::vector<Phone> phones = {{0.0, 0.2, Viseme::wide},      {0.2, 0.22, Viseme::closed},
                               {0.22, 0.4, Viseme::open},     {0.4, 0.41, Viseme::clenched},
                               {0.41, 0.42, Viseme::rounded}, {0.42, 0.6, Viseme::wide}};
  const LipSyncOptions options;
  const auto track = build_mouth_track(phones, 0.8, options);
  for (const auto& k : track) EXPECT_GE(k.end - k.start, options.min_duration - 1e-9);
  for (std::size_t i = 1; i < track.size(); ++i) EXPECT_DOUBLE_EQ(track[i].start, track[i - 1].end);
  EXPECT_EQ(mouth_at(track, 0.21, options).to, Viseme::closed);
  EXPECT_DOUBLE_EQ(mouth_at(track, 0.21, options).mix, 1.0);
}

// The real thing: flite's phones for a sentence full of /m b p/, through the track.
TEST(LipSync, MouthIsClosedDuringEveryBilabialOfRealSpeech) {
  const VoiceInfo* voice = find_voice("kal");
  ASSERT_NE(voice, nullptr);
  auto tokens = normalize_text("Maybe Bob bought a map of the big pump by the bay.", "en");
  auto speech = flite_engine().synthesize(tokens, *voice, {});
  ASSERT_TRUE(speech.has_value()) << speech.error().message;
  ASSERT_FALSE(speech->phones.empty());
  const auto track = build_mouth_track(speech->phones, speech->duration());
  int checked = 0;
  for (const auto& p : speech->phones) {
    if (p.viseme != Viseme::closed) continue;
    const auto pose = mouth_at(track, (p.start + p.end) / 2);
    EXPECT_EQ(pose.to, Viseme::closed) << "at " << p.start;
    EXPECT_DOUBLE_EQ(pose.mix, 1.0);
    ++checked;
  }
  EXPECT_GE(checked, 10);
  // And the mouth is not closed for long stretches elsewhere: it changes where phonemes do.
  int changes = 0;
  for (std::size_t i = 1; i < track.size(); ++i) changes += track[i].viseme != track[i - 1].viseme;
  EXPECT_GE(changes, 20);
  (void)bilabial;
}

TEST(LipSync, BlinksAreSpacedNaturally) {
  const auto blinks = blink_times(60, 7);
  ASSERT_GE(blinks.size(), 10u);
  ASSERT_LE(blinks.size(), 40u);
  for (std::size_t i = 1; i < blinks.size(); ++i) EXPECT_GE(blinks[i] - blinks[i - 1], 0.29);
  EXPECT_DOUBLE_EQ(eye_openness(blinks, blinks[0] - 0.01), 1.0);
  EXPECT_LT(eye_openness(blinks, blinks[0] + 0.075), 0.1);
  EXPECT_EQ(blink_times(60, 7), blinks);  // same seed, same blinks
}

TEST(LipSync, IdleMotionIsSmall) {
  for (double t = 0; t < 30; t += 0.1) {
    const auto m = idle_motion(t, 3);
    EXPECT_LT(std::abs(m.dx), 0.02);
    EXPECT_LT(std::abs(m.dy), 0.01);
  }
}

TEST(Expressions, NodsBrowsAndSaccadesFollowTheSentencesAndTheSeed) {
  const SentenceEnd sentences[] = {{1.0, 1.4, '.'}, {2.6, 3.0, '?'}, {4.5, 5.0, '!'}};
  const auto track = build_expressions(sentences, 20, 42);
  // A nod as each sentence ends, none in the middle of one.
  EXPECT_GT(expression_at(track, 1.35 + 0.2).nod, kNodDepth * 0.8);
  EXPECT_EQ(expression_at(track, 2.0).nod, 0);
  // Brows up through a question's and an exclamation's last word, at rest after a statement.
  EXPECT_DOUBLE_EQ(expression_at(track, 2.8).brows, 1.0);
  EXPECT_DOUBLE_EQ(expression_at(track, 4.8).brows, 1.0);
  EXPECT_EQ(expression_at(track, 1.2).brows, 0);
  EXPECT_EQ(expression_at(track, 3.9).brows, 0);
  // Saccades every 0.6-2.4 s, within range, mostly back to the camera.
  ASSERT_GE(track.saccades.size(), 8u);
  ASSERT_LE(track.saccades.size(), 34u);
  int centred = 0;
  for (std::size_t i = 0; i < track.saccades.size(); ++i) {
    const auto& s = track.saccades[i];
    EXPECT_LE(std::abs(s.x), 1.0);
    EXPECT_LE(std::abs(s.y), 0.5);
    centred += s.x == 0 && s.y == 0;
    if (i > 0) {
      EXPECT_GE(s.at - track.saccades[i - 1].at, 0.6 - 1e-9);
    }
  }
  EXPECT_GE(centred, static_cast<int>(track.saccades.size()) / 3);
  // The eyes jump (within 40 ms) and then hold.
  for (const auto& s : track.saccades) {
    const auto e = expression_at(track, s.at + 0.05);
    EXPECT_DOUBLE_EQ(e.gaze_x, s.x);
    EXPECT_DOUBLE_EQ(e.gaze_y, s.y);
  }
  // Deterministic: the same seed the same motion, another seed other glances.
  const auto again = build_expressions(sentences, 20, 42),
             other = build_expressions(sentences, 20, 43);
  ASSERT_EQ(again.saccades.size(), track.saccades.size());
  for (std::size_t i = 0; i < track.saccades.size(); ++i)
    EXPECT_EQ(again.saccades[i].x, track.saccades[i].x);
  bool differs = other.saccades.size() != track.saccades.size();
  for (std::size_t i = 0; !differs && i < track.saccades.size(); ++i)
    differs = other.saccades[i].at != track.saccades[i].at;
  EXPECT_TRUE(differs);
}

bool vowel(Viseme v) {
  return v == Viseme::open || v == Viseme::wide || v == Viseme::rounded || v == Viseme::puckered;
}

// Readable at phone size: on the timing track of real speech, sampled at 30 fps, the mouth shows
// an opening in at least 90 % of the frames spoken during a vowel, and the lips are together
// only on m/b/p and at rest (or while blending out of them).
TEST(LipSync, VowelsShowAnOpeningAndOnlyBilabialsAndRestsClose) {
  const char* script =
      "Hello and welcome back! Today I will show you three simple ways to start your morning "
      "calmly. First, open the window and take a slow breath. Then drink a glass of water.";
  for (const char* id : {"rhv-slt", "rhv-bdl", "kal", "es"}) {
    const VoiceInfo* voice = find_voice(id);
    ASSERT_NE(voice, nullptr);
    auto tokens = normalize_text(
        voice->language == "en" ? script : "Hola a todos, hoy hablamos de la mañana.",
        voice->language);
    auto speech = engine_for(*voice).synthesize(tokens, *voice, {});
    ASSERT_TRUE(speech.has_value()) << speech.error().message;
    const LipSyncOptions options;
    const auto track = build_mouth_track(speech->phones, speech->duration(), options);
    int vowel_frames = 0, open_frames = 0, shut_frames = 0, shut_ok = 0;
    for (double t = 0; t < speech->duration(); t += 1.0 / 30) {
      const auto it = std::find_if(speech->phones.begin(), speech->phones.end(),
                                   [t](const Phone& p) { return p.start <= t && t < p.end; });
      const Viseme spoken = it == speech->phones.end() ? Viseme::rest : it->viseme;
      const MouthPose pose = mouth_at(track, t, options);
      const MouthShape shape = mouth_shape(pose);
      const double opening = mouth_opening(shape);
      if (vowel(spoken)) {
        ++vowel_frames;
        // Clenched teeth are not an open vowel, however far the lips part.
        open_frames += opening >= kReadableOpening && shape.lower < 0.5;
      }
      if (opening <= 0) {
        ++shut_frames;
        const bool bilabial_or_rest =
            pose.to == Viseme::closed || pose.to == Viseme::rest ||
            (pose.mix < 1 && (pose.from == Viseme::closed || pose.from == Viseme::rest));
        shut_ok += bilabial_or_rest;
      }
    }
    ASSERT_GT(vowel_frames, 20) << id;
    std::printf("%-8s vowel frames open %d/%d (%.0f %%), shut frames on m/b/p or rest %d/%d\n", id,
                open_frames, vowel_frames, 100.0 * open_frames / vowel_frames, shut_ok,
                shut_frames);
    EXPECT_GE(open_frames, 0.9 * vowel_frames) << id;
    EXPECT_EQ(shut_ok, shut_frames) << id;
  }
}

}  // namespace
}  // namespace reelgen::video::detail
