#include "video/avatar.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <optional>
#include <string>

#include "core/log.hpp"

namespace reelgen::video::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;

void set(cairo_t* cr, const Rgb& c, double alpha = 1) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}
Rgb shade(const Rgb& c, double f) {
  return {std::clamp(c.r * f, 0.0, 1.0), std::clamp(c.g * f, 0.0, 1.0),
          std::clamp(c.b * f, 0.0, 1.0)};
}

void ellipse(cairo_t* cr, double cx, double cy, double rx, double ry) {
  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_scale(cr, rx, ry);
  cairo_arc(cr, 0, 0, 1, 0, 2 * kPi);
  cairo_restore(cr);
}

// Everything below draws in head units: origin at the head's centre, 1 = the head's height.
constexpr double kMouthY = 0.27;
constexpr double kEyeY = -0.02, kEyeX = 0.17;

constexpr double kOpenHeight = 0.15;  // the lips' inner gap of a fully open mouth
constexpr double kTeethGap = 0.007;   // dark line between clenched teeth

// A lens from the left corner to the right one, reaching up and down from the mouth line (the
// bezier's control points sit at 4/3 of the reach, where a cubic peaks).
void lens(cairo_t* cr, double half_width, double up, double down, double round) {
  const double cy = kMouthY, k = 0.55 + 0.45 * round;
  cairo_move_to(cr, -half_width, cy);
  cairo_curve_to(cr, -half_width * k, cy - up / 0.75, half_width * k, cy - up / 0.75, half_width,
                 cy);
  cairo_curve_to(cr, half_width * k, cy + down / 0.75, -half_width * k, cy + down / 0.75,
                 -half_width, cy);
  cairo_close_path(cr);
}

void draw_mouth(cairo_t* cr, const AvatarStyle& s, const MouthShape& m) {
  const double cx = 0, cy = kMouthY;
  const double w = 0.11 * m.width;  // half width
  const double open = mouth_opening(m);
  const double lip = 0.028;
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  if (open <= 0) {
    // Closed or resting: two lips meeting on a slightly smiling line.
    const double press = m.open <= 0.001 ? 0.7 : 1.0;
    cairo_move_to(cr, cx - w, cy);
    cairo_curve_to(cr, cx - w * 0.5, cy - lip * 1.3 * press, cx + w * 0.5, cy - lip * 1.3 * press,
                   cx + w, cy);
    cairo_curve_to(cr, cx + w * 0.5, cy + lip * 1.6 * press, cx - w * 0.5, cy + lip * 1.6 * press,
                   cx - w, cy);
    set(cr, s.lips);
    cairo_fill(cr);
    cairo_move_to(cr, cx - w, cy);
    cairo_curve_to(cr, cx - w * 0.4, cy + 0.008, cx + w * 0.4, cy + 0.008, cx + w, cy);
    set(cr, shade(s.lips, 0.45));
    cairo_set_line_width(cr, 0.008);
    cairo_stroke(cr);
    return;
  }
  // The lips are a ring around the opening: an outer lens filled with the lip colour, the
  // opening filled over it, so the lips never cover the opening they frame.
  const double up = open * 0.4, down = open * 0.6;
  const double upper_lip = lip * (0.85 + 0.3 * m.round), lower_lip = lip * (1.1 + 0.3 * m.round);
  lens(cr, w + lip * 0.5, up + upper_lip, down + lower_lip, m.round);
  set(cr, s.lips);
  cairo_fill(cr);
  lens(cr, w, up, down, m.round);
  cairo_set_source_rgb(cr, 0.20, 0.04, 0.07);
  cairo_fill_preserve(cr);
  cairo_save(cr);
  cairo_clip(cr);
  const double top = cy - up, bottom = cy + down;
  if (m.tongue > 0.05) {
    ellipse(cr, cx, bottom - open * 0.12 * m.tongue, w * 0.62, open * (0.2 + 0.15 * m.tongue));
    cairo_set_source_rgb(cr, 0.80, 0.34, 0.40);
    cairo_fill(cr);
  }
  if (m.lower > 0.05) {
    // Clenched: both rows of teeth, a thin dark gap between them.
    cairo_rectangle(cr, cx - w, top - 0.01, 2 * w, (cy - kTeethGap / 2) - (top - 0.01));
    cairo_rectangle(cr, cx - w, cy + kTeethGap / 2, 2 * w, bottom + 0.01 - (cy + kTeethGap / 2));
    cairo_set_source_rgb(cr, 0.96, 0.95, 0.92);
    cairo_fill(cr);
    // Faint lines between the teeth, so they read as teeth and not as a white bar.
    cairo_set_source_rgba(cr, 0.55, 0.5, 0.48, 0.6);
    cairo_set_line_width(cr, 0.004);
    for (int i = -2; i <= 2; ++i) {
      const double x = cx + i * w * 0.28;
      cairo_move_to(cr, x, top);
      cairo_line_to(cr, x, cy - kTeethGap / 2);
      cairo_move_to(cr, x, cy + kTeethGap / 2);
      cairo_line_to(cr, x, bottom);
    }
    cairo_stroke(cr);
  } else if (m.teeth > 0.05) {
    // The upper teeth show under the upper lip.
    cairo_rectangle(cr, cx - w, top - 0.01, 2 * w,
                    0.01 + std::min(open * 0.4, 0.03) * m.teeth + 0.004);
    cairo_set_source_rgb(cr, 0.96, 0.95, 0.92);
    cairo_fill(cr);
  }
  cairo_restore(cr);
  if (m.bite > 0.05) {
    // Lower lip tucked under the upper teeth.
    cairo_rectangle(cr, cx - w * 0.8, cy - 0.004, 1.6 * w, 0.016);
    cairo_set_source_rgb(cr, 0.96, 0.95, 0.92);
    cairo_fill(cr);
  }
}

