#pragma once
// Avatars: drawn vector characters (data/video/avatars.txt) and the user's portrait photo.
// An avatar splits into what never moves (drawn once into the cached base layer) and what moves
// (head, eyes, mouth), redrawn each frame inside dynamic_bounds().

#include <cairo.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "video/avatar_style.hpp"
#include "video/lip_sync.hpp"
#include "video/video.hpp"

namespace reelgen::video::detail {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
};
Rect intersect(const Rect& a, const Rect& b);
// The smallest rectangle holding both; an empty one adds nothing.
Rect unite(const Rect& a, const Rect& b);

struct AvatarPose {
  MouthPose mouth;
  double eyes_open = 1;
  IdleMotion motion;
  Expression expression;
};

class Avatar {
 public:
  virtual ~Avatar() = default;
  // Everything that never moves, drawn once into the base layer.
  virtual void draw_static(cairo_t* cr) = 0;
  // The frame area draw_dynamic may touch.
  virtual Rect dynamic_bounds() const = 0;
  // The part of dynamic_bounds() where drawing next differs from the frame drawn last: all of it
  // before the first frame or when the head moved, only the eyes and mouth while it holds still.
  // The caller restores and redraws that part alone, with draw_dynamic clipped to it.
  virtual Rect changed_bounds(const AvatarPose& /*next*/) const { return dynamic_bounds(); }
  // The moving parts of one frame; the caller has restored the base inside dynamic_bounds().
  virtual void draw_dynamic(cairo_t* cr, const AvatarPose& pose) = 0;
  // Forehead to chin (beard included) and ear to ear, in frame pixels, over the whole range of
  // idle motion: what captions and other overlays must keep clear of.
  virtual Rect face_box() const = 0;
};

// How a drawn avatar stands in a frame: the bust is drawn inside box, the head is head pixels
// high with its centre at (cx, cy) at rest.
struct Framing {
  Rect box;
  double head = 0, cx = 0, cy = 0;
};
// The composition of each aspect (see docs/video.md): 9:16 a head 35 % of the frame height,
// centred, head and shoulders in the lower two thirds, room above for a hook and captions;
// 16:9 the bust at 68 % of the width with room on the left; 1:1 centred, head 36 %.
Framing framing_for(int frame_width, int frame_height);
// A bust filling box (previews).
Framing framing_in(Rect box);
// framing_for(...).box: where the avatar (or the portrait photo) goes.
Rect avatar_box(int frame_width, int frame_height);

std::unique_ptr<Avatar> make_vector_avatar(const AvatarStyle& style, const Framing& framing);
// The photo is scaled to cover box; its mouth, eyes and face boxes are given or found by rule
// (see docs/video.md); invalid_argument naming mouth_box, eyes_box or face_box (rule
// inside_image) when a given box leaves the image.
// The parts of a portrait photo the caller knows; what is missing is found by rule.
struct PortraitBoxes {
  std::optional<ImageBox> mouth, eyes, face;
};
core::Result<std::unique_ptr<Avatar>> make_portrait_avatar(const std::filesystem::path& photo,
                                                           const PortraitBoxes& boxes, Rect box);

// The parameters of a mouth shape, shared by both kinds of avatar.
struct MouthShape {
  double open = 0;    // 0..1 jaw opening
  double width = 1;   // relative to the neutral mouth
  double round = 0;   // 0 = lens-shaped, 1 = circular
  double teeth = 0;   // upper teeth visible
  double tongue = 0;  // tongue visible
  double bite = 0;    // lower lip tucked under the teeth (F/V)
  double lower = 0;   // lower teeth visible too, with a gap between the rows (clenched)
};
MouthShape mouth_shape(const MouthPose& pose);
// The height of the mouth's visible opening in head heights, as the drawn avatars show it; 0 when
// the lips are together.
double mouth_opening(const MouthShape& shape);
// An opening at least this high reads as open on a phone (about 5 px of a 720p 9:16 frame).
inline constexpr double kReadableOpening = 0.022;

}  // namespace reelgen::video::detail
