// RHVoice: the English voices slt, clb, bdl and alan through its C API. RHVoice reports word
// starts and ends (by byte position) but no phones, and only between its 100 ms output chunks;
// so each word boundary is moved to the quietest moment of the chunk it fell in, and espeak-ng's
// phones for the same words (with their relative durations) are fitted inside those words.

#include <RHVoice.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>

#include "video/tts.hpp"

namespace reelgen::video::detail {
namespace {

constexpr const char* kDataPath = "/usr/share/RHVoice";
constexpr const char* kConfigPath = "/etc/RHVoice";
constexpr double kChunkSeconds = 0.1;  // how far a reported boundary may lag the true one

struct Capture {
  int sample_rate = 0;
  std::vector<std::int16_t> samples;
  struct Event {
    bool start;
    unsigned position;  // byte offset in the text
    std::size_t sample;
  };
  std::vector<Event> events;
};

int on_sample_rate(int rate, void* user) {
  static_cast<Capture*>(user)->sample_rate = rate;
  return 1;
}
int on_speech(const short* samples, unsigned int count, void* user) {
  auto* c = static_cast<Capture*>(user);
  c->samples.insert(c->samples.end(), samples, samples + count);
  return 1;
}
int on_word_start(unsigned int position, unsigned int, void* user) {
  auto* c = static_cast<Capture*>(user);
  c->events.push_back({true, position, c->samples.size()});
  return 1;
}
int on_word_end(unsigned int position, unsigned int, void* user) {
  auto* c = static_cast<Capture*>(user);
  c->events.push_back({false, position, c->samples.size()});
  return 1;
}

// Mean square of 10 ms frames, for placing boundaries.
struct Energy {
  double frame_seconds = 0.01;
  std::vector<double> frames;
  Energy(const std::vector<std::int16_t>& s, int rate) {
    const auto n = static_cast<std::size_t>(rate * frame_seconds);
    for (std::size_t i = 0; i + n <= s.size(); i += n) {
      double sum = 0;
      for (std::size_t j = i; j < i + n; ++j) sum += static_cast<double>(s[j]) * s[j];
      frames.push_back(sum / static_cast<double>(n));
    }
  }
  // The quietest moment in [from, to] (seconds): the last frame within 1.5x of the minimum
  // when onset (a word starts as the sound rises), the first when offset.
  double quietest(double from, double to, bool onset) const {
    if (frames.empty()) return from;
    const auto a =
        static_cast<std::size_t>(std::clamp(from / frame_seconds, 0.0, frames.size() - 1.0));
    const auto b =
        static_cast<std::size_t>(std::clamp(to / frame_seconds, 0.0, frames.size() - 1.0));
    if (b <= a) return from;
    const double low = *std::min_element(frames.begin() + static_cast<std::ptrdiff_t>(a),
                                         frames.begin() + static_cast<std::ptrdiff_t>(b) + 1);
    std::size_t pick = a;
    for (std::size_t i = a; i <= b; ++i) {
      if (frames[i] <= low * 1.5 + 1) {
        pick = i;
        if (!onset) break;
      }
    }
    // The boundary is at the frame's far side for an onset, its near side for an offset.
    return (onset ? pick + 1 : pick) * frame_seconds;
  }
};

// Maps espeak-ng's timeline onto RHVoice's through matching word boundaries, linearly between.
class TimeWarp {
 public:
  void add(double from, double to) {
    if (!points_.empty() && (from <= points_.back().first || to < points_.back().second)) return;
    points_.emplace_back(from, to);
  }
  double operator()(double t) const {
    if (points_.empty()) return t;
    auto it = std::lower_bound(points_.begin(), points_.end(), std::pair{t, -1e300});
    if (it == points_.begin()) return points_.front().second;
    if (it == points_.end()) return points_.back().second;
    const auto& [x1, y1] = *it;
    const auto& [x0, y0] = *(it - 1);
    return y0 + (y1 - y0) * (t - x0) / (x1 - x0);
  }

 private:
  std::vector<std::pair<double, double>> points_;
};

class RhvoiceEngine final : public TtsEngine {
 public:
  ~RhvoiceEngine() override {
    if (engine_ != nullptr) RHVoice_delete_tts_engine(engine_);
  }

