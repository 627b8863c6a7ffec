// The portrait avatar opens the photo's own mouth (no second mouth painted over it) and blinks.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "video/avatar.hpp"

namespace reelgen::video::detail {
namespace {

namespace fs = std::filesystem;

// A 400 x 500 "photo": skin, a red mouth band at 66-76 % of the height in the middle 26 % of the
// width (where the default rule looks), and a chin striped in shades of brown below it, so where
// every pixel comes from can be told.
fs::path make_photo(const fs::path& dir) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 500);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.87, 0.68, 0.55);
  cairo_paint(cr);
  for (int y = 380; y < 500; y += 8) {
    cairo_rectangle(cr, 80, y, 240, 4);
    cairo_set_source_rgb(cr, 0.55 + (y % 24) / 100.0, 0.35, 0.25);
    cairo_fill(cr);
  }
  cairo_rectangle(cr, 148, 330, 104, 50);
  cairo_set_source_rgb(cr, 0.75, 0.2, 0.25);
  cairo_fill(cr);
  cairo_destroy(cr);
  const auto path = dir / "photo.png";
  cairo_surface_write_to_png(s, path.c_str());
  cairo_surface_destroy(s);
  return path;
}

struct Drawn {
  cairo_surface_t* surface;
  ~Drawn() { cairo_surface_destroy(surface); }
  const unsigned char* at(int x, int y) const {
    return cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface) +
           x * 4;
  }
};

Drawn draw(Avatar& avatar, const AvatarPose& pose) {
  Drawn d{cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 500)};
  cairo_t* cr = cairo_create(d.surface);
  avatar.draw_static(cr);
  avatar.draw_dynamic(cr, pose);
  cairo_destroy(cr);
  cairo_surface_flush(d.surface);
  return d;
}

class Portrait : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("reelgen-portrait-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto a = make_portrait_avatar(make_photo(dir_), PortraitBoxes{}, Rect{0, 0, 400, 500});
    ASSERT_TRUE(a.has_value()) << a.error().message;
    avatar_ = std::move(*a);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::unique_ptr<Avatar> avatar_;
};

TEST_F(Portrait, SpeechOpensThePhotosOwnMouth) {
  AvatarPose closed, open;
  open.mouth = {Viseme::wide, Viseme::wide, 1};
  const Drawn still = draw(*avatar_, closed), speaking = draw(*avatar_, open);
  if (std::getenv("PORTRAIT_DUMP"))
    cairo_surface_write_to_png(speaking.surface, std::getenv("PORTRAIT_DUMP"));
  const Rect region = avatar_->dynamic_bounds();
  int changed = 0, dark = 0, foreign = 0;
  for (int y = region.y; y < region.y + region.h; ++y) {
    for (int x = region.x; x < region.x + region.w; ++x) {
      const unsigned char* p = speaking.at(x, y);
      const unsigned char* q = still.at(x, y);
      if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) > 6) ++changed;
      if (p[0] + p[1] + p[2] < 150) {
        ++dark;  // the inside of the mouth
        continue;
      }
      if (p[0] > 200 && p[1] > 200 && p[2] > 200) continue;  // teeth
      // Everything else is the photo moved down (and a little sideways): some pixel above in the
      // still picture has this colour, within the blend of neighbouring pixels.
      bool found = false;
      for (int y2 = std::max(0, y - 90); y2 <= y + 2 && !found; ++y2) {
        for (int x2 = std::max(0, x - 4); x2 <= std::min(399, x + 4) && !found; ++x2) {
          const unsigned char* s = still.at(x2, y2);
          found =
              std::max({std::abs(p[0] - s[0]), std::abs(p[1] - s[1]), std::abs(p[2] - s[2])}) <= 48;
        }
      }
      foreign += !found;
    }
  }
  EXPECT_GT(dark, 300) << "the mouth is open";
  EXPECT_GT(changed, 1000) << "the jaw moved";
  EXPECT_LT(foreign, changed / 50) << "no painted lips: the pixels are the photo's";
  // The lower lip (red) went down: the red band ends lower in the open picture.
  auto red_bottom = [](const Drawn& d) {
    int bottom = 0;
    for (int y = 300; y < 480; ++y) {
      const unsigned char* p = d.at(200, y);
      if (p[2] > 150 && p[1] < 70 && p[0] < 90) bottom = y;  // the lip, not the brown stripes
    }
    return bottom;
  };
  EXPECT_GE(red_bottom(speaking) - red_bottom(still), 12);
  // Closed, the mouth is the photo untouched.
  const Drawn again = draw(*avatar_, closed);
  EXPECT_EQ(
      std::memcmp(cairo_image_surface_get_data(again.surface),
                  cairo_image_surface_get_data(still.surface),
                  static_cast<std::size_t>(cairo_image_surface_get_stride(still.surface)) * 500),
      0);
}