// gaze_x, gaze_y (-1..1) move the irises within the eye.
void draw_eyes(cairo_t* cr, const AvatarStyle& s, double openness, double gaze_x, double gaze_y) {
  const double gx = 0.026 * std::clamp(gaze_x, -1.0, 1.0),
               gy = 0.012 * std::clamp(gaze_y, -1.0, 1.0);
  for (int side : {-1, 1}) {
    const double x = side * kEyeX, y = kEyeY;
    if (openness < 0.2) {
      cairo_move_to(cr, x - 0.075, y);
      cairo_curve_to(cr, x - 0.03, y + 0.025, x + 0.03, y + 0.025, x + 0.075, y);
      set(cr, shade(s.skin, 0.45));
      cairo_set_line_width(cr, 0.014);
      cairo_stroke(cr);
      continue;
    }
    const double ry = 0.052 * openness;
    ellipse(cr, x, y, 0.08, ry);
    cairo_set_source_rgb(cr, 0.98, 0.98, 0.97);
    cairo_fill_preserve(cr);
    cairo_save(cr);
    cairo_clip_preserve(cr);
    set(cr, shade(s.skin, 0.4));
    cairo_set_line_width(cr, 0.012);
    cairo_stroke(cr);
    ellipse(cr, x + gx, y + gy, 0.042, 0.042);
    set(cr, s.eyes);
    cairo_fill(cr);
    ellipse(cr, x + gx, y + gy, 0.021, 0.021);
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.06);
    cairo_fill(cr);
    ellipse(cr, x + gx + 0.013, y + gy - 0.014, 0.009, 0.009);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
    cairo_restore(cr);
  }
}