  core::Result<Speech> synthesize(const std::vector<Token>& tokens, const VoiceInfo& voice,
                                  const SpeechParams& params) override {
    std::vector<std::size_t> word_token;
    const std::string text = spoken_text(tokens, word_token);
    Speech speech;
    speech.tokens.assign(tokens.size(), WordTiming{});
    if (text.empty()) return speech;
    Capture capture;
    {
      std::lock_guard lock(mutex_);
      if (engine_ == nullptr) {
        RHVoice_init_params init{};
        init.data_path = kDataPath;
        init.config_path = kConfigPath;
        init.callbacks.set_sample_rate = on_sample_rate;
        init.callbacks.play_speech = on_speech;
        init.callbacks.word_starts = on_word_start;
        init.callbacks.word_ends = on_word_end;
        engine_ = RHVoice_new_tts_engine(&init);
        if (engine_ == nullptr) {
          return core::fail(core::ErrorCode::internal,
                            std::string("RHVoice data not found in ") + kDataPath);
        }
      }
      RHVoice_synth_params synth{};
      synth.voice_profile = voice.engine_voice.c_str();
      synth.relative_rate = params.speed;
      synth.relative_pitch = params.pitch;
      synth.relative_volume = 1;
      RHVoice_message message =
          RHVoice_new_message(engine_, text.c_str(), static_cast<unsigned>(text.size()),
                              RHVoice_message_text, &synth, &capture);
      if (message == nullptr) {
        return core::fail(core::ErrorCode::internal,
                          "RHVoice voice " + voice.engine_voice + " is missing");
      }
      const int ok = RHVoice_speak(message);
      RHVoice_delete_message(message);
      if (ok == 0 || capture.sample_rate <= 0) {
        return core::fail(core::ErrorCode::internal, "RHVoice could not synthesize the script");
      }
    }
    speech.sample_rate = capture.sample_rate;
    speech.samples = std::move(capture.samples);
    const double total = speech.duration();
    const Energy energy(speech.samples, speech.sample_rate);

    // Byte offset of each spoken word, to map events back to tokens.
    std::vector<std::size_t> word_offset;
    for (std::size_t pos = 0; pos < text.size();) {
      word_offset.push_back(pos);
      const std::size_t space = text.find(' ', pos);
      pos = space == std::string::npos ? text.size() : space + 1;
    }
    std::vector<WordTiming> words(word_offset.size());
    std::size_t current = 0;
    for (const auto& e : capture.events) {
      auto it = std::upper_bound(word_offset.begin(), word_offset.end(), e.position);
      const std::size_t w =
          it == word_offset.begin() ? 0 : static_cast<std::size_t>(it - word_offset.begin()) - 1;
      if (w < current) continue;  // words are spoken in order
      current = w;
      const double at = static_cast<double>(e.sample) / speech.sample_rate;
      // A boundary is reported at the start of the output chunk it falls in.
      const double refined = energy.quietest(at, std::min(total, at + kChunkSeconds), e.start);
      if (e.start && words[w].start < 0) words[w].start = refined;
      if (!e.start) words[w].end = std::max(words[w].start, refined);
    }
    // A word ends where the next begins when RHVoice put no silence between them.
    for (std::size_t w = 0; w + 1 < words.size(); ++w) {
      if (words[w].start >= 0 && words[w + 1].start >= 0)
        words[w].end = std::min(words[w].end, words[w + 1].start);
      if (words[w].start >= 0 && words[w].end < words[w].start) words[w].end = words[w].start;
    }
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (words[w].start < 0) continue;
      auto& t = speech.tokens[word_token[w]];
      if (t.start < 0) t.start = words[w].start;
      t.end = std::max(t.end, std::min(words[w].end, total));
    }
    speech.phones = phones_for(tokens, speech.tokens, total);
    return speech;
  }

 private:
  // espeak-ng's phones for the same tokens, fitted to RHVoice's word times.
  static std::vector<Phone> phones_for(const std::vector<Token>& tokens,
                                       const std::vector<WordTiming>& times, double total) {
    static const VoiceInfo phonemizer{"en-us", "", "en", "male", TtsEngineKind::espeak, "en-us"};
    // Only the phones' order and relative lengths matter, so espeak-ng speaks as fast as it can
    // (about 2.5 times faster to synthesize); the warp stretches them to RHVoice's words.
    auto reference = espeak_engine().synthesize(tokens, phonemizer, {2.5, 1.0});
    if (!reference) return {};
    TimeWarp warp;
    warp.add(0, 0);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const auto& e = reference->tokens[i];
      const auto& r = times[i];
      if (e.start < 0 || r.start < 0) continue;
      warp.add(e.start, r.start);
      warp.add(e.end, r.end);
    }
    warp.add(reference->duration(), total);
    std::vector<Phone> phones;
    for (const auto& p : reference->phones) {
      const double start = warp(p.start), end = warp(p.end);
      if (end > start) phones.push_back({start, end, p.viseme});
    }
    return phones;
  }

  std::mutex mutex_;
  RHVoice_tts_engine engine_ = nullptr;
};

}  // namespace

TtsEngine& rhvoice_engine() {
  static RhvoiceEngine engine;
  return engine;
}

}  // namespace reelgen::video::detail
