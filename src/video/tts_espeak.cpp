// espeak-ng: every other language, through the synchronous C API. Word events give the token
// (by character position) and phoneme events, in IPA, give the mouth shapes.

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>

#include "video/tts.hpp"

namespace reelgen::video::detail {
namespace {

struct Capture {
  std::vector<std::int16_t> samples;
  struct Event {
    espeak_EVENT_TYPE type;
    int text_position;  // 1-based, in characters
    int length;         // in characters
    int audio_ms;
    std::string phoneme;
  };
  std::vector<Event> events;
};

int on_synth(short* wav, int count, espeak_EVENT* events) {
  if (events == nullptr) return 0;
  auto* capture = static_cast<Capture*>(events->user_data);
  if (capture == nullptr) return 0;
  if (wav != nullptr && count > 0)
    capture->samples.insert(capture->samples.end(), wav, wav + count);
  for (espeak_EVENT* e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e) {
    if (e->type == espeakEVENT_WORD || e->type == espeakEVENT_PHONEME ||
        e->type == espeakEVENT_END || e->type == espeakEVENT_MSG_TERMINATED) {
      std::string phoneme;
      if (e->type == espeakEVENT_PHONEME) phoneme.assign(e->id.string, strnlen(e->id.string, 8));
      capture->events.push_back(
          {e->type, e->text_position, e->length, e->audio_position, std::move(phoneme)});
    }
  }
  return 0;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class EspeakEngine final : public TtsEngine {
 public:
  core::Result<Speech> synthesize(const std::vector<Token>& tokens, const VoiceInfo& voice,
                                  const SpeechParams& params) override {
    // espeak-ng keeps all of its state in globals.
    std::lock_guard lock(mutex_);
    if (sample_rate_ == 0) {
      const int rate =
          espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, nullptr,
                            espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_PHONEME_IPA |
                                espeakINITIALIZE_DONT_EXIT);
      if (rate <= 0) return core::fail(core::ErrorCode::internal, "espeak-ng data not found");
      sample_rate_ = rate;
      espeak_SetSynthCallback(on_synth);
    }
    if (espeak_SetVoiceByName(voice.engine_voice.c_str()) != EE_OK) {
      return core::fail(core::ErrorCode::internal,
                        "espeak-ng voice " + voice.engine_voice + " is missing");
    }
    espeak_SetParameter(espeakRATE, std::clamp(static_cast<int>(175 * params.speed), 80, 450), 0);
    espeak_SetParameter(espeakPITCH, std::clamp(static_cast<int>(50 * params.pitch), 0, 100), 0);

    std::vector<std::size_t> word_token;
    const std::string text = spoken_text(tokens, word_token);
    Speech speech;
    speech.sample_rate = sample_rate_;
    speech.tokens.assign(tokens.size(), WordTiming{});
    if (text.empty()) return speech;
    // Character offset of each spoken word, to map word events back to tokens.
    std::vector<std::size_t> word_offset;
    {
      std::size_t pos = 0, chars = 0;
      while (pos < text.size()) {
        word_offset.push_back(chars);
        const std::size_t space = text.find(' ', pos);
        const std::size_t stop = space == std::string::npos ? text.size() : space;
        chars += code_points(std::string_view(text).substr(pos, stop - pos)) + 1;
        pos = stop + 1;
      }
    }

    Capture capture;
    const espeak_ERROR err = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                          espeakCHARS_UTF8, nullptr, &capture);
    if (err != EE_OK)
      return core::fail(core::ErrorCode::internal, "espeak-ng could not synthesize the script");
    speech.samples = std::move(capture.samples);
    const double total = speech.duration();

    std::ptrdiff_t current = -1;  // the token being spoken
    for (std::size_t i = 0; i < capture.events.size(); ++i) {
      const auto& e = capture.events[i];
      const double at = e.audio_ms / 1000.0;
      if (e.type == espeakEVENT_WORD) {
        // espeak-ng ends some clauses with an empty word event that points back into an earlier
        // word (after "Größe, Übung und Geduld." it points at "Größe"); words are spoken in
        // order, so only an event for a later word moves the mouth and the highlight on.
        if (e.length <= 0) continue;
        const auto offset = static_cast<std::size_t>(std::max(e.text_position - 1, 0));
        auto it = std::upper_bound(word_offset.begin(), word_offset.end(), offset);
        const std::size_t word =
            it == word_offset.begin() ? 0 : static_cast<std::size_t>(it - word_offset.begin()) - 1;
        const auto token =
            static_cast<std::ptrdiff_t>(word_token[std::min(word, word_token.size() - 1)]);
        if (token < current) continue;
        current = token;
        auto& t = speech.tokens[static_cast<std::size_t>(current)];
        if (t.start < 0) t.start = at;
        t.end = std::max(t.end, at);
      } else if (e.type == espeakEVENT_PHONEME) {
        double end = total;
        for (std::size_t j = i + 1; j < capture.events.size(); ++j) {
          if (capture.events[j].type != espeakEVENT_WORD) {
            end = capture.events[j].audio_ms / 1000.0;
            break;
          }
        }
        const Viseme v = viseme_for_ipa(e.phoneme);
        speech.phones.push_back({at, std::max(end, at), v});
        if (current >= 0 && v != Viseme::rest) {
          auto& t = speech.tokens[static_cast<std::size_t>(current)];
          t.end = std::max(t.end, std::min(end, total));
        }
      }
    }
    return speech;
  }

 private:
  std::mutex mutex_;
  int sample_rate_ = 0;
};

}  // namespace

TtsEngine& espeak_engine() {
  static EspeakEngine engine;
  return engine;
}

}  // namespace reelgen::video::detail
