// The portrait avatar: the user's photo, its own mouth opened by a warp of the mouth and jaw.

#include <algorithm>
#include <cmath>

#include "video/avatar.hpp"
#include "video/image.hpp"

namespace reelgen::video::detail {
namespace {

// The photo covers the frame. Speech opens the photo's own mouth: inside a region around the
// mouth and jaw, everything below the lips' meeting line is pulled down by the jaw's opening
// (fading to nothing at the chin and the region's sides), the gap left between the lips is the
// mouth's dark inside (with the upper teeth when the shape shows them), and rounded shapes draw
// the corners in. Blinks lower an eyelid of skin sampled just above each eye.
class PortraitAvatar final : public Avatar {
 public:
  PortraitAvatar(Image image, MouthBox mouth, std::optional<ImageBox> eyes_box,
                 std::optional<ImageBox> face_box, Rect box)
      : box_(box) {
    const Placement at = cover(image, box.x, box.y, box.w, box.h);
    const double scale = at.scale, ox = at.x, oy = at.y;
    photo_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, box.w, box.h);
    cairo_t* cr = cairo_create(photo_);
    paint_image(cr, image, {ox - box.x, oy - box.y, scale});
    cairo_destroy(cr);
    cairo_surface_flush(photo_);

    // Mouth centre and size in frame pixels.
    mx_ = ox + (mouth.x + mouth.width / 2.0) * scale;
    my_ = oy + (mouth.y + mouth.height / 2.0) * scale;
    mw_ = mouth.width * scale / 2;
    mh_ = mouth.height * scale;
    const double mouth_w = 2 * mw_;
    // The warped region: the mouth, the jaw below it down to the chin, a margin at the sides.
    warp_ =
        intersect({static_cast<int>(mx_ - 1.25 * mouth_w), static_cast<int>(my_ - 0.45 * mouth_w),
                   static_cast<int>(2.5 * mouth_w) + 2, static_cast<int>(1.6 * mouth_w) + 2},
                  box);
    chin_ = my_ + 1.05 * mouth_w;
    // The eyes by the proportions of a frontal face around its mouth, and the face that captions
    // keep clear of: a photo's face usually fills the frame, so it is the part that must show,
    // from the brows to the open mouth.
    eye_y_ = my_ - 1.25 * mouth_w;
    eye_dx_ = 0.62 * mouth_w;
    eye_rx_ = 0.3 * mouth_w;
    eye_ry_ = 0.16 * mouth_w;
    double eyes_cx = mx_;
    if (eyes_box) {
      // Both eyes in one box: their centres at a quarter from each side.
      eyes_cx = ox + (eyes_box->x + eyes_box->width / 2.0) * scale;
      eye_y_ = oy + (eyes_box->y + eyes_box->height / 2.0) * scale;
      eye_dx_ = eyes_box->width * scale / 4;
      eye_rx_ = eyes_box->width * scale * 0.16;
      eye_ry_ = eyes_box->height * scale * 0.3;
    }
    ex_ = eyes_cx;
    const double face_top = eye_y_ - 0.55 * mouth_w, face_bottom = my_ + 0.5 * mouth_w;
    face_ =
        intersect({static_cast<int>(mx_ - 1.5 * mouth_w), static_cast<int>(face_top),
                   static_cast<int>(3 * mouth_w) + 1, static_cast<int>(face_bottom - face_top) + 1},
                  box);
    if (face_box) {
      face_ = intersect(
          {static_cast<int>(ox + face_box->x * scale), static_cast<int>(oy + face_box->y * scale),
           static_cast<int>(face_box->width * scale) + 1,
           static_cast<int>(face_box->height * scale) + 1},
          box);
    }
    const Rect eyes{
        static_cast<int>(ex_ - eye_dx_ - eye_rx_ * 1.3), static_cast<int>(eye_y_ - eye_ry_ * 1.6),
        static_cast<int>(2 * (eye_dx_ + eye_rx_ * 1.3)) + 2, static_cast<int>(eye_ry_ * 3.2) + 2};
    const int x0 = std::min(warp_.x, eyes.x), y0 = std::min(warp_.y, eyes.y);
    bounds_ = intersect({x0, y0, std::max(warp_.x + warp_.w, eyes.x + eyes.w) - x0,
                         std::max(warp_.y + warp_.h, eyes.y + eyes.h) - y0},
                        box);
    // Eyelids take the colour of the cheek below each eye: brows, lashes and glasses above it
    // are not skin.
    for (int side : {-1, 1})
      lid_[side > 0] = average(ex_ + side * eye_dx_, eye_y_ + eye_ry_ * 3.0, eye_rx_ * 0.5);
    warped_ =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, std::max(1, warp_.w), std::max(1, warp_.h));
  }
  ~PortraitAvatar() override {
    cairo_surface_destroy(warped_);
    cairo_surface_destroy(photo_);
  }
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
    // A closed or resting mouth is the photo itself.
    if (mouth_opening(m) > 0 && !warp_.empty()) {
      warp(m);
      cairo_set_source_surface(cr, warped_, warp_.x, warp_.y);
      cairo_paint(cr);
    }
    if (pose.eyes_open < 0.95) draw_lids(cr, pose.eyes_open);
  }

 private:
  // Bilinear sample of the photo at frame coordinates.
  void sample(double x, double y, unsigned char* out) const {
    const int stride = cairo_image_surface_get_stride(photo_);
    const unsigned char* data = cairo_image_surface_get_data(photo_);
    x = std::clamp(x - box_.x, 0.0, box_.w - 1.001);
    y = std::clamp(y - box_.y, 0.0, box_.h - 1.001);
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const double fx = x - x0, fy = y - y0;
    const unsigned char* p = data + y0 * stride + x0 * 4;
    for (int c = 0; c < 4; ++c) {
      const double top = p[c] * (1 - fx) + p[c + 4] * fx;
      const double bottom = p[stride + c] * (1 - fx) + p[stride + c + 4] * fx;
      out[c] = static_cast<unsigned char>(std::lround(top * (1 - fy) + bottom * fy));
    }
  }

  void warp(const MouthShape& m) {
    const double open = mh_ * 1.25 * m.open;   // how far the jaw drops at the mouth line
    const double narrow = 1 - 0.35 * m.round;  // rounded shapes draw the corners in
    const double half = mw_ * (0.55 + 0.45 * m.width) * narrow;  // half width of the opening
    const int stride = cairo_image_surface_get_stride(warped_);
    cairo_surface_flush(warped_);
    unsigned char* data = cairo_image_surface_get_data(warped_);
    for (int j = 0; j < warp_.h; ++j) {
      const double y = warp_.y + j + 0.5;
      for (int i = 0; i < warp_.w; ++i) {
        const double x = warp_.x + i + 0.5;
        unsigned char* out = data + j * stride + i * 4;
        // Fades: 1 on the mouth's axis, 0 at the region's sides and at the chin and below.
        const double across = std::clamp(1 - std::abs(x - mx_) / (warp_.w / 2.0), 0.0, 1.0);
        const double side = across * across * (3 - 2 * across);
        const double drop = open * side;
        if (y < my_) {
          // The upper lip and above pinch in a little with rounded shapes, otherwise stay.
          const double pull =
              (1 - narrow) * side * std::clamp(1 - (my_ - y) / (mh_ * 1.5), 0.0, 1.0);
          sample(mx_ + (x - mx_) * (1 + pull), y, out);
          continue;
        }
        // Below the lips' line: rows come from higher up, stretched so the chin stays put.
        const double below = std::clamp((y - my_) / (chin_ - my_ + open), 0.0, 1.0);
        const double shift = drop * (1 - below);
        const double sx = mx_ + (x - mx_) * (1 + (1 - narrow) * side * (1 - below));
        const double sy = y - shift;
        // The gap between the lips: a lens as wide as the opening, as deep as the drop.
        const double u = (x - mx_) / half;
        const double lens = std::max(0.0, 1 - u * u);
        if (sy < my_ && y < my_ + drop * lens + 0.5 && std::abs(u) < 1) {
          const bool teeth =
              m.teeth > 0.05 && y < my_ + std::min(drop * lens * 0.45, mh_ * 0.35) * m.teeth;
          out[0] = teeth ? 226 : 24;
          out[1] = teeth ? 232 : 14;
          out[2] = teeth ? 236 : 44;
          out[3] = 255;
          continue;
        }
        sample(sx, std::max(sy, my_ + 0.5), out);
      }
    }
    cairo_surface_mark_dirty(warped_);
  }

  void draw_lids(cairo_t* cr, double openness) {
    // The lid comes down over the eye: at 0 the whole eye is skin, with a lash line.
    const double shut = 1 - std::clamp(openness, 0.0, 1.0);
    for (int side : {-1, 1}) {
      const double ex = ex_ + side * eye_dx_;
      const Rgb& lid = lid_[side > 0];
      cairo_save(cr);
      cairo_translate(cr, ex, eye_y_ - eye_ry_);
      cairo_scale(cr, eye_rx_ * 1.25, eye_ry_ * 2.0 * shut + 0.5);
      cairo_arc(cr, 0, 0, 1, 0, kPi);
      cairo_restore(cr);
      cairo_close_path(cr);
      cairo_set_source_rgb(cr, lid.r, lid.g, lid.b);
      cairo_fill(cr);
      if (shut > 0.6) {
        cairo_move_to(cr, ex - eye_rx_ * 1.1, eye_y_ + eye_ry_ * 0.4);
        cairo_curve_to(cr, ex - eye_rx_ * 0.4, eye_y_ + eye_ry_ * 1.0, ex + eye_rx_ * 0.4,
                       eye_y_ + eye_ry_ * 1.0, ex + eye_rx_ * 1.1, eye_y_ + eye_ry_ * 0.4);
        cairo_set_source_rgba(cr, lid.r * 0.45, lid.g * 0.4, lid.b * 0.4, 0.9);
        cairo_set_line_width(cr, std::max(1.5, eye_ry_ * 0.25));
        cairo_stroke(cr);
      }
    }
  }

  // Mean colour of the photo in a square of half-size r around (x, y), in frame coordinates.
  Rgb average(double x, double y, double r) const {
    double sum[3] = {0, 0, 0};
    int n = 0;
    for (int dy = -static_cast<int>(r); dy <= static_cast<int>(r); ++dy) {
      for (int dx = -static_cast<int>(r); dx <= static_cast<int>(r); ++dx) {
        unsigned char p[4];
        sample(x + dx, y + dy, p);
        sum[0] += p[2], sum[1] += p[1], sum[2] += p[0];
        ++n;
      }
    }
    if (n == 0) return {0.8, 0.6, 0.5};
    return {sum[0] / n / 255, sum[1] / n / 255, sum[2] / n / 255};
  }

  static constexpr double kPi = 3.14159265358979323846;
  Rect box_;
  cairo_surface_t* photo_ = nullptr;
  cairo_surface_t* warped_ = nullptr;
  double mx_ = 0, my_ = 0, mw_ = 0, mh_ = 0, chin_ = 0;
  double ex_ = 0, eye_y_ = 0, eye_dx_ = 0, eye_rx_ = 0, eye_ry_ = 0;  // eyes' centre, offset, radii
  Rgb lid_[2];
  Rect warp_, bounds_, face_;
};

}  // namespace

