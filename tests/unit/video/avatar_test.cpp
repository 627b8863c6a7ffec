// The drawn avatars as a viewer sees them: what their descriptions promise, outfits that stand
// out from the default background, and a beard with no skin-coloured patch cut around the mouth.

#include "video/avatar.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "video/avatar_style.hpp"
#include "video/subtitles.hpp"

namespace reelgen::video::detail {
namespace {

TEST(Avatars, AtLeastSixDiverseAvatarsMatchTheirDescriptions) {
  const auto& styles = avatar_styles();
  ASSERT_GE(styles.size(), 6u);
  std::set<std::string> hair, outfits;
  int dark_skin = 0, light_skin = 0;
  for (const auto& s : styles) {
    SCOPED_TRACE(s.id);
    hair.insert(s.hair_style);
    outfits.insert(s.outfit_style);
    const double l = relative_luminance(s.skin);
    dark_skin += l < 0.3;
    light_skin += l >= 0.45;
    // "Bearded teacher" has a beard, and a beard is described.
    const bool described = s.description.find("beard") != std::string::npos ||
                           s.description.find("Beard") != std::string::npos;
    EXPECT_EQ(described, s.wears("beard"));
    EXPECT_EQ(s.description.find("glasses") != std::string::npos, s.wears("glasses"));
    // Outfits stand out from the default #223355 background (Leo's navy suit did not: 1.0:1).
    EXPECT_GE(contrast_ratio(s.outfit, *parse_color("#223355")), 2.0);
  }
  EXPECT_GE(hair.size(), 5u);
  EXPECT_GE(outfits.size(), 3u);
  EXPECT_GE(dark_skin, 2) << "skin tones from dark to light";
  EXPECT_GE(light_skin, 2);
}

// Around the mouth of a bearded avatar there is beard, not a patch of skin (Rob's "muzzle").
TEST(Avatars, BeardsHaveNoPatchOfSkinAroundTheMouth) {
  constexpr int w = 720, h = 720;
  for (const auto& s : avatar_styles()) {
    if (!s.wears("beard")) continue;
    SCOPED_TRACE(s.id);
    const Framing f = framing_for(w, h);
    auto avatar = make_vector_avatar(s, f);
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t* cr = cairo_create(surface);
    avatar->draw_static(cr);
    avatar->draw_dynamic(cr, AvatarPose{});
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    // Beside and below the mouth (0.27 head heights below the head's centre).
    int skin = 0, checked = 0;
    // Inside the old patch (an ellipse of 0.15 x 0.085 around the mouth), outside the lips.
    for (const auto& [dx, dy] :
         {std::pair{-0.13, 0.0}, {0.13, 0.0}, {-0.08, 0.05}, {0.08, 0.05}, {0.0, 0.06}}) {
      const int x = static_cast<int>(f.cx + dx * f.head),
                y = static_cast<int>(f.cy + (0.27 + dy) * f.head);
      const unsigned char* p = data + y * stride + x * 4;
      const Rgb c{p[2] / 255.0, p[1] / 255.0, p[0] / 255.0};
      ++checked;
      skin += contrast_ratio(c, s.skin) < contrast_ratio(c, s.hair);
    }
    cairo_surface_destroy(surface);
    EXPECT_EQ(skin, 0) << "of " << checked << " points around the mouth";
  }
}

}  // namespace
}  // namespace reelgen::video::detail
