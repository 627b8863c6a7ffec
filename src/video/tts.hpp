#pragma once
// Speech synthesis behind one interface; the voice decides the engine (flite for the English
// voices, espeak-ng for the rest).

#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "video/catalog.hpp"
#include "video/lip_sync.hpp"
#include "video/text_normalizer.hpp"

namespace reelgen::video::detail {

struct WordTiming {
  double start = -1, end = -1;  // seconds; -1 when the engine said nothing for the token
};

struct Speech {
  std::vector<std::int16_t> samples;  // mono
  int sample_rate = 0;
  std::vector<Phone> phones;       // ordered, with visemes
  std::vector<WordTiming> tokens;  // one per input token
  double duration() const {
    return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0;
  }
};

struct SpeechParams {
  double speed = 1.0;  // 0.5..2.0
  double pitch = 1.0;  // 0.5..2.0
};

class TtsEngine {
 public:
  virtual ~TtsEngine() = default;
  // Thread-safe; engines with global state serialize internally.
  virtual core::Result<Speech> synthesize(const std::vector<Token>& tokens, const VoiceInfo& voice,
                                          const SpeechParams& params) = 0;
};

// The process-wide engine for a voice's kind.
TtsEngine& rhvoice_engine();
TtsEngine& flite_engine();
TtsEngine& espeak_engine();
TtsEngine& engine_for(const VoiceInfo& voice);

// Gives silent or skipped tokens (emoji, URLs) the moment of their neighbours so every token
// has a time, and keeps times ordered.
void fill_token_gaps(std::vector<WordTiming>& tokens, double duration);

}  // namespace reelgen::video::detail