core::Result<std::unique_ptr<Avatar>> make_portrait_avatar(const std::filesystem::path& photo,
                                                           const PortraitBoxes& boxes, Rect box) {
  auto image = load_image(photo, "portrait_path");
  if (!image) return std::unexpected(image.error());
  const int w = image->width, h = image->height;
  for (const auto& [field, b] :
       {std::pair{"mouth_box", boxes.mouth}, {"eyes_box", boxes.eyes}, {"face_box", boxes.face}}) {
    if (b && (b->width <= 0 || b->height <= 0 || b->x < 0 || b->y < 0 || b->x + b->width > w ||
              b->y + b->height > h)) {
      return std::unexpected(core::Error::invalid(field, "inside_image",
                                                  std::string(field) + " must lie inside the " +
                                                      std::to_string(w) + "x" + std::to_string(h) +
                                                      " image"));
    }
  }
  // The rule for a cropped, frontal face filling the photo (a passport-style crop).
  const MouthBox mouth =
      boxes.mouth.value_or(MouthBox{static_cast<int>(w * 0.37), static_cast<int>(h * 0.66),
                                    static_cast<int>(w * 0.26), static_cast<int>(h * 0.1)});
  return std::unique_ptr<Avatar>(
      std::make_unique<PortraitAvatar>(std::move(*image), mouth, boxes.eyes, boxes.face, box));
}

}  // namespace reelgen::video::detail