void face_path(cairo_t* cr, const AvatarStyle& s) {
  const bool round = s.face == "round";
  const double w = round ? 0.42 : 0.39;
  cairo_move_to(cr, 0, -0.5);
  cairo_curve_to(cr, w * 1.3, -0.5, w, -0.05, w * 0.98, 0.05);
  cairo_curve_to(cr, w * 0.95, round ? 0.38 : 0.3, 0.16, 0.5, 0, 0.5);
  cairo_curve_to(cr, -0.16, 0.5, -w * 0.95, round ? 0.38 : 0.3, -w * 0.98, 0.05);
  cairo_curve_to(cr, -w, -0.05, -w * 1.3, -0.5, 0, -0.5);
  cairo_close_path(cr);
}

void draw_hair_back(cairo_t* cr, const AvatarStyle& s) {
  set(cr, shade(s.hair, 0.85));
  if (s.hair_style == "long") {
    cairo_move_to(cr, -0.5, -0.15);
    cairo_curve_to(cr, -0.6, -0.75, 0.6, -0.75, 0.5, -0.15);
    cairo_line_to(cr, 0.56, 0.85);
    cairo_line_to(cr, -0.56, 0.85);
    cairo_close_path(cr);
    cairo_fill(cr);
  } else if (s.hair_style == "curly") {
    for (int i = 0; i < 22; ++i) {
      const double a = kPi * 0.85 + i * (kPi * 1.3 / 21);
      ellipse(cr, 0.52 * std::cos(a), -0.08 + 0.62 * std::sin(a), 0.15, 0.15);
    }
    ellipse(cr, 0, 0, 0.5, 0.62);
    cairo_fill(cr);
    for (int side : {-1, 1}) {
      for (int i = 0; i < 4; ++i) ellipse(cr, side * 0.5, 0.1 + i * 0.17, 0.14, 0.12);
    }
    cairo_fill(cr);
  } else if (s.hair_style == "bob") {
    cairo_move_to(cr, -0.5, 0.42);
    cairo_curve_to(cr, -0.62, -0.8, 0.62, -0.8, 0.5, 0.42);
    cairo_curve_to(cr, 0.3, 0.47, -0.3, 0.47, -0.5, 0.42);
    cairo_fill(cr);
  } else if (s.hair_style == "bun") {
    ellipse(cr, 0, -0.62, 0.19, 0.16);
    cairo_fill(cr);
  }
}

void draw_hair_front(cairo_t* cr, const AvatarStyle& s) {
  set(cr, s.hair);
  if (s.hair_style == "bald") {
    for (int side : {-1, 1}) {
      ellipse(cr, side * 0.38, -0.05, 0.05, 0.14);
      cairo_fill(cr);
    }
    return;
  }
  if (s.hair_style == "curly") {
    for (int i = 0; i < 9; ++i) {
      const double x = -0.36 + i * 0.09;
      ellipse(cr, x, -0.4 + 0.05 * std::cos(i * 1.7), 0.09, 0.09);
    }
    cairo_fill(cr);
    return;
  }
  // A cap over the skull with a fringe whose shape depends on the style. It reaches a little
  // past the face's outline, so no skin shows as a rim around the hair.
  cairo_move_to(cr, -0.44, -0.02);
  cairo_curve_to(cr, -0.54, -0.72, 0.54, -0.72, 0.44, -0.02);
  if (s.hair_style == "short") {
    cairo_curve_to(cr, 0.38, -0.3, 0.2, -0.32, 0.05, -0.3);
    cairo_curve_to(cr, -0.15, -0.36, -0.35, -0.3, -0.42, -0.05);
  } else if (s.hair_style == "bob") {
    cairo_line_to(cr, 0.42, -0.2);
    cairo_curve_to(cr, 0.2, -0.22, -0.1, -0.3, -0.3, -0.18);
    cairo_line_to(cr, -0.42, -0.05);
  } else {  // long, bun: a centre parting
    cairo_curve_to(cr, 0.35, -0.3, 0.1, -0.38, 0.0, -0.44);
    cairo_curve_to(cr, -0.1, -0.38, -0.35, -0.3, -0.42, -0.05);
  }
  cairo_close_path(cr);
  // Depth: light falls from the upper left, so the crown is lighter than the sides.
  cairo_pattern_t* light = cairo_pattern_create_linear(-0.25, -0.62, 0.3, -0.05);
  const Rgb top = shade(s.hair, 1.35), side = shade(s.hair, 0.82);
  cairo_pattern_add_color_stop_rgb(light, 0, std::max(top.r, s.hair.r + 0.08),
                                   std::max(top.g, s.hair.g + 0.06),
                                   std::max(top.b, s.hair.b + 0.05));
  cairo_pattern_add_color_stop_rgb(light, 0.45, s.hair.r, s.hair.g, s.hair.b);
  cairo_pattern_add_color_stop_rgb(light, 1, side.r, side.g, side.b);
  cairo_set_source(cr, light);
  cairo_fill(cr);
  cairo_pattern_destroy(light);
}

