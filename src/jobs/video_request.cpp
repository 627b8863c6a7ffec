#include "jobs/video_request.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace reelgen::jobs {
namespace {

constexpr std::string_view kResolutions[] = {"720p", "1080p"};
constexpr std::string_view kAspects[] = {"16:9", "9:16", "1:1"};
constexpr std::string_view kQualities[] = {"low", "medium", "high"};
constexpr std::string_view kFormats[] = {"mp4", "webm"};
constexpr std::string_view kPositions[] = {"top", "center", "bottom"};
constexpr std::string_view kSubtitleStyles[] = {"outline", "box"};

void read_subtitles(core::ObjectReader& in, video::SubtitleOptions& out,
                    std::vector<core::FieldError>& errors) {
  const boost::json::object* object = in.object("subtitles");
  if (object == nullptr) return;
  core::ObjectReader sub(*object, "subtitles", errors);
  if (auto v = sub.boolean("enabled")) out.enabled = *v;
  if (auto v = sub.boolean("burn_in")) out.enabled = out.enabled && *v;
  if (auto v = sub.choice("position", kPositions)) {
    out.position = static_cast<video::SubtitlePosition>(*v);
  }
  if (auto v = sub.choice("style", kSubtitleStyles))
    out.style = static_cast<video::SubtitleStyle>(*v);
  if (auto v = sub.boolean("highlight")) out.highlight = *v;
  sub.reject_unknown();
}

bool is_hex_colour(std::string_view text) {
  return text.size() == 7 && text[0] == '#' &&
         text.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string_view::npos;
}

// "#rrggbb" or "gradient:#rrggbb:#rrggbb".
bool is_background_colour(std::string_view text) {
  if (is_hex_colour(text)) return true;
  return text.size() == 24 && text.starts_with("gradient:") && is_hex_colour(text.substr(9, 7)) &&
         text[16] == ':' && is_hex_colour(text.substr(17, 7));
}

}  // namespace

std::optional<std::filesystem::path> find_upload(const std::filesystem::path& dir,
                                                 std::string_view key_id,
                                                 std::string_view upload_id) {
  // Ids are ours ("upl_" + base62); anything else could walk out of the directory.
  if (!upload_id.starts_with("upl_") || upload_id.size() > 64) return std::nullopt;
  for (const char c : upload_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  }
  for (const char* ext : {".png", ".jpg"}) {
    auto path = dir / std::string(key_id) / (std::string(upload_id) + ext);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return std::nullopt;
}

namespace {

// A portrait box {"x", "y", "width", "height"} in image pixels; nullopt when absent or wrong.
std::optional<video::ImageBox> read_box(core::ObjectReader& in, const char* field,
                                        std::vector<core::FieldError>& errors) {
  const boost::json::object* box = in.object(field);
  if (box == nullptr) return std::nullopt;
  core::ObjectReader b(*box, in.path(field), errors);
  for (const char* name : {"x", "y", "width", "height"}) {
    if (!box->contains(name)) b.add_error(name, "required", "is required");
  }
  const auto x = b.integer("x", 0, video::kMaxImageSide);
  const auto y = b.integer("y", 0, video::kMaxImageSide);
  const auto w = b.integer("width", 1, video::kMaxImageSide);
  const auto h = b.integer("height", 1, video::kMaxImageSide);
  b.reject_unknown();
  if (!x || !y || !w || !h) return std::nullopt;
  return video::ImageBox{static_cast<int>(*x), static_cast<int>(*y), static_cast<int>(*w),
                         static_cast<int>(*h)};
}

// The fields a whole request and each scene share: what is said, by whom, in front of what.
// Target is video::RenderRequest or video::Scene (the members have the same names).
template <typename Target>
void read_scene_fields(core::ObjectReader& in, bool script_required, Target& t,
                       const UploadResolver& uploads, std::vector<core::FieldError>& errors) {
  if (auto v = in.text("script", script_required, 1, video::kMaxScriptChars))
    t.script = std::move(*v);
  if (auto v = in.text("avatar_id", false, 1, 64)) t.avatar_id = std::move(*v);
  if (auto v = in.text("voice_id", false, 1, 64)) t.voice_id = std::move(*v);
  if (auto v = in.text("language", false, 2, 16)) t.language = std::move(*v);
  if (auto v = in.text("background", false, 4, 64)) {
    if (v->starts_with("upload:")) {
      if (auto path = uploads(v->substr(7))) {
        t.background = path->string();
      } else {
        in.add_error("background", "upload", "names no upload of this key");
      }
    } else if (!is_background_colour(*v)) {
      // The renderer's own rule, checked here so that the job is not accepted only to fail.
      in.add_error("background", "format",
                   "must be \"#rrggbb\", \"gradient:#rrggbb:#rrggbb\" or \"upload:ID\" (r, g and b "
                   "hexadecimal digits)");
    } else {
      t.background = std::move(*v);
    }
  }
  if (auto v = in.text("portrait_upload_id", false, 1, 64)) {
    if (auto path = uploads(*v)) {
      t.portrait_path = path->string();
    } else {
      in.add_error("portrait_upload_id", "upload", "names no upload of this key");
    }
  }
  t.mouth_box = read_box(in, "mouth_box", errors);
  t.eyes_box = read_box(in, "eyes_box", errors);
  t.face_box = read_box(in, "face_box", errors);
}

void read_scenes(const boost::json::array& items, video::RenderRequest& r,
                 const UploadResolver& uploads, std::vector<core::FieldError>& errors) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = "scenes[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      errors.push_back({path, "type", "must be an object"});
      continue;
    }
    core::ObjectReader scene_in(items[i].get_object(), path, errors);
    video::Scene scene;
    read_scene_fields(scene_in, true, scene, uploads, errors);
    scene_in.reject_unknown();
    r.scenes.push_back(std::move(scene));
  }
}

}  // namespace

