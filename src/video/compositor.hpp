#pragma once
// Builds each frame from a cached base layer (background + the avatar's static parts), redraws
// only what changes (the avatar's moving parts and the subtitle band), and converts only the
// changed areas to YUV 4:2:0, exactly as a whole-frame conversion would.

#include <cairo.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "video/avatar.hpp"
#include "video/frame.hpp"

namespace reelgen::video::detail {

// Draws request.background ("#rrggbb", "gradient:#rrggbb:#rrggbb" or an image path) into cr.
core::Result<void> draw_background(cairo_t* cr, int width, int height,
                                   const std::string& background);

class Compositor {
 public:
  // REQUIRES: avatar outlives the compositor.
  Compositor(int width, int height, cairo_surface_t* base, Avatar& avatar, Rect subtitle_band);
  ~Compositor();
  Compositor(const Compositor&) = delete;
  Compositor& operator=(const Compositor&) = delete;

  // Draws one frame. subtitles is band-sized (or null for none); subtitles_changed says whether
  // it differs from the previous frame's.
  void compose(const AvatarPose& pose, cairo_surface_t* subtitles, bool subtitles_changed);
  // The current frame in YUV, up to date after compose().
  const Yuv420& yuv() const { return yuv_; }
  // The current frame in BGRA (cairo's ARGB32), e.g. for thumbnails.
  cairo_surface_t* frame() const { return frame_; }

 private:
  void restore(const Rect& r);
  void convert(int y0, int y1, int x0, int x1);

  int width_, height_;
  cairo_surface_t* base_;  // owned
  cairo_surface_t* frame_;
  cairo_t* cr_;
  Avatar& avatar_;
  Rect avatar_rect_, subtitle_rect_;
  bool subtitles_shown_ = false;
  Yuv420 yuv_;
};

}  // namespace reelgen::video::detail