void draw_head(cairo_t* cr, const AvatarStyle& s) {
  draw_hair_back(cr, s);
  // Ears.
  for (int side : {-1, 1}) {
    ellipse(cr, side * 0.39, 0.03, 0.06, 0.09);
    set(cr, shade(s.skin, 0.93));
    cairo_fill(cr);
  }
  face_path(cr, s);
  cairo_pattern_t* grad = cairo_pattern_create_radial(-0.08, -0.12, 0.05, 0, 0, 0.6);
  cairo_pattern_add_color_stop_rgb(grad, 0, std::min(1.0, s.skin.r * 1.06),
                                   std::min(1.0, s.skin.g * 1.06), std::min(1.0, s.skin.b * 1.06));
  cairo_pattern_add_color_stop_rgb(grad, 1, s.skin.r * 0.9, s.skin.g * 0.9, s.skin.b * 0.9);
  cairo_set_source(cr, grad);
  cairo_fill(cr);
  cairo_pattern_destroy(grad);
  // Cheeks.
  for (int side : {-1, 1}) {
    ellipse(cr, side * 0.24, 0.16, 0.07, 0.045);
    cairo_set_source_rgba(cr, 0.95, 0.45, 0.45, 0.22);
    cairo_fill(cr);
  }
  // Nose.
  cairo_move_to(cr, -0.02, 0.05);
  cairo_curve_to(cr, -0.05, 0.14, -0.03, 0.16, 0.0, 0.16);
  cairo_curve_to(cr, 0.03, 0.16, 0.05, 0.14, 0.03, 0.12);
  set(cr, shade(s.skin, 0.7));
  cairo_set_line_width(cr, 0.012);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
  if (s.wears("beard")) {
    cairo_move_to(cr, -0.39, 0.02);
    cairo_curve_to(cr, -0.38, 0.42, -0.2, 0.62, 0, 0.62);
    cairo_curve_to(cr, 0.2, 0.62, 0.38, 0.42, 0.39, 0.02);
    cairo_curve_to(cr, 0.3, 0.22, 0.15, 0.17, 0, 0.19);
    cairo_curve_to(cr, -0.15, 0.17, -0.3, 0.22, -0.39, 0.02);
    set(cr, s.hair);
    cairo_fill(cr);
    // A moustache over the upper lip; the mouth is drawn over the beard, lips and all, so no
    // skin patch is cut around it.
    cairo_move_to(cr, -0.15, kMouthY - 0.01);
    cairo_curve_to(cr, -0.1, kMouthY - 0.075, 0.1, kMouthY - 0.075, 0.15, kMouthY - 0.01);
    cairo_curve_to(cr, 0.08, kMouthY - 0.04, -0.08, kMouthY - 0.04, -0.15, kMouthY - 0.01);
    set(cr, shade(s.hair, 0.85));
    cairo_fill(cr);
  }
  if (s.wears("earrings")) {
    for (int side : {-1, 1}) {
      ellipse(cr, side * 0.4, 0.15, 0.022, 0.022);
      cairo_set_source_rgb(cr, 0.95, 0.78, 0.25);
      cairo_fill(cr);
    }
  }
  draw_hair_front(cr, s);
}

