#include "video/catalog.hpp"

#include <algorithm>
#include <set>

#include "video/avatar_style.hpp"

namespace reelgen::video {
namespace {

Catalog build() {
  Catalog c;
  for (const auto& s : detail::avatar_styles())
    c.avatars.push_back({s.id, s.name, s.voice, s.description});
  // RHVoice's four English voices first: they sound the most natural, so they are the
  // language's default and the avatars'. lyubov and evgeniy-eng are left out: their licence
  // (CC BY-NC-ND) forbids commercial use. flite's keep their ids; kal is its 16 kHz voice.
  c.voices = {
      {"rhv-slt", "Sally (American English, female, RHVoice)", "en", "female",
       TtsEngineKind::rhvoice, "Slt"},
      {"rhv-clb", "Claire (American English, female, RHVoice)", "en", "female",
       TtsEngineKind::rhvoice, "Clb"},
      {"rhv-bdl", "Ben (American English, male, RHVoice)", "en", "male", TtsEngineKind::rhvoice,
       "Bdl"},
      {"rhv-alan", "Alan (Scottish English, male, RHVoice)", "en", "male", TtsEngineKind::rhvoice,
       "Alan"},
      {"kal", "Kal (American English, male)", "en", "male", TtsEngineKind::flite, "cmu_us_kal16"},
      {"slt", "Sally (American English, female)", "en", "female", TtsEngineKind::flite,
       "cmu_us_slt"},
      {"rms", "Rob (American English, male)", "en", "male", TtsEngineKind::flite, "cmu_us_rms"},
      {"awb", "Alan (Scottish English, male)", "en", "male", TtsEngineKind::flite, "cmu_us_awb"},
  };
  struct Lang {
    const char* code;
    const char* name;
    const char* espeak;
  };
  constexpr Lang langs[] = {
      {"es", "Spanish", "es"}, {"fr", "French", "fr"},     {"de", "German", "de"},
      {"it", "Italian", "it"}, {"pt", "Portuguese", "pt"}, {"nl", "Dutch", "nl"},
      {"pl", "Polish", "pl"},  {"sv", "Swedish", "sv"},    {"tr", "Turkish", "tr"},
      {"ru", "Russian", "ru"}, {"id", "Indonesian", "id"},
  };
  for (const auto& l : langs) {
    c.voices.push_back({l.code, std::string(l.name) + " (espeak-ng, male)", l.code, "male",
                        TtsEngineKind::espeak, l.espeak});
    c.voices.push_back({std::string(l.code) + "-f", std::string(l.name) + " (espeak-ng, female)",
                        l.code, "female", TtsEngineKind::espeak, std::string(l.espeak) + "+f3"});
  }
  std::set<std::string> languages;
  for (auto& v : c.voices) {
    languages.insert(v.language);
    v.preview_url = "/api/v1/voices/" + v.id + "/preview.wav";
  }
  c.languages.assign(languages.begin(), languages.end());
  return c;
}

}  // namespace

std::string_view engine_name(TtsEngineKind kind) {
  switch (kind) {
    case TtsEngineKind::rhvoice:
      return "rhvoice";
    case TtsEngineKind::flite:
      return "flite";
    case TtsEngineKind::espeak:
      return "espeak-ng";
  }
  return "unknown";
}

const Catalog& catalog() {
  static const Catalog c = build();
  return c;
}

const AvatarInfo* find_avatar(std::string_view id) {
  for (const auto& a : catalog().avatars) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

const VoiceInfo* find_voice(std::string_view id) {
  for (const auto& v : catalog().voices) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

const VoiceInfo* default_voice_for(std::string_view language) {
  for (const auto& v : catalog().voices) {
    if (v.language == language) return &v;
  }
  return nullptr;
}

}  // namespace reelgen::video
