#include "video/tts.hpp"

#include <algorithm>

namespace reelgen::video::detail {

TtsEngine& engine_for(const VoiceInfo& voice) {
  switch (voice.engine) {
    case TtsEngineKind::rhvoice:
      return rhvoice_engine();
    case TtsEngineKind::flite:
      return flite_engine();
    case TtsEngineKind::espeak:
      return espeak_engine();
  }
  return espeak_engine();
}

void fill_token_gaps(std::vector<WordTiming>& tokens, double duration) {
  double last_end = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto& t = tokens[i];
    if (t.start < 0) {
      // A silent token sits at the boundary of its neighbours, with no duration.
      t.start = t.end = last_end;
      continue;
    }
    t.start = std::max(t.start, last_end);
    t.end = std::clamp(t.end, t.start, duration);
    last_end = t.end;
  }
}

}  // namespace reelgen::video::detail