core::Result<video::RenderRequest> parse_video_request(const boost::json::object& body,
                                                       const UploadResolver& uploads) {
  std::vector<core::FieldError> errors;
  core::ObjectReader in(body, "", errors);
  video::RenderRequest r;
  r.write_sidecars = true;
  // "script" is shorthand for one scene; a request has one or the other.
  const bool has_scenes = body.contains("scenes");
  if (const boost::json::array* scenes = in.array("scenes", 0, video::kMaxScenes)) {
    if (scenes->empty()) in.add_error("scenes", "min_items", "must have at least 1 item");
    if (body.contains("script")) {
      in.add_error("scenes", "exclusive", "give either script or scenes, not both");
    }
    read_scenes(*scenes, r, uploads, errors);
  }
  read_scene_fields(in, !has_scenes, r, uploads, errors);
  if (auto v = in.text("hook", false, 0, video::kMaxHookChars)) r.hook = std::move(*v);
  if (auto v = in.number("speed", 0.5, 2.0)) r.speed = *v;
  if (auto v = in.number("pitch", 0.5, 2.0)) r.pitch = *v;
  if (auto v = in.choice("resolution", kResolutions)) {
    r.resolution = *v == 0 ? video::Resolution::p720 : video::Resolution::p1080;
  }
  if (auto v = in.choice("aspect_ratio", kAspects)) {
    static constexpr video::Aspect aspects[] = {video::Aspect::landscape, video::Aspect::portrait,
                                                video::Aspect::square};
    r.aspect = aspects[*v];
  }
  if (auto v = in.choice("quality", kQualities)) r.quality = static_cast<video::Quality>(*v);
  if (auto v = in.choice("output_format", kFormats)) r.format = static_cast<video::Format>(*v);
  read_subtitles(in, r.subtitles, errors);
  if (auto v = in.boolean("test"); v && *v) {
    // A fast draft: lowest resolution and encoder settings, marked as a draft in the picture.
    r.draft = true;
    r.resolution = video::Resolution::p360;
    r.quality = video::Quality::low;
  }
  // Job fields, read by the API; named here so they are not unknown.
  in.text("title", false, 0, 200);
  in.integer("priority", 0, 10);
  in.text("callback_url", false, 1, 2048);
  in.text("callback_id", false, 0, 128);
  in.object("reel");  // a reel's caption request, read by the API
  in.reject_unknown();
  if (errors.empty()) {
    if (auto valid = video::validate(r); !valid) return std::unexpected(valid.error());
    return r;
  }
  core::Error e = core::Error::invalid_fields(std::move(errors));
  if (e.fields.size() > 1) e.message = "the request has invalid fields";
  return std::unexpected(std::move(e));
}

core::Result<const boost::json::array*> read_video_batch(const boost::json::object& body) {
  std::vector<core::FieldError> errors;
  core::ObjectReader in(body, "", errors);
  const boost::json::array* videos = in.array("videos", 1, kMaxBatchVideos);
  in.reject_unknown();
  if (!errors.empty()) return std::unexpected(core::Error::invalid_fields(std::move(errors)));
  return videos;
}

}  // namespace reelgen::jobs
