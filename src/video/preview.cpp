#include <algorithm>
#include <string>

#include "video/avatar.hpp"
#include "video/engine.hpp"
#include "video/lip_sync.hpp"

namespace reelgen::video {

core::Result<std::string> engine::avatar_preview_png(std::string_view id, int size) {
  const auto& styles = detail::avatar_styles();
  auto it = std::find_if(styles.begin(), styles.end(), [id](const auto& s) { return s.id == id; });
  if (it == styles.end())
    return core::fail(core::ErrorCode::not_found, "no avatar " + std::string(id));
  if (size < 32 || size > 1024)
    return std::unexpected(core::Error::invalid("size", "range", "size must be 32..1024"));
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
  if (status != CAIRO_STATUS_SUCCESS)
    return core::fail(core::ErrorCode::internal, "cannot encode the preview");
  return png;
}

}  // namespace reelgen::video
