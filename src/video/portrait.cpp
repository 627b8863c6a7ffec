// The portrait avatar: the user's photo, its own mouth opened by a warp of the mouth and jaw.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "video/avatar.hpp"
#include "video/image.hpp"

namespace reelgen::video::detail {
namespace {

// The photo covers the frame. Speech opens the photo's own mouth: inside a region around the
// mouth and jaw, everything below the lips' meeting line is pulled down by the jaw's opening
// (fading to nothing at the chin and the region's sides), the gap left between the lips is the
// mouth's dark inside (with the upper teeth when the shape shows them), and rounded shapes draw
// the corners in. Blinks lower an eyelid of skin sampled just above each eye. The head moves:
// inside an ellipse around it the photo follows the idle drift, the nods and a small tilt about
// the neck rigidly, and the motion fades out over a ring outside it, so the frame's edges (and
// the background of a loose crop) hold still and nothing tears.
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
    photo_data_ = cairo_image_surface_get_data(photo_);
    photo_stride_ = cairo_image_surface_get_stride(photo_);

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
    eyes_ = {
        static_cast<int>(ex_ - eye_dx_ - eye_rx_ * 1.3), static_cast<int>(eye_y_ - eye_ry_ * 1.6),
        static_cast<int>(2 * (eye_dx_ + eye_rx_ * 1.3)) + 2, static_cast<int>(eye_ry_ * 3.2) + 2};
    place_head(face_box ? std::optional<Rect>(face_) : std::nullopt, mouth_w, box);
    // Eyelids take the colour of the cheek below each eye: brows, lashes and glasses above it
    // are not skin.
    for (int side : {-1, 1})
      lid_[side > 0] = average(ex_ + side * eye_dx_, eye_y_ + eye_ry_ * 3.0, eye_rx_ * 0.5);
    const Rect mouth_area = grow(warp_, margin_);
    warped_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, std::max(1, mouth_area.w),
                                         std::max(1, mouth_area.h));
    moved_ =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, std::max(1, head_.w), std::max(1, head_.h));
  }
  ~PortraitAvatar() override {
    cairo_surface_destroy(moved_);
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

  Rect changed_bounds(const AvatarPose& next) const override {
    if (!drawn_ || head_pose(next) != last_) return bounds_;
    // The head holds still: only the mouth and the eyelids change.
    const auto [ox, oy] = offset(last_, mx_, my_);
    const auto [ex, ey] = offset(last_, ex_, eye_y_);
    return unite(shift(grow(warp_, pad_), ox, oy), shift(grow(eyes_, pad_), ex, ey));
  }

  void draw_dynamic(cairo_t* cr, const AvatarPose& pose) override {
    const HeadPose head = head_pose(pose);
    drawn_ = true;
    last_ = head;
    if (head != HeadPose{} && !head_.empty()) {
      if (!layer_ready_ || head != layer_) draw_moved_head(head);
      cairo_set_source_surface(cr, moved_, head_.x, head_.y);
      cairo_paint(cr);
    }
    // A closed or resting mouth is the (moved) photo itself.
    const MouthShape m = mouth_shape(pose.mouth);
    if (mouth_opening(m) > 0 && !warp_.empty()) {
      const auto [ox, oy] = offset(head, mx_, my_);
      const Rect area = intersect(shift(grow(warp_, pad_), ox, oy), box_);
      draw_mouth(m, head, area);
      cairo_set_source_surface(cr, warped_, area.x, area.y);
      cairo_rectangle(cr, area.x, area.y, area.w, area.h);
      cairo_fill(cr);
    }
    if (pose.eyes_open < 0.95) draw_lids(cr, pose.eyes_open, head);
  }

 private:
  // A head pose in whole pixels, so that a head holding still within a pixel is not redrawn.
  struct HeadPose {
    int dx = 0, dy = 0;
    bool operator==(const HeadPose&) const = default;
  };
  HeadPose head_pose(const AvatarPose& p) const {
    return {static_cast<int>(std::lround(p.motion.dx * head_height_)),
            static_cast<int>(std::lround((p.motion.dy + p.expression.nod) * head_height_))};
  }
  // Radians: the head leans as it drifts sideways.
  double tilt(const HeadPose& h) const { return kTiltPerDrift * h.dx / head_height_; }
  // The rigid motion of a head pose: a tilt about the neck, then the offset.
  struct Motion {
    double c = 1, s = 0, dx = 0, dy = 0;
  };
  Motion motion_of(const HeadPose& h) const {
    const double a = tilt(h);
    return {std::cos(a), std::sin(a), static_cast<double>(h.dx), static_cast<double>(h.dy)};
  }
  // Where the motion takes (x, y).
  std::pair<double, double> move(const Motion& m, double x, double y) const {
    const double rx = x - pivot_x_, ry = y - pivot_y_;
    return {pivot_x_ + m.c * rx - m.s * ry + m.dx, pivot_y_ + m.s * rx + m.c * ry + m.dy};
  }
  std::pair<int, int> offset(const HeadPose& h, double x, double y) const {
    const auto [nx, ny] = move(motion_of(h), x, y);
    return {static_cast<int>(std::lround(nx - x)), static_cast<int>(std::lround(ny - y))};
  }
  // 1 inside the head's ellipse, fading to 0 at kOuter times its size.
  double follow(double x, double y) const {
    const double u = (x - head_x_) / head_a_, v = (y - head_y_) / head_b_;
    const double r2 = u * u + v * v;
    if (r2 <= 1) return 1;
    if (r2 >= kOuter * kOuter) return 0;
    const double t = (kOuter - std::sqrt(r2)) / (kOuter - 1);
    return t * t * (3 - 2 * t);
  }
  // The point of the still photo that shows at (x, y) of the moved one: the inverse motion
  // inside the head, fading to none over the ring.
  std::pair<double, double> rest(const Motion& m, double x, double y) const {
    const double w = follow(x, y);
    if (w == 0) return {x, y};
    const double rx = x - m.dx - pivot_x_, ry = y - m.dy - pivot_y_;
    const double sx = pivot_x_ + m.c * rx + m.s * ry, sy = pivot_y_ - m.s * rx + m.c * ry;
    return {x + w * (sx - x), y + w * (sy - y)};
  }

  // The head's ellipse: the given face box, or by the proportions of a frontal face around its
  // mouth (eyes halfway down the head). The layer covers the ring where motion fades out.
  void place_head(const std::optional<Rect>& face, double mouth_w, Rect box) {
    if (face) {
      head_x_ = face->x + face->w / 2.0;
      head_y_ = face->y + face->h / 2.0;
      head_a_ = face->w / 2.0;
      head_b_ = face->h / 2.0;
    } else {
      const double top = eye_y_ - 1.4 * mouth_w;
      head_x_ = ex_;
      head_y_ = (top + chin_) / 2;
      head_a_ = 1.35 * mouth_w;
      head_b_ = (chin_ - top) / 2;
    }
    head_height_ = std::max(1.0, 2 * head_b_);
    pivot_x_ = head_x_;
    pivot_y_ = head_y_ + head_b_;  // the neck
    // The furthest a point of the head travels: drift, nod and the tilt at the top.
    margin_ = static_cast<int>(std::ceil((kMaxDrift + kNodDepth + 2 * kMaxDrift * kTiltPerDrift) *
                                         head_height_)) +
              2;
    // A moved mouth or eye region holds its centre's offset to within the lean's turn.
    const double lean = kTiltPerDrift * kMaxDrift;  // radians at most
    pad_ = std::min(margin_, static_cast<int>(std::ceil(lean * (warp_.w + warp_.h) / 2)) + 2);
    head_ = intersect(
        {static_cast<int>(head_x_ - kOuter * head_a_), static_cast<int>(head_y_ - kOuter * head_b_),
         static_cast<int>(2 * kOuter * head_a_) + 2, static_cast<int>(2 * kOuter * head_b_) + 2},
        box);
    bounds_ = intersect(unite(head_, unite(grow(warp_, margin_), grow(eyes_, margin_))), box);
    face_ = intersect(grow(face_, margin_), box);
  }

  // The moved head into moved_: inside the head's ellipse the photo moved rigidly (drawn by
  // cairo, the bulk of the pixels), over the ring the motion fading out pixel by pixel, and
  // transparent beyond, where the photo does not move.
  void draw_moved_head(const HeadPose& head) {
    layer_ = head;
    layer_ready_ = true;
    const Motion h = motion_of(head);
    cairo_t* cr = cairo_create(moved_);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_translate(cr, pivot_x_ + h.dx - head_.x, pivot_y_ + h.dy - head_.y);
    cairo_rotate(cr, tilt(head));
    cairo_translate(cr, -pivot_x_, -pivot_y_);
    cairo_set_source_surface(cr, photo_, box_.x, box_.y);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(moved_);
    const int stride = cairo_image_surface_get_stride(moved_);
    unsigned char* data = cairo_image_surface_get_data(moved_);
    for (int j = 0; j < head_.h; ++j) {
      const double y = head_.y + j + 0.5;
      unsigned char* row = data + j * stride;
      const double v = (y - head_y_) / head_b_;
      const auto column = [&](double x) {
        return std::clamp(static_cast<int>(std::lround(x)) - head_.x, 0, head_.w);
      };
      const double outer = std::abs(v) < kOuter ? head_a_ * std::sqrt(kOuter * kOuter - v * v) : 0;
      const double inner = std::abs(v) < 1 ? head_a_ * std::sqrt(1 - v * v) : 0;
      const int o0 = column(head_x_ - outer), o1 = column(head_x_ + outer);
      const int n0 = inner > 0 ? column(head_x_ - inner) : o1;
      const int n1 = inner > 0 ? column(head_x_ + inner) : o1;
      std::memset(row, 0, static_cast<std::size_t>(o0) * 4);
      std::memset(row + o1 * 4, 0, static_cast<std::size_t>(head_.w - o1) * 4);
      for (const auto& [from, to] : {std::pair{o0, n0}, std::pair{n1, o1}}) {
        for (int i = from; i < to; ++i) {
          const auto [sx, sy] = rest(h, head_.x + i + 0.5, y);
          sample(sx, sy, row + i * 4);
        }
      }
    }
    cairo_surface_mark_dirty(moved_);
  }

  // Bilinear sample of the photo at frame coordinates (pixel centres at .5), in 8-bit fixed
  // point: this runs for every pixel of the moving head.
  void sample(double x, double y, unsigned char* out) const {
    x = std::clamp(x - 0.5 - box_.x, 0.0, box_.w - 1.001);
    y = std::clamp(y - 0.5 - box_.y, 0.0, box_.h - 1.001);
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const int fx = static_cast<int>((x - x0) * 256), fy = static_cast<int>((y - y0) * 256);
    const unsigned char* p = photo_data_ + y0 * photo_stride_ + x0 * 4;
    const unsigned char* q = p + photo_stride_;
    for (int c = 0; c < 4; ++c) {
      const int top = p[c] * (256 - fx) + p[c + 4] * fx;
      const int bottom = q[c] * (256 - fx) + q[c + 4] * fx;
      out[c] = static_cast<unsigned char>((top * (256 - fy) + bottom * fy + 32768) >> 16);
    }
  }

  // The open mouth of the moved head into warped_, for the frame rectangle area.
  void draw_mouth(const MouthShape& m, const HeadPose& head, const Rect& area) {
    const Motion h = motion_of(head);
    const int stride = cairo_image_surface_get_stride(warped_);
    cairo_surface_flush(warped_);
    unsigned char* data = cairo_image_surface_get_data(warped_);
    // Outside the region, above the lips (unless rounded shapes pinch them) and below the
    // dropped chin the photo is unchanged: left transparent, the (moved) photo shows through.
    const double chin = chin_ + mh_ * 1.25 * m.open + 1, lips = m.round > 0 ? warp_.y : my_ - 1;
    for (int j = 0; j < area.h; ++j) {
      for (int i = 0; i < area.w; ++i) {
        const auto [x, y] = rest(h, area.x + i + 0.5, area.y + j + 0.5);
        unsigned char* out = data + j * stride + i * 4;
        if (x < warp_.x || x >= warp_.x + warp_.w || y < lips || y >= chin) {
          std::memset(out, 0, 4);
          continue;
        }
        mouth_pixel(m, x, y, out);
      }
    }
    cairo_surface_mark_dirty(warped_);
  }

  // One pixel of the still photo with its mouth open as m says, at frame coordinates (x, y).
  void mouth_pixel(const MouthShape& m, double x, double y, unsigned char* out) const {
    if (x < warp_.x || y < warp_.y || x >= warp_.x + warp_.w || y >= warp_.y + warp_.h) {
      sample(x, y, out);
      return;
    }
    const double open = mh_ * 1.25 * m.open;   // how far the jaw drops at the mouth line
    const double narrow = 1 - 0.35 * m.round;  // rounded shapes draw the corners in
    const double half = mw_ * (0.55 + 0.45 * m.width) * narrow;  // half width of the opening
    // Fades: 1 on the mouth's axis, 0 at the region's sides and at the chin and below.
    const double across = std::clamp(1 - std::abs(x - mx_) / (warp_.w / 2.0), 0.0, 1.0);
    const double side = across * across * (3 - 2 * across);
    const double drop = open * side;
    if (y < my_) {
      // The upper lip and above pinch in a little with rounded shapes, otherwise stay.
      const double pull = (1 - narrow) * side * std::clamp(1 - (my_ - y) / (mh_ * 1.5), 0.0, 1.0);
      sample(mx_ + (x - mx_) * (1 + pull), y, out);
      return;
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
      return;
    }
    sample(sx, std::max(sy, my_ + 0.5), out);
  }

  void draw_lids(cairo_t* cr, double openness, const HeadPose& head) {
    // The lid comes down over the eye: at 0 the whole eye is skin, with a lash line.
    const double shut = 1 - std::clamp(openness, 0.0, 1.0);
    for (int side : {-1, 1}) {
      const auto [ex, ey] = move(motion_of(head), ex_ + side * eye_dx_, eye_y_);
      const Rgb& lid = lid_[side > 0];
      cairo_save(cr);
      cairo_translate(cr, ex, ey);
      cairo_rotate(cr, tilt(head));
      cairo_save(cr);
      cairo_translate(cr, 0, -eye_ry_);
      cairo_scale(cr, eye_rx_ * 1.25, eye_ry_ * 2.0 * shut + 0.5);
      cairo_arc(cr, 0, 0, 1, 0, kPi);
      cairo_restore(cr);
      cairo_close_path(cr);
      cairo_set_source_rgb(cr, lid.r, lid.g, lid.b);
      cairo_fill(cr);
      if (shut > 0.6) {
        cairo_move_to(cr, -eye_rx_ * 1.1, eye_ry_ * 0.4);
        cairo_curve_to(cr, -eye_rx_ * 0.4, eye_ry_ * 1.0, eye_rx_ * 0.4, eye_ry_ * 1.0,
                       eye_rx_ * 1.1, eye_ry_ * 0.4);
        cairo_set_source_rgba(cr, lid.r * 0.45, lid.g * 0.4, lid.b * 0.4, 0.9);
        cairo_set_line_width(cr, std::max(1.5, eye_ry_ * 0.25));
        cairo_stroke(cr);
      }
      cairo_restore(cr);
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

  static Rect grow(const Rect& r, int by) {
    return {r.x - by, r.y - by, r.w + 2 * by, r.h + 2 * by};
  }
  static Rect shift(const Rect& r, int dx, int dy) { return {r.x + dx, r.y + dy, r.w, r.h}; }

  static constexpr double kPi = 3.14159265358979323846;
  static constexpr double kOuter = 1.35;        // the ring where motion fades, in head radii
  static constexpr double kMaxDrift = 0.015;    // idle_motion's largest offset, in head heights
  static constexpr double kTiltPerDrift = 1.5;  // radians of tilt per head height of drift
  Rect box_;
  cairo_surface_t* photo_ = nullptr;
  const unsigned char* photo_data_ = nullptr;
  int photo_stride_ = 0;
  cairo_surface_t* warped_ = nullptr;  // the open mouth
  cairo_surface_t* moved_ = nullptr;   // the moved head, over head_
  double mx_ = 0, my_ = 0, mw_ = 0, mh_ = 0, chin_ = 0;
  double ex_ = 0, eye_y_ = 0, eye_dx_ = 0, eye_rx_ = 0, eye_ry_ = 0;  // eyes' centre, offset, radii
  double head_x_ = 0, head_y_ = 0, head_a_ = 1, head_b_ = 1;          // the head's ellipse
  double head_height_ = 1, pivot_x_ = 0, pivot_y_ = 0;
  int margin_ = 0, pad_ = 2;
  Rgb lid_[2];
  Rect warp_, eyes_, head_, bounds_, face_;
  HeadPose last_, layer_;
  bool drawn_ = false, layer_ready_ = false;
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
