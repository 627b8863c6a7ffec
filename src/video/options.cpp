// Names of the request's options and the request's validation.

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include "core/json.hpp"
#include "core/utf8.hpp"
#include "video/catalog.hpp"
#include "video/field_prefix.hpp"
#include "video/pause_marks.hpp"
#include "video/video.hpp"

namespace reelgen::video {
namespace {

template <typename T, std::size_t N>
core::Result<T> parse_name(std::string_view field, std::string_view text,
                           const std::array<std::pair<std::string_view, T>, N>& names) {
  std::vector<std::string_view> valid;
  for (const auto& [name, value] : names) {
    if (name == text) return value;
    valid.push_back(name);
  }
  return std::unexpected(
      core::Error::invalid(std::string(field), "one_of", "must be one of " + core::join(valid)));
}

std::string list_of(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

core::Result<Aspect> parse_aspect(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Aspect>, 3> names = {
      {{"16:9", Aspect::landscape}, {"9:16", Aspect::portrait}, {"1:1", Aspect::square}}};
  return parse_name("aspect", text, names);
}
core::Result<Resolution> parse_resolution(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Resolution>, 3> names = {
      {{"360p", Resolution::p360}, {"720p", Resolution::p720}, {"1080p", Resolution::p1080}}};
  return parse_name("resolution", text, names);
}
core::Result<Quality> parse_quality(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Quality>, 3> names = {
      {{"low", Quality::low}, {"medium", Quality::medium}, {"high", Quality::high}}};
  return parse_name("quality", text, names);
}
core::Result<Format> parse_format(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Format>, 2> names = {
      {{"mp4", Format::mp4}, {"webm", Format::webm}}};
  return parse_name("format", text, names);
}
core::Result<SubtitlePosition> parse_subtitle_position(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, SubtitlePosition>, 3> names = {
      {{"top", SubtitlePosition::top},
       {"center", SubtitlePosition::center},
       {"bottom", SubtitlePosition::bottom}}};
  return parse_name("subtitles.position", text, names);
}
core::Result<SubtitleStyle> parse_subtitle_style(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, SubtitleStyle>, 2> names = {
      {{"outline", SubtitleStyle::outline}, {"box", SubtitleStyle::box}}};
  return parse_name("subtitles.style", text, names);
}

FrameSize frame_size(Resolution resolution, Aspect aspect) {
  const int s = resolution == Resolution::p360 ? 360 : resolution == Resolution::p720 ? 720 : 1080;
  const int l = s * 16 / 9;
  switch (aspect) {
    case Aspect::landscape:
      return {l, s};
    case Aspect::portrait:
      return {s, l};
    case Aspect::square:
      return {s, s};
  }
  return {s, s};
}

namespace {

using AddError = std::function<void(std::string field, std::string rule, std::string message)>;

// Length limits are checked by the caller: per script alone, or over all scenes.
void check_script(const std::string& prefix, const std::string& script, bool check_length,
                  const AddError& add) {
  const std::string field = prefix + "script";
  if (!core::is_valid_utf8(script)) {
    add(field, "utf8", "must be valid UTF-8");
    return;
  }
  if (core::normalize_space(script).empty()) {
    add(field, "required", "must not be empty");
    return;
  }
  if (check_length && core::utf8_length(script) > kMaxScriptChars) {
    add(field, "max_length", "must be at most " + std::to_string(kMaxScriptChars) + " characters");
    return;
  }
  auto parts = detail::split_pause_marks(script);
  if (!parts) {
    const auto& f = parts.error().fields.front();
    add(field, f.rule, f.message);
    return;
  }
  std::string words;
  for (const auto& part : *parts) words += part.text + " ";
  if (core::normalize_space(words).empty())
    add(field, "required", "must have words besides pause marks");
}

// Who speaks: language, avatar (and its portrait) and voice.
void check_speaker(const std::string& prefix, const std::string& language,
                   const std::string& avatar_id, const std::string& portrait_path,
                   const std::string& voice_id, const AddError& add) {
  const Catalog& c = catalog();
  const bool language_ok =
      std::find(c.languages.begin(), c.languages.end(), language) != c.languages.end();
  if (!language_ok)
    add(prefix + "language", "one_of", "unknown language; valid: " + list_of(c.languages));
  const bool portrait = avatar_id == "portrait";
  if (!portrait && find_avatar(avatar_id) == nullptr) {
    std::vector<std::string> ids;
    for (const auto& a : c.avatars) ids.push_back(a.id);
    ids.push_back("portrait");
    add(prefix + "avatar_id", "one_of", "unknown avatar; valid: " + list_of(ids));
  }
  if (portrait && portrait_path.empty())
    add(prefix + "portrait_path", "required", "avatar portrait needs an image");
  if (!voice_id.empty()) {
    const VoiceInfo* v = find_voice(voice_id);
    if (v == nullptr) {
      std::vector<std::string> ids;
      for (const auto& voice : c.voices) {
        if (!language_ok || voice.language == language) ids.push_back(voice.id);
      }
      add(prefix + "voice_id", "one_of", "unknown voice; valid: " + list_of(ids));
    } else if (language_ok && v->language != language) {
      std::vector<std::string> ids;
      for (const auto& voice : c.voices) {
        if (voice.language == language) ids.push_back(voice.id);
      }
      add(prefix + "voice_id", "language",
          "voice " + voice_id + " speaks " + v->language + ", not " + language + "; valid for " +
              language + ": " + list_of(ids));
    }
  }
}

void check_background(const std::string& prefix, const std::string& background,
                      const AddError& add) {
  if (background.empty())
    add(prefix + "background", "required", "must be a colour, a gradient or an image path");
  if (!background.empty() && background[0] != '#' && !background.starts_with("gradient:")) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(background, ec)) {
      add(prefix + "background", "format",
          "must be #rrggbb, gradient:#rrggbb:#rrggbb or a readable image file");
    }
  }
}

// Portrait boxes: a positive size at a non-negative place (that they lie inside the image is
// checked when it is read).
void check_boxes(const std::string& prefix, const std::optional<ImageBox>& mouth,
                 const std::optional<ImageBox>& eyes, const std::optional<ImageBox>& face,
                 const AddError& add) {
  for (const auto& [name, b] :
       {std::pair{"mouth_box", mouth}, {"eyes_box", eyes}, {"face_box", face}}) {
    if (b && (b->width <= 0 || b->height <= 0 || b->x < 0 || b->y < 0)) {
      add(prefix + name, "positive", "must have x, y >= 0 and width, height > 0 (image pixels)");
    }
  }
}

// One line of plain text: no controls (C0, DEL, C1) and no bidi overrides or isolates.
void check_hook(const std::string& hook, const AddError& add) {
  if (hook.empty()) return;
  if (!core::is_valid_utf8(hook)) {
    add("hook", "utf8", "must be valid UTF-8");
    return;
  }
  if (core::utf8_length(hook) > kMaxHookChars) {
    add("hook", "max_length", "must be at most " + std::to_string(kMaxHookChars) + " characters");
  }
  if (core::normalize_space(hook).empty()) add("hook", "blank", "must have text, or be left out");
  for (std::size_t i = 0; i < hook.size(); ++i) {
    const auto c = static_cast<unsigned char>(hook[i]);
    const bool c0 = c < 0x20 || c == 0x7f;
    const bool c1 =
        c == 0xc2 && i + 1 < hook.size() && static_cast<unsigned char>(hook[i + 1]) < 0xa0;
    // U+202A..U+202E and U+2066..U+2069 (E2 80 AA..AE, E2 81 A6..A9).
    const bool bidi = c == 0xe2 && i + 2 < hook.size() &&
                      ((static_cast<unsigned char>(hook[i + 1]) == 0x80 &&
                        static_cast<unsigned char>(hook[i + 2]) >= 0xaa &&
                        static_cast<unsigned char>(hook[i + 2]) <= 0xae) ||
                       (static_cast<unsigned char>(hook[i + 1]) == 0x81 &&
                        static_cast<unsigned char>(hook[i + 2]) >= 0xa6 &&
                        static_cast<unsigned char>(hook[i + 2]) <= 0xa9));
    if (c0 || c1 || bidi) {
      add("hook", "text",
          "must be one line of text, without control or bidirectional-override characters");
      return;
    }
  }
}

}  // namespace

core::Result<void> validate(const RenderRequest& r) {
  std::vector<core::FieldError> errors;
  const AddError add = [&errors](std::string field, std::string rule, std::string message) {
    errors.push_back({std::move(field), std::move(rule), std::move(message)});
  };
  const bool scenes = !r.scenes.empty();
  if (scenes) {
    if (r.scenes.size() > kMaxScenes) {
      add("scenes", "max_items", "must have at most " + std::to_string(kMaxScenes) + " scenes");
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < r.scenes.size() && i < kMaxScenes; ++i) {
      const Scene& s = r.scenes[i];
      const std::string prefix = detail::scene_prefix(i);
      check_script(prefix, s.script, false, add);
      check_speaker(prefix, s.language, s.avatar_id, s.portrait_path, s.voice_id, add);
      check_background(prefix, s.background, add);
      check_boxes(prefix, s.mouth_box, s.eyes_box, s.face_box, add);
      if (core::is_valid_utf8(s.script)) total += core::utf8_length(s.script);
    }
    if (total > kMaxScriptChars) {
      add("scenes", "max_total_length",
          "the scripts of all scenes must have at most " + std::to_string(kMaxScriptChars) +
              " characters together");
    }
  } else {
    check_script("", r.script, true, add);
    check_speaker("", r.language, r.avatar_id, r.portrait_path, r.voice_id, add);
    check_boxes("", r.mouth_box, r.eyes_box, r.face_box, add);
  }
  if (!(r.speed >= 0.5 && r.speed <= 2.0)) add("speed", "range", "must be between 0.5 and 2.0");
  if (!(r.pitch >= 0.5 && r.pitch <= 2.0)) add("pitch", "range", "must be between 0.5 and 2.0");
  if (r.fps < 15 || r.fps > 60) add("fps", "range", "must be between 15 and 60");
  if (!(r.music_volume >= 0 && r.music_volume <= 1))
    add("music_volume", "range", "must be between 0 and 1");
  if (!scenes) check_background("", r.background, add);
  check_hook(r.hook, add);
  if (!r.music_path.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(r.music_path, ec))
      add("music_path", "readable", "no such file: " + r.music_path);
  }
  if (errors.empty()) return {};
  core::Error e = core::Error::invalid_fields(std::move(errors));
  if (e.fields.size() > 1) e.message += " (and " + std::to_string(e.fields.size() - 1) + " more)";
  return std::unexpected(std::move(e));
}

}  // namespace reelgen::video
