#pragma once
// The avatars and voices a render may use. Avatar definitions live in data/video/avatars.txt,
// compiled into the binary. Plain data: reading the catalog loads no media library.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::video {

enum class TtsEngineKind { rhvoice, flite, espeak };
// "rhvoice", "flite" or "espeak-ng", as listings show it.
std::string_view engine_name(TtsEngineKind kind);

struct VoiceInfo {
  std::string id;        // "rhv-slt", "kal", "slt", "es", ...
  std::string name;      // for people
  std::string language;  // ISO 639-1
  std::string gender;    // "male" or "female"
  TtsEngineKind engine = TtsEngineKind::flite;
  std::string engine_voice;  // the engine's own voice name ("Slt", "cmu_us_kal16", "es", "fr+f3")
  std::string preview_url;   // a short spoken sample: "/api/v1/voices/ID/preview.wav"
};

struct AvatarInfo {
  std::string id;
  std::string name;
  std::string default_voice;
  std::string description;
};

struct Catalog {
  std::vector<AvatarInfo> avatars;  // drawn avatars; "portrait" (the user's photo) is extra
  std::vector<VoiceInfo> voices;
  std::vector<std::string> languages;  // every language some voice speaks, sorted
};

// Built once on first use; thread-safe.
const Catalog& catalog();

const AvatarInfo* find_avatar(std::string_view id);
const VoiceInfo* find_voice(std::string_view id);
// The first voice of the catalog that speaks language, or nullptr.
const VoiceInfo* default_voice_for(std::string_view language);

// A short spoken sample of the voice (a sentence in its language, at -14 LUFS) as a 16-bit
// mono WAV at 24 kHz, spoken by reelgen-render; not_found for an unknown id.
core::Result<std::string> voice_preview_wav(std::string_view id);

// A PNG of the avatar's face (size x size pixels, 32..1024), for catalog listings, drawn by
// reelgen-render (see render()).
core::Result<std::string> avatar_preview_png(std::string_view id, int size);

}  // namespace reelgen::video
