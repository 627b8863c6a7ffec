// The portrait avatar: the user's photo with an animated mouth painted over its mouth box.

#include <algorithm>
#include <cmath>

#include "video/avatar.hpp"
#include "video/image.hpp"

namespace reelgen::video::detail {
namespace {

class PortraitAvatar final : public Avatar {
 public:
  PortraitAvatar(Image image, MouthBox mouth, Rect box) : box_(box) {
    // The photo covers the box, centred; photo_ holds the box alone.
    const Placement at = cover(image, box.x, box.y, box.w, box.h);
    const double scale = at.scale, ox = at.x, oy = at.y;
    photo_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, box.w, box.h);
    cairo_t* cr = cairo_create(photo_);
    paint_image(cr, image, {ox - box.x, oy - box.y, scale});
    cairo_destroy(cr);
    cairo_surface_flush(photo_);

    mx_ = ox + (mouth.x + mouth.width / 2.0) * scale;
    my_ = oy + (mouth.y + mouth.height / 2.0) * scale;
    mw_ = mouth.width * scale / 2;
    mh_ = mouth.height * scale;
    // The lip colour: the darkest-red average along the mouth line of the photo.
    lips_ = sample(static_cast<int>(mx_ - box.x), static_cast<int>(my_ - box.y));
    bounds_ = intersect({static_cast<int>(mx_ - mw_ * 1.3), static_cast<int>(my_ - mh_),
                         static_cast<int>(mw_ * 2.6) + 2, static_cast<int>(mh_ * 2) + 2},
                        box);
    // The face by the proportions of a frontal face around its mouth: 3.4 mouth widths wide,
    // from 2.7 above the mouth (hair) to 1.1 below it (chin).
    const double mouth_w = 2 * mw_;
    face_ = intersect({static_cast<int>(mx_ - 1.7 * mouth_w), static_cast<int>(my_ - 2.7 * mouth_w),
                       static_cast<int>(3.4 * mouth_w) + 1, static_cast<int>(3.8 * mouth_w) + 1},
                      box);
  }
  ~PortraitAvatar() override { cairo_surface_destroy(photo_); }
  PortraitAvatar(const PortraitAvatar&) = delete;
  PortraitAvatar& operator=(const PortraitAvatar&) = delete;

  void draw_static(cairo_t* cr) override {
    cairo_set_source_surface(cr, photo_, box_.x, box_.y);
    cairo_paint(cr);
  }

  Rect dynamic_bounds() const override { return bounds_; }
  Rect face_box() const override { return face_; }

  void draw_dynamic(cairo_t* cr, const AvatarPose& pose) override {
    const MouthShape m = mouth_shape(pose.mouth);
    if (m.open < 0.06) return;  // closed and resting mouths are the photo itself
    const double w = mw_ * (0.55 + 0.35 * m.width);
    const double open = mh_ * 0.75 * m.open;
    const double k = 0.55 + 0.45 * m.round;
    cairo_save(cr);
    auto opening = [&] {
      cairo_move_to(cr, mx_ - w, my_);
      cairo_curve_to(cr, mx_ - w * k, my_ - open * 0.5, mx_ + w * k, my_ - open * 0.5, mx_ + w, my_);
      cairo_curve_to(cr, mx_ + w * k, my_ + open * 0.9, mx_ - w * k, my_ + open * 0.9, mx_ - w, my_);
      cairo_close_path(cr);
    };
    opening();
    cairo_set_source_rgb(cr, 0.2, 0.04, 0.06);
    cairo_fill_preserve(cr);
    cairo_clip(cr);
    if (m.teeth > 0.05) {
      cairo_rectangle(cr, mx_ - w, my_ - open * 0.5, 2 * w, open * 0.35);
      cairo_set_source_rgb(cr, 0.94, 0.93, 0.9);
      cairo_fill(cr);
    }
    cairo_reset_clip(cr);
    opening();
    cairo_set_source_rgb(cr, lips_.r, lips_.g, lips_.b);
    cairo_set_line_width(cr, std::max(2.0, mh_ * 0.12));
    cairo_stroke(cr);
    cairo_restore(cr);
  }

 private:
  Rgb sample(int x, int y) {
    const int stride = cairo_image_surface_get_stride(photo_);
    const unsigned char* data = cairo_image_surface_get_data(photo_);
    double r = 0, g = 0, b = 0;
    int n = 0;
    for (int dx = -static_cast<int>(mw_ * 0.6); dx <= static_cast<int>(mw_ * 0.6); ++dx) {
      const int px = std::clamp(x + dx, 0, box_.w - 1), py = std::clamp(y, 0, box_.h - 1);
      const unsigned char* p = data + py * stride + px * 4;
      b += p[0];
      g += p[1];
      r += p[2];
      ++n;
    }
    if (n == 0) return {0.6, 0.3, 0.3};
    return {r / n / 255 * 0.85, g / n / 255 * 0.8, b / n / 255 * 0.8};
  }

  Rect box_;
  cairo_surface_t* photo_ = nullptr;
  double mx_ = 0, my_ = 0, mw_ = 0, mh_ = 0;
  Rgb lips_;
  Rect bounds_, face_;
};

}  // namespace

core::Result<std::unique_ptr<Avatar>> make_portrait_avatar(const std::filesystem::path& photo,
                                                           std::optional<MouthBox> mouth, Rect box) {
  auto image = load_image(photo, "portrait_path");
  if (!image) return std::unexpected(image.error());
  MouthBox m;
  if (mouth) {
    m = *mouth;
    if (m.width <= 0 || m.height <= 0 || m.x < 0 || m.y < 0 || m.x + m.width > image->width ||
        m.y + m.height > image->height) {
      return std::unexpected(core::Error::invalid(
          "mouth_box", "inside_image",
          "mouth box must lie inside the " + std::to_string(image->width) + "x" +
              std::to_string(image->height) + " image"));
    }
  } else {
    // The rule for a cropped, frontal face filling the photo (a passport-style crop).
    m = {static_cast<int>(image->width * 0.37), static_cast<int>(image->height * 0.66),
         static_cast<int>(image->width * 0.26), static_cast<int>(image->height * 0.1)};
  }
  return std::unique_ptr<Avatar>(std::make_unique<PortraitAvatar>(std::move(*image), m, box));
}

}  // namespace reelgen::video::detail
