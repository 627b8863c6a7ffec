// flite: the English voices kal (kal16, 16 kHz), slt, rms and awb, with segment (phone) timings
// from the utterance's Segment relation.

#include <flite.h>

#include <mutex>
#include <string>
#include <unordered_map>

#include "video/tts.hpp"

extern "C" {
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
}

namespace reelgen::video::detail {
namespace {

class FliteEngine final : public TtsEngine {
 public:
  core::Result<Speech> synthesize(const std::vector<Token>& tokens, const VoiceInfo& voice,
                                  const SpeechParams& params) override {
    // flite voices carry mutable features and the library keeps global state: one at a time.
    std::lock_guard lock(mutex_);
    cst_voice* v = load(voice.engine_voice);
    if (v == nullptr) {
      return core::fail(core::ErrorCode::internal,
                        "flite voice " + voice.engine_voice + " is missing");
    }
    std::vector<std::size_t> word_token;
    const std::string text = spoken_text(tokens, word_token);
    Speech speech;
    speech.tokens.assign(tokens.size(), WordTiming{});
    if (text.empty()) return speech;

    const float base_f0 = flite_get_param_float(v->features, "int_f0_target_mean", 100.0f);
    flite_feat_set_float(v->features, "duration_stretch", static_cast<float>(1.0 / params.speed));
    flite_feat_set_float(v->features, "int_f0_target_mean",
                         static_cast<float>(base_f0 * params.pitch));
    cst_utterance* utt = flite_synth_text(text.c_str(), v);
    flite_feat_set_float(v->features, "duration_stretch", 1.0f);
    flite_feat_set_float(v->features, "int_f0_target_mean", base_f0);
    if (utt == nullptr)
      return core::fail(core::ErrorCode::internal, "flite could not synthesize the script");

    const cst_wave* wave = utt_wave(utt);
    if (wave == nullptr || cst_wave_num_channels(wave) != 1) {
      delete_utterance(utt);
      return core::fail(core::ErrorCode::internal, "flite produced no audio");
    }
    speech.sample_rate = cst_wave_sample_rate(wave);
    speech.samples.assign(cst_wave_samples(wave),
                          cst_wave_samples(wave) + cst_wave_num_samples(wave));

    // flite's Token items are our whitespace-separated spoken words, in order.
    std::unordered_map<const cst_item*, std::size_t> token_index;
    std::size_t k = 0;
    for (const cst_item* t = relation_head(utt_relation(utt, "Token")); t != nullptr;
         t = item_next(t)) {
      if (k < word_token.size()) token_index[t] = word_token[k];
      ++k;
    }
    double previous_end = 0;
    for (const cst_item* s = relation_head(utt_relation(utt, "Segment")); s != nullptr;
         s = item_next(s)) {
      const double end = item_feat_float(s, "end");
      const std::string name = item_name(s);
      speech.phones.push_back({previous_end, end, viseme_for_arpabet(name)});
      if (name != "pau") {
        const cst_item* token = path_to_item(s, "R:SylStructure.parent.parent.R:Token.parent");
        if (auto it = token_index.find(token); it != token_index.end()) {
          auto& w = speech.tokens[it->second];
          if (w.start < 0) w.start = previous_end;
          w.end = end;
        }
      }
      previous_end = end;
    }
    delete_utterance(utt);
    return speech;
  }

 private:
  cst_voice* load(const std::string& name) {
    if (!initialized_) {
      flite_init();
      initialized_ = true;
    }
    if (auto it = voices_.find(name); it != voices_.end()) return it->second;
    cst_voice* v = nullptr;
    if (name == "cmu_us_kal16") v = register_cmu_us_kal16(nullptr);
    if (name == "cmu_us_slt") v = register_cmu_us_slt(nullptr);
    if (name == "cmu_us_rms") v = register_cmu_us_rms(nullptr);
    if (name == "cmu_us_awb") v = register_cmu_us_awb(nullptr);
    voices_[name] = v;
    return v;
  }

  std::mutex mutex_;
  bool initialized_ = false;
  std::unordered_map<std::string, cst_voice*> voices_;
};

}  // namespace

TtsEngine& flite_engine() {
  static FliteEngine engine;
  return engine;
}

}  // namespace reelgen::video::detail