TEST_F(Portrait, BlinksCloseTheEyesWithSkinAndTheFaceBoxHoldsEyesAndMouth) {
  AvatarPose open, shut;
  shut.eyes_open = 0;
  const Drawn a = draw(*avatar_, open), b = draw(*avatar_, shut);
  int changed = 0;
  for (int y = 0; y < 330; ++y) {
    for (int x = 0; x < 400; ++x) changed += std::memcmp(a.at(x, y), b.at(x, y), 3) != 0;
  }
  EXPECT_GT(changed, 400) << "eyelids drawn above the mouth";
  const Rect face = avatar_->face_box();
  EXPECT_LE(face.y, 200);           // the eyes, about 1.25 mouth widths above the mouth
  EXPECT_GE(face.y + face.h, 380);  // the mouth's bottom
  EXPECT_LT(face.y + face.h, 500);  // not the whole photo: captions may go on the chin
}

TEST_F(Portrait, GivenBoxesPlaceTheEyesAndTheFaceAndMustLieInsideTheImage) {
  PortraitBoxes boxes;
  boxes.eyes = ImageBox{120, 120, 160, 40};
  boxes.face = ImageBox{90, 60, 220, 340};
  auto given = make_portrait_avatar(dir_ / "photo.png", boxes, Rect{0, 0, 400, 500});
  ASSERT_TRUE(given.has_value()) << given.error().message;
  // The given face, widened by how far the head moves (a few percent of its height).
  const Rect face = (*given)->face_box();
  EXPECT_LE(face.x, 90);
  EXPECT_GE(face.x, 90 - 40);
  EXPECT_LE(face.y, 60);
  EXPECT_GE(face.y, 60 - 40);
  EXPECT_GE(face.x + face.w, 90 + 220);
  EXPECT_LE(face.w, 220 + 80);
  // The blink happens inside the given eyes box.
  AvatarPose open, shut;
  shut.eyes_open = 0;
  const Drawn a = draw(**given, open), b = draw(**given, shut);
  int inside = 0, outside = 0;
  for (int y = 0; y < 330; ++y) {
    for (int x = 0; x < 400; ++x) {
      if (std::memcmp(a.at(x, y), b.at(x, y), 3) == 0) continue;
      (x >= 110 && x < 290 && y >= 110 && y < 170 ? inside : outside) += 1;
    }
  }
  EXPECT_GT(inside, 300);
  EXPECT_EQ(outside, 0);
  boxes.eyes = ImageBox{300, 120, 160, 40};  // past the 400 px width
  auto bad = make_portrait_avatar(dir_ / "photo.png", boxes, Rect{0, 0, 400, 500});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().fields.front().field, "eyes_box");
  EXPECT_EQ(bad.error().fields.front().rule, "inside_image");
}

// Where the red mouth band's lowest row is in column x (the lip, not the brown stripes).
int red_bottom(const Drawn& d, int x) {
  int bottom = 0;
  for (int y = 300; y < 480; ++y) {
    const unsigned char* p = d.at(x, y);
    if (p[2] > 150 && p[1] < 70 && p[0] < 90) bottom = y;
  }
  return bottom;
}

TEST_F(Portrait, TheHeadNodsAndDriftsWhileTheFramesEdgesHoldStill) {
  AvatarPose still, nod;
  nod.expression.nod = kNodDepth;
  nod.motion.dx = 0.01;
  const Drawn a = draw(*avatar_, still), b = draw(*avatar_, nod);
  // The head is about 385 px high here (forehead to chin): a full nod lowers the mouth by
  // about 8 px, and the drift moves it sideways and tilts it a little.
  const int lowered = red_bottom(b, 200) - red_bottom(a, 200);
  EXPECT_GE(lowered, 5);
  EXPECT_LE(lowered, 14);
  auto left_edge = [](const Drawn& d) {
    for (int x = 100; x < 300; ++x) {
      if (d.at(x, 355)[2] > 150 && d.at(x, 355)[1] < 70) return x;
    }
    return -1;
  };
  EXPECT_GE(left_edge(b) - left_edge(a), 2) << "drifted right";
  // The corners, outside the head's ring, are the photo untouched.
  for (auto [x, y] : {std::pair{0, 0}, {399, 0}, {0, 499}, {399, 499}, {2, 250}}) {
    EXPECT_EQ(std::memcmp(a.at(x, y), b.at(x, y), 4), 0) << x << "," << y;
  }
  // No seam: along a row through the ring, neighbouring pixels differ as little as in the photo.
  int jump = 0;
  for (int x = 1; x < 400; ++x) {
    for (int c = 0; c < 3; ++c)
      jump = std::max(jump, std::abs(b.at(x, 250)[c] - b.at(x - 1, 250)[c]));
  }
  EXPECT_LE(jump, 2);
  // Held still, only the mouth and the eyes are redrawn; moved, the whole head is.
  const Rect all = avatar_->dynamic_bounds(), held = avatar_->changed_bounds(nod);
  EXPECT_LT(static_cast<long>(held.w) * held.h, static_cast<long>(all.w) * all.h / 2);
  EXPECT_EQ(avatar_->changed_bounds(still).w, all.w);
  // Deterministic: the same pose draws the same pixels.
  const Drawn again = draw(*avatar_, nod);
  EXPECT_EQ(std::memcmp(cairo_image_surface_get_data(again.surface),
                        cairo_image_surface_get_data(b.surface),
                        static_cast<std::size_t>(cairo_image_surface_get_stride(b.surface)) * 500),
            0);
}

}  // namespace
}  // namespace reelgen::video::detail
