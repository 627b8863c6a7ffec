#include "video/avatar_style.hpp"

#include <string>

namespace reelgen::embedded {
std::optional<std::string_view> video_data(std::string_view name);
}

namespace reelgen::video::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<AvatarStyle> parse_avatars(std::string_view text) {
  std::vector<AvatarStyle> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      out.emplace_back();
      out.back().id = std::string(line.substr(1, line.size() - 2));
      continue;
    }
    const auto eq = line.find('=');
    if (out.empty() || eq == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, eq));
    const std::string value(trim(line.substr(eq + 1)));
    AvatarStyle& a = out.back();
    const Rgb colour = parse_color(value).value_or(Rgb{1, 0, 1});
    if (key == "name")
      a.name = value;
    else if (key == "voice")
      a.voice = value;
    else if (key == "description")
      a.description = value;
    else if (key == "skin")
      a.skin = colour;
    else if (key == "hair")
      a.hair = colour;
    else if (key == "eyes")
      a.eyes = colour;
    else if (key == "brows")
      a.brows = colour;
    else if (key == "lips")
      a.lips = colour;
    else if (key == "outfit")
      a.outfit = colour;
    else if (key == "hair_style")
      a.hair_style = value;
    else if (key == "outfit_style")
      a.outfit_style = value;
    else if (key == "accessory")
      a.accessory = value;
    else if (key == "face")
      a.face = value;
  }
  return out;
}

}  // namespace

bool AvatarStyle::wears(std::string_view item) const {
  std::string_view rest = accessory;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (rest.substr(0, space) == item) return true;
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  }
  return false;
}

std::optional<Rgb> parse_color(std::string_view text) {
  if (text.size() != 7 || text[0] != '#') return std::nullopt;
  unsigned v = 0;
  for (char c : text.substr(1)) {
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<unsigned>(c - 'A' + 10);
    else
      return std::nullopt;
  }
  return Rgb{((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
}

const std::vector<AvatarStyle>& avatar_styles() {
  static const std::vector<AvatarStyle> styles = [] {
    auto text = embedded::video_data("avatars.txt");
    return text ? parse_avatars(*text) : std::vector<AvatarStyle>{};
  }();
  return styles;
}

}  // namespace reelgen::video::detail