// Brows move (up on questions and exclamations), so they are drawn every frame; raised, they
// lift and arch a little more at the inner end.
void draw_brows(cairo_t* cr, const AvatarStyle& s, double raise) {
  const double up = 0.028 * raise;
  for (int side : {-1, 1}) {
    cairo_move_to(cr, side * 0.09, -0.1 - up * 1.15);
    cairo_curve_to(cr, side * 0.13, -0.135 - up * 1.1, side * 0.2, -0.14 - up, side * 0.26,
                   -0.105 - up * 0.7);
    set(cr, s.brows);
    cairo_set_line_width(cr, 0.026);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
  }
}

// Glasses sit over the eyes, so they are drawn after the eyes every frame.
void draw_glasses(cairo_t* cr) {
  cairo_set_source_rgb(cr, 0.12, 0.12, 0.14);
  cairo_set_line_width(cr, 0.016);
  for (int side : {-1, 1}) {
    const double x = side * kEyeX;
    cairo_new_sub_path(cr);
    const double r = 0.03, l = x - 0.11, t = kEyeY - 0.075, w = 0.22, h = 0.14;
    cairo_arc(cr, l + w - r, t + r, r, -kPi / 2, 0);
    cairo_arc(cr, l + w - r, t + h - r, r, 0, kPi / 2);
    cairo_arc(cr, l + r, t + h - r, r, kPi / 2, kPi);
    cairo_arc(cr, l + r, t + r, r, kPi, 3 * kPi / 2);
    cairo_close_path(cr);
    cairo_stroke(cr);
  }
  cairo_move_to(cr, -0.06, kEyeY - 0.02);
  cairo_curve_to(cr, -0.02, kEyeY - 0.045, 0.02, kEyeY - 0.045, 0.06, kEyeY - 0.02);
  cairo_stroke(cr);
}

