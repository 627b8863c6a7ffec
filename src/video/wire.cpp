#include "video/wire.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <type_traits>

namespace reelgen::video::wire {
namespace {

namespace json = boost::json;

// One list of fields per type serves both directions: the visitor writes or reads each one.
template <typename S, typename Visit>
void speaker_fields(S& s, Visit&& v) {
  v("script", s.script);
  v("avatar_id", s.avatar_id);
  v("voice_id", s.voice_id);
  v("language", s.language);
  v("background", s.background);
  v("portrait_path", s.portrait_path);
  v("mouth_box", s.mouth_box);
  v("eyes_box", s.eyes_box);
  v("face_box", s.face_box);
}

template <typename R, typename Visit>
void request_fields(R& r, Visit&& v) {
  speaker_fields(r, v);
  v("speed", r.speed);
  v("pitch", r.pitch);
  v("resolution", r.resolution);
  v("aspect", r.aspect);
  v("quality", r.quality);
  v("format", r.format);
  v("fps", r.fps);
  v("music_path", r.music_path);
  v("music_volume", r.music_volume);
  v("subtitles", r.subtitles.enabled);
  v("subtitle_position", r.subtitles.position);
  v("subtitle_style", r.subtitles.style);
  v("subtitle_highlight", r.subtitles.highlight);
  v("hook", r.hook);
  v("draft", r.draft);
  v("write_sidecars", r.write_sidecars);
  v("allow_hardware", r.allow_hardware);
}

template <typename S, typename Visit>
void summary_fields(S& s, Visit&& v) {
  v("output", s.output);
  v("thumbnail", s.thumbnail);
  v("srt", s.srt);
  v("vtt", s.vtt);
  v("duration_s", s.duration_s);
  v("speech_s", s.speech_s);
  v("frames", s.frames);
  v("fps", s.fps);
  v("width", s.width);
  v("height", s.height);
  v("bytes", s.bytes);
  v("elapsed_s", s.elapsed_s);
  v("drawing_s", s.drawing_s);
  v("encoding_s", s.encoding_s);
  v("realtime_factor", s.realtime_factor);
  v("video_codec", s.video_codec);
  v("audio_codec", s.audio_codec);
  v("voice_id", s.voice_id);
  v("avatar_id", s.avatar_id);
  v("words", s.words);
  v("cues", s.cues);
}

template <typename T>
json::value encode(const T& x) {
  if constexpr (std::is_same_v<T, bool>) {
    return json::value(x);
  } else if constexpr (std::is_enum_v<T>) {
    return json::value(static_cast<int>(x));
  } else if constexpr (std::is_arithmetic_v<T>) {
    return json::value(x);
  } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
    return json::value(x.string());
  } else if constexpr (std::is_same_v<T, std::optional<MouthBox>>) {
    if (!x) return json::value(nullptr);
    return json::value(json::array{x->x, x->y, x->width, x->height});
  } else {
    return json::value(x);
  }
}

template <typename T>
bool decode(const json::value& v, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_bool()) return false;
    out = v.get_bool();
  } else if constexpr (std::is_enum_v<T>) {
    // Every enum of the request has three or fewer values.
    if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() > 2) return false;
    out = static_cast<T>(v.get_int64());
  } else if constexpr (std::is_arithmetic_v<T>) {
    boost::system::error_code ec;
    const T n = v.to_number<T>(ec);
    if (ec) return false;
    out = n;
  } else if constexpr (std::is_same_v<T, std::optional<MouthBox>>) {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    const json::array* a = v.if_array();
    if (a == nullptr || a->size() != 4) return false;
    MouthBox m;
    int* parts[] = {&m.x, &m.y, &m.width, &m.height};
    for (std::size_t i = 0; i < 4; ++i) {
      if (!decode((*a)[i], *parts[i])) return false;
    }
    out = m;
  } else {
    if (!v.is_string()) return false;
    out = std::string(v.get_string());
  }
  return true;
}

json::object write(const auto& fields_of, const auto& value) {
  json::object o;
  fields_of(value, [&o](std::string_view key, const auto& x) { o[key] = encode(x); });
  return o;
}

// Reads every field present in o; false when one has the wrong type.
bool read(const auto& fields_of, const json::object& o, auto& value) {
  bool ok = true;
  fields_of(value, [&](std::string_view key, auto& x) {
    if (const json::value* v = o.if_contains(key)) ok = decode(*v, x) && ok;
  });
  return ok;
}

const auto kSpeaker = [](auto& s, auto&& v) { speaker_fields(s, v); };
const auto kRequest = [](auto& r, auto&& v) { request_fields(r, v); };
const auto kSummary = [](auto& s, auto&& v) { summary_fields(s, v); };

core::Error broken(std::string_view what) {
  return core::Error::make(core::ErrorCode::internal,
                           "the renderer sent a malformed " + std::string(what));
}

}  // namespace

json::object to_json(const RenderRequest& request) {
  json::object o = write(kRequest, request);
  json::array scenes;
  for (const Scene& s : request.scenes) scenes.push_back(write(kSpeaker, s));
  o["scenes"] = std::move(scenes);
  return o;
}

core::Result<RenderRequest> request_from_json(const json::value& value) {
  RenderRequest r;
  const json::object* o = value.if_object();
  if (o == nullptr || !read(kRequest, *o, r)) return std::unexpected(broken("request"));
  if (const json::value* scenes = o->if_contains("scenes")) {
    if (!scenes->is_array()) return std::unexpected(broken("request"));
    for (const json::value& s : scenes->get_array()) {
      Scene scene;
      if (!s.is_object() || !read(kSpeaker, s.get_object(), scene))
        return std::unexpected(broken("request"));
      r.scenes.push_back(std::move(scene));
    }
  }
  return r;
}

json::object to_json(const RenderSummary& summary) { return write(kSummary, summary); }

core::Result<RenderSummary> summary_from_json(const json::value& value) {
  RenderSummary s;
  const json::object* o = value.if_object();
  if (o == nullptr || !read(kSummary, *o, s)) return std::unexpected(broken("summary"));
  return s;
}

json::object to_json(const core::Error& error) {
  json::array fields;
  for (const auto& f : error.fields) fields.push_back(json::array{f.field, f.rule, f.message});
  return {{"code", static_cast<int>(error.code)},
          {"message", error.message},
          {"fields", std::move(fields)}};
}

core::Error error_from_json(const json::value& value) {
  const json::object* o = value.if_object();
  const json::value* code = o ? o->if_contains("code") : nullptr;
  const json::value* message = o ? o->if_contains("message") : nullptr;
  const json::value* fields = o ? o->if_contains("fields") : nullptr;
  const auto last = static_cast<std::int64_t>(core::ErrorCode::internal);
  if (!code || !code->is_int64() || code->get_int64() < 0 || code->get_int64() > last || !message ||
      !message->is_string() || !fields || !fields->is_array()) {
    return broken("error");
  }
  core::Error e = core::Error::make(static_cast<core::ErrorCode>(code->get_int64()),
                                    std::string(message->get_string()));
  for (const json::value& f : fields->get_array()) {
    const json::array* parts = f.if_array();
    if (parts == nullptr || parts->size() != 3) return broken("error");
    core::FieldError field;
    if (!decode((*parts)[0], field.field) || !decode((*parts)[1], field.rule) ||
        !decode((*parts)[2], field.message)) {
      return broken("error");
    }
    e.fields.push_back(std::move(field));
  }
  return e;
}

}  // namespace reelgen::video::wire
