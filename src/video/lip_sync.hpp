#pragma once
// Phonemes → mouth shapes (the classic 2D set), with minimum durations and short blends so the
// mouth never flickers; blinks at natural random intervals; a small idle head and breath motion.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace reelgen::video::detail {

enum class Viseme : std::uint8_t {
  rest,      // mouth relaxed and closed, between phrases
  closed,    // M, B, P: lips pressed
  clenched,  // teeth together: S, T, D, K, N, EE ...
  open,      // EH, AH: mid open
  wide,      // AA, AE, AY: wide open
  rounded,   // OH, AW, ER
  puckered,  // OO, W
  fv,        // F, V: lower lip under the teeth
  l,         // L, TH: tongue visible
};
inline constexpr int kVisemeCount = 9;
std::string_view to_string(Viseme v);

// CMU/ARPAbet phone names as flite reports them ("m", "aa", "pau").
Viseme viseme_for_arpabet(std::string_view phone);
// IPA phoneme names as espeak-ng reports them ("m", "a", "ɔ", "_:").
Viseme viseme_for_ipa(std::string_view phone);

struct Phone {
  double start = 0, end = 0;  // seconds from the start of the speech
  Viseme viseme = Viseme::rest;
};

struct MouthKey {
  double start = 0, end = 0;
  Viseme viseme = Viseme::rest;
};

struct LipSyncOptions {
  double min_duration = 0.07;  // no shape shorter than this (about two frames at 30 fps)
  double blend = 0.03;         // cross-fade at the start of each shape; < min_duration / 2
};

// A contiguous, non-overlapping track covering [0, end). Closed shapes of bilabials are never
// dropped: short ones are widened into their neighbours instead.
std::vector<MouthKey> build_mouth_track(std::span<const Phone> phones, double end,
                                        const LipSyncOptions& options = {});

struct MouthPose {
  Viseme from = Viseme::rest, to = Viseme::rest;
  double mix = 1;  // 0 = from, 1 = to
};
MouthPose mouth_at(std::span<const MouthKey> track, double t, const LipSyncOptions& options = {});

// Start times of blinks over duration seconds, 2–6 s apart, from a fixed seed.
std::vector<double> blink_times(double duration, std::uint32_t seed);
// 1 = open, 0 = shut; a blink lasts 0.15 s.
double eye_openness(std::span<const double> blinks, double t);

struct IdleMotion {
  double dx = 0, dy = 0;  // head offset in units of head height
  double breath = 0;      // -1..1
};
IdleMotion idle_motion(double t, std::uint32_t seed);

// Where a sentence ends and how: '.', '?' or '!'.
struct SentenceEnd {
  double start = 0;  // the sentence's last word starts
  double end = 0;    // and ends
  char kind = '.';
};

// What a face does besides speaking, from the sentences and a seed: a small nod as each
// sentence ends, brows up through the last word of a question or an exclamation, and eye
// saccades (mostly back to the camera) every 0.6-2.4 s. The same input gives the same track.
struct ExpressionTrack {
  std::vector<double> nods;                         // times a nod starts
  std::vector<std::pair<double, double>> brows_up;  // spans with raised brows
  struct Saccade {
    double at = 0, x = 0, y = 0;  // gaze from `at` on, -1..1 of its range
  };
  std::vector<Saccade> saccades;
};
ExpressionTrack build_expressions(std::span<const SentenceEnd> sentences, double duration,
                                  std::uint32_t seed);

struct Expression {
  double nod = 0;                 // extra head drop, in head heights (0..kNodDepth)
  double brows = 0;               // 0 = rest, 1 = raised
  double gaze_x = 0, gaze_y = 0;  // -1..1 of the eyes' range
};
inline constexpr double kNodDepth = 0.022;
Expression expression_at(const ExpressionTrack& track, double t);

}  // namespace reelgen::video::detail
