#pragma once
// The speech of a whole video on one timeline: every scene's script, cut at its pause marks and,
// when long, between sentences, is synthesized piece by piece (so a cancel is noticed between
// pieces and no engine is held for long) and laid end to end with the pauses and the gaps
// between scenes as silence.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "video/catalog.hpp"
#include "video/lip_sync.hpp"
#include "video/subtitles.hpp"
#include "video/text_normalizer.hpp"
#include "video/tts.hpp"

namespace reelgen::video::detail {

struct NarrationScene {
  std::string script;  // with pause marks
  const VoiceInfo* voice = nullptr;
  std::string language;
  std::string field_prefix;  // "" or "scenes[2].", for errors about this scene
};

struct NarrationOptions {
  SpeechParams speech;
  int audio_rate = 48000;
  double scene_gap = 0.3;             // seconds of silence between scenes
  std::size_t max_piece_chars = 400;  // of spoken text per synthesis; short enough for a prompt
                                      // cancel (about 0.35 s of work for the slowest voice)
};

struct Interval {
  double start = 0, end = 0;
};

struct Narration {
  std::vector<float> audio;          // mono at audio_rate; may be shorter than duration
  double duration = 0;               // seconds of speech, pauses and gaps
  std::vector<TimedWord> words;      // every token of every scene, in narration time
  std::vector<Phone> phones;         // ordered, in narration time
  std::vector<Interval> silences;    // the pauses and the gaps between scenes
  std::vector<double> scene_starts;  // when each scene's speech starts; the first is 0
};

// Called between pieces with the share of the speech done (0..1); returning false stops.
using NarrationTick = std::function<bool(double done)>;

// unavailable ("render cancelled") when tick returns false; invalid_argument on the scene's field
// when a script has a bad pause mark or nothing to speak.
core::Result<Narration> narrate(std::span<const NarrationScene> scenes,
                                const NarrationOptions& options, const NarrationTick& tick = {});

// How tokens are cut into pieces to synthesize one at a time, as [begin, end) ranges: one piece
// when their spoken text fits max_chars (so short scripts sound exactly as they always did),
// otherwise whole sentences packed up to max_chars; a longer sentence is cut after a clause
// (, ; :) or, failing that, between words.
std::vector<std::pair<std::size_t, std::size_t>> speech_pieces(std::span<const Token> tokens,
                                                               std::size_t max_chars);

}  // namespace reelgen::video::detail
