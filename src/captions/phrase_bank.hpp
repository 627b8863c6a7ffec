#pragma once
// A style's curated phrases (data/captions/styles/<style>.txt), parsed once into templates whose
// slots ({subject}, {noun}, ...) are found at load time rather than on every caption.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::captions::detail {

enum class Slot : std::uint8_t { subject, noun, quality, topic, niche, keywords, the_subject };
inline constexpr int kSlotCount = 7;

struct Segment {
  std::string_view text;  // literal text when slot < 0
  int slot = -1;
};

struct Template {
  std::vector<Segment> segments;
  // Written "(warm casual !pets)" before the line: voice and register tags that make the line
  // preferred (brand_voice) or excluded (the other register); "!niche" excludes a niche.
  std::vector<std::string_view> tags;
  std::uint8_t slots = 0;        // bit (1 << Slot) for each slot used
  std::size_t literal_size = 0;  // characters outside slots, for length estimates
  bool needs(Slot s) const { return (slots & (1u << static_cast<unsigned>(s))) != 0; }
};

struct StyleBank {
  std::string_view name;
  std::string_view tone_positive, tone_neutral, tone_negative;
  int emoji_density = 1;  // emojis in a full post
  std::vector<std::string_view> adjectives;
  std::vector<std::string_view> emojis;
  std::vector<std::string_view> hashtags;
  std::vector<Template> hooks, bodies, ctas, carousel, keyword_lines;
};

// Parses one style file; fails when a section is missing or too small, or a slot is unknown.
// With a base (the English bank of the style), missing [meta] values are taken from it and the
// sections may be smaller (a translation needs fewer lines to read well).
core::Result<StyleBank> parse_style_bank(std::string_view text, std::string_view name,
                                         const StyleBank* base = nullptr);

}  // namespace reelgen::captions::detail
