#include "video/catalog.hpp"

#include <algorithm>
#include <set>

#include "video/avatar.hpp"
#include "video/lip_sync.hpp"

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

core::Result<std::string> avatar_preview_png(std::string_view id, int size) {
  const auto& styles = detail::avatar_styles();
  auto it = std::find_if(styles.begin(), styles.end(), [id](const auto& s) { return s.id == id; });
  if (it == styles.end()) return core::fail(core::ErrorCode::not_found, "no avatar " + std::string(id));
  if (size < 32 || size > 1024) return std::unexpected(core::Error::invalid("size", "range", "size must be 32..1024"));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.13, 0.2, 0.33);
  cairo_paint(cr);
  const detail::Rect box{size / 20, size / 10, size - size / 10, size - size / 10};
  auto avatar = detail::make_vector_avatar(*it, box);
  avatar->draw_static(cr);
  detail::AvatarPose pose;
  pose.mouth = {detail::Viseme::open, detail::Viseme::open, 1};
  avatar->draw_dynamic(cr, pose);
  cairo_destroy(cr);
  std::string png;
  const auto status = cairo_surface_write_to_png_stream(
      surface,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) return core::fail(core::ErrorCode::internal, "cannot encode the preview");
  return png;
}

}  // namespace reelgen::video
