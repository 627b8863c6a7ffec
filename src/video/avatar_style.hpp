#pragma once
// The drawn avatars' looks, parsed once from the embedded data/video/avatars.txt. Plain data:
// the catalog and validation read it without the drawing libraries.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reelgen::video::detail {

struct Rgb {
  double r = 0, g = 0, b = 0;
};
// "#rrggbb" → colour; nullopt when malformed.
std::optional<Rgb> parse_color(std::string_view text);

struct AvatarStyle {
  std::string id, name, voice, description;
  Rgb skin, hair, eyes, brows, lips, outfit;
  std::string hair_style, outfit_style, face;
  std::string accessory;  // space-separated: "glasses beard"
  bool wears(std::string_view item) const;
};
// Parsed once from the embedded avatars.txt.
const std::vector<AvatarStyle>& avatar_styles();

}  // namespace reelgen::video::detail
