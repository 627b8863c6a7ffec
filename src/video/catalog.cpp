#include "video/catalog.hpp"

#include <algorithm>
#include <set>

#include "video/avatar_style.hpp"

namespace reelgen::video {
namespace {

Catalog build() {
  Catalog c;
  for (const auto& s : detail::avatar_styles()) c.avatars.push_back({s.id, s.name, s.voice, s.description});
  // flite's four English voices first: they are the best sounding and the avatars' defaults.
  c.voices = {
      {"kal", "Kal (American English, male)", "en", "male", TtsEngineKind::flite, "cmu_us_kal"},
      {"slt", "Sally (American English, female)", "en", "female", TtsEngineKind::flite, "cmu_us_slt"},
      {"rms", "Rob (American English, male)", "en", "male", TtsEngineKind::flite, "cmu_us_rms"},
      {"awb", "Alan (Scottish English, male)", "en", "male", TtsEngineKind::flite, "cmu_us_awb"},
  };
  struct Lang {
    const char* code;
    const char* name;
    const char* espeak;
  };
  constexpr Lang langs[] = {
      {"es", "Spanish", "es"},    {"fr", "French", "fr"},  {"de", "German", "de"},
      {"it", "Italian", "it"},    {"pt", "Portuguese", "pt"}, {"nl", "Dutch", "nl"},
      {"pl", "Polish", "pl"},     {"sv", "Swedish", "sv"}, {"tr", "Turkish", "tr"},
      {"ru", "Russian", "ru"},    {"id", "Indonesian", "id"},
  };
  for (const auto& l : langs) {
    c.voices.push_back({l.code, std::string(l.name) + " (espeak-ng, male)", l.code, "male",
                        TtsEngineKind::espeak, l.espeak});
    c.voices.push_back({std::string(l.code) + "-f", std::string(l.name) + " (espeak-ng, female)", l.code,
                        "female", TtsEngineKind::espeak, std::string(l.espeak) + "+f3"});
  }
  std::set<std::string> languages;
  for (const auto& v : c.voices) languages.insert(v.language);
  c.languages.assign(languages.begin(), languages.end());
  return c;
}

}  // namespace

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
