#include "captions/phrase_bank.hpp"

#include <array>
#include <charconv>
#include <string>

#include "captions/section_reader.hpp"

namespace reelgen::captions::detail {
namespace {

constexpr std::array<std::string_view, kSlotCount> kSlotNames = {
    "subject", "noun", "quality", "topic", "niche", "keywords", "the_subject"};

core::Result<Template> parse_template(std::string_view line, std::string_view where) {
  Template t;
  if (line.starts_with('(')) {
    std::size_t close = line.find(')');
    if (close == std::string_view::npos) {
      return core::fail(core::ErrorCode::internal, std::string(where) + ": unclosed '('");
    }
    t.tags = split_list(line.substr(1, close - 1));
    line = trim(line.substr(close + 1));
  }
  while (!line.empty()) {
    std::size_t open = line.find('{');
    if (open == std::string_view::npos) {
      t.segments.push_back({line, -1});
      t.literal_size += line.size();
      break;
    }
    if (open > 0) {
      t.segments.push_back({line.substr(0, open), -1});
      t.literal_size += open;
    }
    std::size_t close = line.find('}', open);
    if (close == std::string_view::npos) {
      return core::fail(core::ErrorCode::internal, std::string(where) + ": unclosed '{'");
    }
    std::string_view name = line.substr(open + 1, close - open - 1);
    int slot = -1;
    for (std::size_t i = 0; i < kSlotNames.size(); ++i) {
      if (kSlotNames[i] == name) slot = static_cast<int>(i);
    }
    if (slot < 0) {
      return core::fail(core::ErrorCode::internal,
                        std::string(where) + ": unknown slot {" + std::string(name) + "}");
    }
    t.segments.push_back({{}, slot});
    t.slots |= static_cast<std::uint8_t>(1u << slot);
    line.remove_prefix(close + 1);
  }
  return t;
}

}  // namespace

core::Result<StyleBank> parse_style_bank(std::string_view text, std::string_view name,
                                         const StyleBank* base) {
  StyleBank bank;
  bank.name = name;
  std::string where = "styles/" + std::string(name) + ".txt";
  if (base != nullptr) {
    bank.tone_positive = base->tone_positive;
    bank.tone_neutral = base->tone_neutral;
    bank.tone_negative = base->tone_negative;
    bank.emoji_density = base->emoji_density;
    bank.adjectives = base->adjectives;
    bank.emojis = base->emojis;
  }
  std::string error;
  read_sections(text, [&](std::string_view section, std::string_view line) {
    if (!error.empty()) return;
    if (section == "meta") {
      std::string_view key, value;
      if (!split_key_value(line, key, value)) {
        error = where + ": expected key = value in [meta]";
      } else if (key == "tone_positive") {
        bank.tone_positive = value;
      } else if (key == "tone_neutral") {
        bank.tone_neutral = value;
      } else if (key == "tone_negative") {
        bank.tone_negative = value;
      } else if (key == "emoji_density") {
        std::from_chars(value.data(), value.data() + value.size(), bank.emoji_density);
      } else if (key == "adjectives") {
        bank.adjectives = split_list(value);
      } else if (key == "emojis") {
        bank.emojis = split_list(value);
      }
      return;
    }
    if (section == "hashtags") {
      for (std::string_view tag : split_list(line)) bank.hashtags.push_back(tag);
      return;
    }
    std::vector<Template>* target = section == "hooks"      ? &bank.hooks
                                    : section == "bodies"   ? &bank.bodies
                                    : section == "ctas"     ? &bank.ctas
                                    : section == "carousel" ? &bank.carousel
                                    : section == "keywords" ? &bank.keyword_lines
                                                            : nullptr;
    if (target == nullptr) {
      error = where + ": unknown section [" + std::string(section) + "]";
      return;
    }
    auto parsed = parse_template(line, where);
    if (!parsed) {
      error = parsed.error().message;
      return;
    }
    target->push_back(std::move(*parsed));
  });
  if (!error.empty()) return core::fail(core::ErrorCode::internal, error);
  const std::size_t min_lines = base != nullptr ? 4 : 8;
  const std::size_t min_ctas = base != nullptr ? 3 : 6;
  if (bank.hooks.size() < min_lines || bank.bodies.size() < min_lines ||
      bank.ctas.size() < min_ctas || bank.carousel.empty() || bank.keyword_lines.empty() ||
      bank.adjectives.empty() || bank.hashtags.empty() || bank.tone_positive.empty() ||
      bank.tone_neutral.empty() || bank.tone_negative.empty()) {
    return core::fail(core::ErrorCode::internal, where + ": a section is missing or too small");
  }
  for (const Template& t : bank.keyword_lines) {
    if (!t.needs(Slot::keywords)) {
      return core::fail(core::ErrorCode::internal, where + ": [keywords] lines need {keywords}");
    }
  }
  return bank;
}

}  // namespace reelgen::captions::detail