// The torso, in head units from the resting head centre.
void draw_body(cairo_t* cr, const AvatarStyle& s, double bottom) {
  const Rgb& o = s.outfit;
  if (s.outfit_style == "hoodie") {
    ellipse(cr, 0, 0.62, 0.45, 0.16);
    set(cr, shade(o, 0.75));
    cairo_fill(cr);
  }
  // Neck.
  cairo_rectangle(cr, -0.13, 0.3, 0.26, 0.45);
  set(cr, shade(s.skin, 0.85));
  cairo_fill(cr);
  // The chin's shadow on the neck.
  cairo_pattern_t* shadow = cairo_pattern_create_linear(0, 0.42, 0, 0.62);
  cairo_pattern_add_color_stop_rgba(shadow, 0, 0, 0, 0, 0.28);
  cairo_pattern_add_color_stop_rgba(shadow, 1, 0, 0, 0, 0);
  cairo_rectangle(cr, -0.13, 0.3, 0.26, 0.34);
  cairo_set_source(cr, shadow);
  cairo_fill(cr);
  cairo_pattern_destroy(shadow);
  // Shoulders and chest, lit from above: a touch lighter at the shoulders, darker below.
  cairo_move_to(cr, -1.05, bottom);
  cairo_curve_to(cr, -1.05, 0.82, -0.8, 0.66, -0.3, 0.64);
  cairo_line_to(cr, 0.3, 0.64);
  cairo_curve_to(cr, 0.8, 0.66, 1.05, 0.82, 1.05, bottom);
  cairo_close_path(cr);
  cairo_pattern_t* cloth = cairo_pattern_create_linear(0, 0.64, 0, bottom);
  const Rgb lit = shade(o, 1.12), dim = shade(o, 0.8);
  cairo_pattern_add_color_stop_rgb(cloth, 0, lit.r, lit.g, lit.b);
  cairo_pattern_add_color_stop_rgb(cloth, 0.35, o.r, o.g, o.b);
  cairo_pattern_add_color_stop_rgb(cloth, 1, dim.r, dim.g, dim.b);
  cairo_set_source(cr, cloth);
  cairo_fill(cr);
  cairo_pattern_destroy(cloth);
  if (s.outfit_style == "suit") {
    cairo_move_to(cr, -0.2, 0.64);
    cairo_line_to(cr, 0.2, 0.64);
    cairo_line_to(cr, 0, bottom);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.97);
    cairo_fill(cr);
    cairo_move_to(cr, -0.04, 0.7);
    cairo_line_to(cr, 0.04, 0.7);
    cairo_line_to(cr, 0.06, 1.05);
    cairo_line_to(cr, 0, 1.12);
    cairo_line_to(cr, -0.06, 1.05);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.7, 0.12, 0.15);
    cairo_fill(cr);
    for (int side : {-1, 1}) {
      cairo_move_to(cr, side * 0.2, 0.64);
      cairo_line_to(cr, side * 0.34, 0.66);
      cairo_line_to(cr, side * 0.08, 1.2);
      cairo_close_path(cr);
      set(cr, shade(o, 0.7));
      cairo_fill(cr);
    }
  } else if (s.outfit_style == "tshirt" || s.outfit_style == "blouse") {
    cairo_move_to(cr, -0.16, 0.64);
    cairo_curve_to(cr, -0.12, 0.8, 0.12, 0.8, 0.16, 0.64);
    cairo_close_path(cr);
    set(cr, shade(s.skin, 0.85));
    cairo_fill(cr);
    cairo_move_to(cr, -0.16, 0.64);
    cairo_curve_to(cr, -0.12, 0.8, 0.12, 0.8, 0.16, 0.64);
    set(cr, shade(o, s.outfit_style == "blouse" ? 1.2 : 0.75));
    cairo_set_line_width(cr, s.outfit_style == "blouse" ? 0.05 : 0.03);
    cairo_stroke(cr);
  } else if (s.outfit_style == "hoodie") {
    for (int side : {-1, 1}) {
      cairo_move_to(cr, side * 0.08, 0.7);
      cairo_line_to(cr, side * 0.1, 1.0);
      cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
      cairo_set_line_width(cr, 0.02);
      cairo_stroke(cr);
    }
  }
}

