#include "captions/emojis.hpp"

#include <algorithm>

#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

// Compares emojis ignoring the presentation selector, which data files write inconsistently.
bool same_emoji(std::string_view a, std::string_view b) {
  constexpr std::string_view kVs16 = "\xEF\xB8\x8F";
  if (a.ends_with(kVs16)) a.remove_suffix(kVs16.size());
  if (b.ends_with(kVs16)) b.remove_suffix(kVs16.size());
  return a == b;
}

}  // namespace

std::string_view EmojiTable::best(std::string_view keyword) const {
  auto value = table_.find(keyword);
  if (!value) return {};
  return value->substr(0, value->find(' '));
}

EmojiChoice pick_emojis(const EmojiTable& table, const Analysis& analysis, std::string_view subject,
                        const Niche& niche, std::size_t count) {
  EmojiChoice choice;
  auto add = [&](std::string_view emoji) {
    if (emoji.empty() || choice.emojis.size() >= count) return false;
    for (std::string_view e : choice.emojis) {
      if (same_emoji(e, emoji)) return false;
    }
    choice.emojis.push_back(emoji);
    return true;
  };
  if (count == 0) return choice;
  const std::size_t lang = analysis.language;
  // The niche's emoji for each sense the description uses, in the niche's order of preference.
  for (std::size_t l : {lang, std::size_t{0}}) {
    for (const NicheTag& e : niche.sense_emojis[l]) {
      if (e.applies([&](std::string_view w) { return analysis.mentions(w); }) && add(e.tag)) {
        ++choice.from_description;
      }
    }
    if (l == 0) break;
  }
  // CLDR's emoji for the subject's head word, when the niche owns it: "sushi" -> 🍣 in food,
  // but never 📊 for a "bar" or 🏦 for a food bank.
  std::string head(
      subject.substr(subject.rfind(' ') == std::string_view::npos ? 0 : subject.rfind(' ') + 1));
  for (char& c : head) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  std::string_view cldr = table.best(head);
  if (cldr.empty() && head.size() > 3 && head.back() == 's') {
    cldr = table.best(std::string_view(head).substr(0, head.size() - 1));
  }
  // A head word the niche marks as having several senses ("~vela") needs its second witness.
  auto ambiguous = [&](std::string_view emoji) {
    const std::string marked = "~" + head;
    for (std::size_t l : {lang, std::size_t{0}}) {
      for (const NicheTag& e : niche.sense_emojis[l]) {
        if (same_emoji(e.tag, emoji) && e.needs.find(marked) != std::string_view::npos) {
          return !analysis.mentions(marked);
        }
      }
    }
    return false;
  };
  if (!cldr.empty() && niche.owns_emoji(cldr, lang) && !ambiguous(cldr) && add(cldr)) {
    ++choice.from_description;
  }
  for (std::string_view e : niche.emojis) add(e);
  return choice;
}

std::vector<std::string> emojis_in(std::string_view text) {
  std::vector<std::string> found;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    char32_t cp = next_code_point(text, i);
    if (!is_emoji_start(cp)) continue;
    // Extend over variation selectors, skin tones, keycaps and zero-width-joined parts.
    while (i < text.size()) {
      std::size_t at = i;
      char32_t next = next_code_point(text, i);
      if (next == 0xFE0F || next == 0x20E3 || (next >= 0x1F3FB && next <= 0x1F3FF)) continue;
      if (next == 0x200D && i < text.size()) {
        next_code_point(text, i);
        continue;
      }
      i = at;
      break;
    }
    std::string_view emoji = text.substr(start, i - start);
    bool seen = std::any_of(found.begin(), found.end(),
                            [&](const std::string& e) { return same_emoji(e, emoji); });
    if (!seen) found.emplace_back(emoji);
  }
  return found;
}

}  // namespace reelgen::captions::detail
