// The video API's request readers: a video (POST /api/v1/videos, a batch item, a reel's video
// part), a batch and a reel. Any body is refused with named fields or read into a request within
// the documented limits.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string_view>

#include "api/reel_request.hpp"
#include "core/json.hpp"
#include "core/utf8.hpp"
#include "jobs/video_request.hpp"

namespace {

using reelgen::video::kMaxImageSide;

// Field errors always say which rule failed and why.
void check_refusal(const reelgen::core::Error& e) {
  if (e.fields.empty()) std::abort();
  for (const auto& field : e.fields) {
    if (field.rule.empty() || field.message.empty()) std::abort();
  }
}

void check_box(const std::optional<reelgen::video::ImageBox>& box) {
  if (!box) return;
  if (box->x < 0 || box->y < 0 || box->width < 1 || box->height < 1 || box->x > kMaxImageSide ||
      box->y > kMaxImageSide || box->width > kMaxImageSide || box->height > kMaxImageSide) {
    std::abort();
  }
}

void check_script(const std::string& script, bool required) {
  const std::size_t n = reelgen::core::utf8_length(script);
  if ((required && n < 1) || n > reelgen::video::kMaxScriptChars) std::abort();
}

// One upload exists ("upl_ok"); any other id names none.
std::optional<std::filesystem::path> uploads(std::string_view id) {
  if (id == "upl_ok") return std::filesystem::path("/uploads/key/upl_ok.png");
  return std::nullopt;
}

void read_video(const boost::json::object& body) {
  auto request = reelgen::jobs::parse_video_request(body, uploads);
  if (!request) return check_refusal(request.error());
  const auto& r = *request;
  if (r.scenes.size() > reelgen::video::kMaxScenes) std::abort();
  check_script(r.script, r.scenes.empty());
  for (const auto& scene : r.scenes) {
    check_script(scene.script, true);
    check_box(scene.mouth_box);
    check_box(scene.eyes_box);
    check_box(scene.face_box);
  }
  check_box(r.mouth_box);
  check_box(r.eyes_box);
  check_box(r.face_box);
  if (!(r.speed >= 0.5 && r.speed <= 2.0) || !(r.pitch >= 0.5 && r.pitch <= 2.0)) std::abort();
  if (reelgen::core::utf8_length(r.hook) > reelgen::video::kMaxHookChars) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = reelgen::core::parse_json_object(text);
  if (!body) return 0;
  read_video(*body);
  if (auto batch = reelgen::jobs::read_video_batch(*body)) {
    const auto n = (*batch)->size();
    if (n < 1 || n > reelgen::jobs::kMaxBatchVideos) std::abort();
    for (const auto& item : **batch) {
      if (item.is_object()) read_video(item.get_object());
    }
  } else {
    check_refusal(batch.error());
  }
  if (auto reel = reelgen::api::read_reel_request(*body)) {
    if (reel->video == nullptr || reel->caption == nullptr) std::abort();
    read_video(*reel->video);
  } else {
    check_refusal(reel.error());
  }
  return 0;
}