class VectorAvatar final : public Avatar {
 public:
  VectorAvatar(const AvatarStyle& style, const Framing& framing)
      : style_(style), box_(framing.box), head_(framing.head), cx_(framing.cx), cy_(framing.cy) {
    // The head sprite: hair, face and features that move together, drawn once.
    sprite_left_ = -0.8;
    sprite_top_ = -0.9;
    sprite_w_ = static_cast<int>(std::ceil(1.6 * head_)) + 2;
    sprite_h_ = static_cast<int>(std::ceil(1.8 * head_)) + 2;
    sprite_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sprite_w_, sprite_h_);
    cairo_t* cr = cairo_create(sprite_);
    cairo_scale(cr, head_, head_);
    cairo_translate(cr, -sprite_left_, -sprite_top_);
    draw_head(cr, style_);
    cairo_destroy(cr);
    cairo_surface_flush(sprite_);
    // Room for the idle drift (0.015), breathing (0.004) and a nod (kNodDepth).
    const int margin = static_cast<int>(std::ceil((0.02 + kNodDepth) * head_)) + 2;
    bounds_ = {static_cast<int>(std::floor(cx_ + sprite_left_ * head_)) - margin,
               static_cast<int>(std::floor(cy_ + sprite_top_ * head_)) - margin,
               sprite_w_ + 2 * margin, sprite_h_ + 2 * margin};
    face_ = measure_face(margin);
  }
  ~VectorAvatar() override { cairo_surface_destroy(sprite_); }
  VectorAvatar(const VectorAvatar&) = delete;
  VectorAvatar& operator=(const VectorAvatar&) = delete;

  void draw_static(cairo_t* cr) override {
    cairo_save(cr);
    cairo_rectangle(cr, box_.x, box_.y, box_.w, box_.h);
    cairo_clip(cr);
    cairo_translate(cr, cx_, cy_);
    cairo_scale(cr, head_, head_);
    draw_body(cr, style_, (box_.y + box_.h - cy_) / head_ + 0.01);
    cairo_restore(cr);
  }

  Rect dynamic_bounds() const override { return bounds_; }
  Rect face_box() const override { return face_; }

  Rect changed_bounds(const AvatarPose& next) const override {
    const auto [px, py] = sprite_at(next);
    if (!drawn_ || px != last_px_ || py != last_py_) return bounds_;
    // The head holds still: only eyes, brows, glasses and mouth change.
    const double hx = px - sprite_left_ * head_, hy = py - sprite_top_ * head_;
    return intersect({static_cast<int>(std::floor(hx - 0.37 * head_)) - 2,
                      static_cast<int>(std::floor(hy - 0.26 * head_)) - 2,
                      static_cast<int>(std::ceil(0.74 * head_)) + 4,
                      static_cast<int>(std::ceil(0.74 * head_)) + 4},
                     bounds_);
  }

  void draw_dynamic(cairo_t* cr, const AvatarPose& pose) override {
    cairo_save(cr);
    cairo_rectangle(cr, bounds_.x, bounds_.y, bounds_.w, bounds_.h);
    cairo_clip(cr);
    const auto [px, py] = sprite_at(pose);
    drawn_ = true;
    last_px_ = px;
    last_py_ = py;
    cairo_set_source_surface(cr, sprite_, px, py);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_FAST);
    cairo_paint(cr);
    cairo_translate(cr, px - sprite_left_ * head_, py - sprite_top_ * head_);
    cairo_scale(cr, head_, head_);
    draw_eyes(cr, style_, pose.eyes_open, pose.expression.gaze_x, pose.expression.gaze_y);
    draw_brows(cr, style_, pose.expression.brows);
    if (style_.wears("glasses")) draw_glasses(cr);
    draw_mouth(cr, style_, mouth_shape(pose.mouth));
    cairo_restore(cr);
  }

 private:
  // Where the head sprite goes for a pose. Whole-pixel offsets keep the blit on pixman's plain
  // SIMD path; a bilinear blit of the sprite cost more than the rest of the frame. The drift is
  // slow, so single-pixel steps do not show, and most frames keep the last frame's offset.
  std::pair<double, double> sprite_at(const AvatarPose& pose) const {
    const double hx = cx_ + pose.motion.dx * head_;
    const double hy =
        cy_ + (pose.motion.dy + 0.004 * pose.motion.breath + pose.expression.nod) * head_;
    return {std::round(hx + sprite_left_ * head_), std::round(hy + sprite_top_ * head_)};
  }

  // Forehead to chin (or the beard's tip), ear to ear, grown by the idle motion's reach. Hair
  // above and beside it is not face: captions may cover it.
  Rect measure_face(int margin) const {
    const double chin = style_.wears("beard") ? 0.6 : 0.52;
    return {static_cast<int>(std::floor(cx_ - 0.47 * head_)) - margin,
            static_cast<int>(std::floor(cy_ - 0.52 * head_)) - margin,
            static_cast<int>(std::ceil(0.94 * head_)) + 2 * margin,
            static_cast<int>(std::ceil((0.52 + chin) * head_)) + 2 * margin};
  }

  AvatarStyle style_;
  Rect box_;
  double head_ = 0, cx_ = 0, cy_ = 0;
  double sprite_left_ = 0, sprite_top_ = 0;
  int sprite_w_ = 0, sprite_h_ = 0;
  cairo_surface_t* sprite_ = nullptr;
  Rect bounds_, face_;
  bool drawn_ = false;
  double last_px_ = 0, last_py_ = 0;
};

