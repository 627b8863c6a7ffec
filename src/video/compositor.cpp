#include "video/compositor.hpp"

#include <algorithm>
#include <cstring>

#include "video/image.hpp"

namespace reelgen::video::detail {

core::Result<void> draw_background(cairo_t* cr, int width, int height,
                                   const std::string& background) {
  if (auto colour = parse_color(background)) {
    cairo_set_source_rgb(cr, colour->r, colour->g, colour->b);
    cairo_paint(cr);
    return {};
  }
  if (background.starts_with("gradient:")) {
    const auto a = parse_color(background.substr(9, 7));
    const auto b = background.size() >= 24 ? parse_color(background.substr(17, 7)) : std::nullopt;
    if (!a || !b || background.size() != 24 || background[16] != ':') {
      return std::unexpected(core::Error::invalid(
          "background", "format", "gradient must look like gradient:#223355:#5566aa"));
    }
    cairo_pattern_t* p = cairo_pattern_create_linear(0, 0, width * 0.3, height);
    cairo_pattern_add_color_stop_rgb(p, 0, a->r, a->g, a->b);
    cairo_pattern_add_color_stop_rgb(p, 1, b->r, b->g, b->b);
    cairo_set_source(cr, p);
    cairo_paint(cr);
    cairo_pattern_destroy(p);
    return {};
  }
  if (background.starts_with("#")) {
    return std::unexpected(
        core::Error::invalid("background", "format", "colour must look like #223355"));
  }
  auto image = load_image(background, "background");
  if (!image) return std::unexpected(image.error());
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_paint(cr);
  paint_image(cr, *image, cover(*image, 0, 0, width, height));
  cairo_restore(cr);
  return {};
}

namespace {

Rect even(Rect r, int width, int height) {
  // Chroma is shared by 2x2 pixels, so changed areas are widened to even rows and columns.
  int x0 = std::max(0, r.x) & ~1, y0 = std::max(0, r.y) & ~1;
  int x1 = std::min(width, (r.x + r.w + 1) & ~1), y1 = std::min(height, (r.y + r.h + 1) & ~1);
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

}  // namespace

Compositor::Compositor(int width, int height, cairo_surface_t* base, Avatar& avatar,
                       Rect subtitle_band)
    : width_(width), height_(height), base_(base), avatar_(avatar), yuv_(width, height) {
  frame_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  cr_ = cairo_create(frame_);
  cairo_set_source_surface(cr_, base_, 0, 0);
  cairo_set_operator(cr_, CAIRO_OPERATOR_SOURCE);
  cairo_paint(cr_);
  cairo_set_operator(cr_, CAIRO_OPERATOR_OVER);
  avatar_rect_ = even(avatar.dynamic_bounds(), width, height);
  subtitle_rect_ = even(subtitle_band, width, height);
  cairo_surface_flush(frame_);
  convert(0, height, 0, width);
}

Compositor::~Compositor() {
  cairo_destroy(cr_);
  cairo_surface_destroy(frame_);
  cairo_surface_destroy(base_);
}

void Compositor::restore(const Rect& r) {
  const int stride = cairo_image_surface_get_stride(frame_);
  const unsigned char* src = cairo_image_surface_get_data(base_);
  unsigned char* dst = cairo_image_surface_get_data(frame_);
  for (int y = r.y; y < r.y + r.h; ++y) {
    std::memcpy(dst + static_cast<std::ptrdiff_t>(y) * stride + r.x * 4,
                src + static_cast<std::ptrdiff_t>(y) * stride + r.x * 4,
                static_cast<std::size_t>(r.w) * 4);
  }
}

void Compositor::compose(const AvatarPose& pose, cairo_surface_t* subtitles,
                         bool subtitles_changed) {
  // Only what changes is restored, redrawn and converted: the avatar's changed part and, when
  // it changed or the avatar's redraw cut into it, the subtitle band.
  Rect area = even(avatar_.changed_bounds(pose), width_, height_);
  const bool overlap = !intersect(area, subtitle_rect_).empty();
  const bool redraw_subtitles = subtitles_changed || (overlap && (subtitles || subtitles_shown_));
  // Restoring the band wipes whatever avatar lies under it, so then the whole avatar is redrawn.
  if (redraw_subtitles && !intersect(avatar_rect_, subtitle_rect_).empty()) area = avatar_rect_;
  cairo_surface_flush(frame_);
  restore(area);
  if (redraw_subtitles) restore(subtitle_rect_);
  cairo_surface_mark_dirty(frame_);
  cairo_save(cr_);
  cairo_rectangle(cr_, area.x, area.y, area.w, area.h);
  cairo_clip(cr_);
  avatar_.draw_dynamic(cr_, pose);
  cairo_restore(cr_);
  if (subtitles != nullptr && redraw_subtitles) {
    cairo_set_source_surface(cr_, subtitles, subtitle_rect_.x, subtitle_rect_.y);
    cairo_rectangle(cr_, subtitle_rect_.x, subtitle_rect_.y, subtitle_rect_.w, subtitle_rect_.h);
    cairo_fill(cr_);
  }
  subtitles_shown_ = subtitles != nullptr;
  cairo_surface_flush(frame_);

  // Convert the changed areas, merged into one when they touch.
  const int a0 = area.y, a1 = area.y + area.h, ax0 = area.x, ax1 = area.x + area.w;
  if (!redraw_subtitles) {
    convert(a0, a1, ax0, ax1);
    return;
  }
  const int s0 = subtitle_rect_.y, s1 = subtitle_rect_.y + subtitle_rect_.h;
  const int sx0 = subtitle_rect_.x, sx1 = subtitle_rect_.x + subtitle_rect_.w;
  if (s0 <= a1 && a0 <= s1) {
    convert(std::min(a0, s0), std::max(a1, s1), std::min(ax0, sx0), std::max(ax1, sx1));
  } else {
    convert(a0, a1, ax0, ax1);
    convert(s0, s1, sx0, sx1);
  }
}

void Compositor::convert(int y0, int y1, int x0, int x1) {
  y0 = std::max(0, y0) & ~1;
  y1 = std::min(height_, (y1 + 1) & ~1);
  x0 = std::max(0, x0) & ~1;
  x1 = std::min(width_, (x1 + 1) & ~1);
  if (y1 <= y0 || x1 <= x0) return;
  convert_to_yuv420(cairo_image_surface_get_data(frame_), cairo_image_surface_get_stride(frame_),
                    yuv_, x0, y0, x1, y1);
}

}  // namespace reelgen::video::detail