MouthShape shape_of(Viseme v) {
  //        open  width round teeth tongue bite lower
  switch (v) {
    case Viseme::rest:
      return {0, 0.9, 0, 0, 0, 0, 0};
    case Viseme::closed:
      return {0, 0.82, 0, 0, 0, 0, 0};
    case Viseme::clenched:
      return {0.3, 1.05, 0, 1, 0, 0, 1};
    case Viseme::open:
      return {0.58, 0.95, 0.1, 0.5, 0.3, 0, 0};
    case Viseme::wide:
      return {0.9, 1.05, 0.15, 0.6, 0.4, 0, 0};
    case Viseme::rounded:
      return {0.62, 0.62, 0.85, 0.3, 0.2, 0, 0};
    case Viseme::puckered:
      return {0.32, 0.42, 1, 0, 0, 0, 0};
    case Viseme::fv:
      return {0.14, 0.92, 0, 1, 0, 1, 0};
    case Viseme::l:
      return {0.45, 0.9, 0.1, 0.6, 1, 0, 0};
  }
  return {};
}

}  // namespace

Rect intersect(const Rect& a, const Rect& b) {
  const int x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  return {x0, y0, std::max(a.x + a.w, b.x + b.w) - x0, std::max(a.y + a.h, b.y + b.h) - y0};
}

Framing framing_for(int frame_width, int frame_height) {
  const double w = frame_width, h = frame_height;
  Framing f;
  if (frame_height > frame_width) {
    // 9:16: the head 35 % of the height, its hair from about a quarter down; the chin leaves
    // room above the bottom 20 % (the platform's caption and button overlay) for captions.
    f.head = 0.35 * h;
    f.cx = 0.5 * w;
    f.cy = 0.482 * h;
  } else if (frame_width > frame_height) {
    // 16:9: the bust right of centre, the left free for captions beside the face.
    f.head = 0.44 * h;
    f.cx = 0.68 * w;
    f.cy = 0.45 * h;
  } else {
    // 1:1: centred, a little lower than the middle, captions above and below the head.
    f.head = 0.36 * h;
    f.cx = 0.5 * w;
    f.cy = 0.48 * h;
  }
  const int half = static_cast<int>(std::ceil(1.1 * f.head));
  const int x0 = std::max(0, static_cast<int>(f.cx) - half);
  const int x1 = std::min(frame_width, static_cast<int>(f.cx) + half);
  f.box = {x0, 0, x1 - x0, frame_height};
  return f;
}

Framing framing_in(Rect box) {
  return {box, box.h * 0.42, box.x + box.w / 2.0, box.y + box.h * 0.34};
}

Rect avatar_box(int frame_width, int frame_height) {
  return framing_for(frame_width, frame_height).box;
}

std::unique_ptr<Avatar> make_vector_avatar(const AvatarStyle& style, const Framing& framing) {
  return std::make_unique<VectorAvatar>(style, framing);
}

MouthShape mouth_shape(const MouthPose& pose) {
  const MouthShape a = shape_of(pose.from), b = shape_of(pose.to);
  const double t = std::clamp(pose.mix, 0.0, 1.0);
  auto lerp = [t](double x, double y) { return x + (y - x) * t; };
  return {lerp(a.open, b.open),   lerp(a.width, b.width),   lerp(a.round, b.round),
          lerp(a.teeth, b.teeth), lerp(a.tongue, b.tongue), lerp(a.bite, b.bite),
          lerp(a.lower, b.lower)};
}

double mouth_opening(const MouthShape& shape) {
  const double gap = kOpenHeight * shape.open;
  return gap < 0.006 ? 0 : gap;  // thinner than a lip line reads as closed
}

}  // namespace reelgen::video::detail
