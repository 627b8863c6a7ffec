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

EmojiChoice pick_emojis(const EmojiTable& table, const Analysis& analysis, const Niche& niche,
                        const StyleBank& style, std::size_t count) {
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
  // Other languages have no parts of speech: the subject as a whole ("coucher_de_soleil"),
  // then the content words in order, each also without a plural "s" ("playas" -> "playa").
  static const std::vector<std::string> kNone;
  if (analysis.terms.empty() && analysis.subject.found) {
    std::string key = analysis.subject.text;
    for (char& c : key) {
      if (c == ' ') c = '_';
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    if (key.find('_') != std::string::npos && add(table.best(key))) ++choice.from_description;
  }
  for (const std::string& word : analysis.terms.empty() ? analysis.keywords : kNone) {
    std::string key = word;
    for (char& c : key) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    std::string_view emoji = table.best(key);
    if (emoji.empty() && key.size() > 3 && key.back() == 's') {
      emoji = table.best(std::string_view(key).substr(0, key.size() - 1));
    }
    if (add(emoji)) ++choice.from_description;
  }
  // Nouns first (most relevant first), then what happens (verbs).
  for (Pos pos : {Pos::noun, Pos::verb}) {
    for (const Term& t : analysis.terms) {
      if (t.stop || t.pos != pos) continue;
      std::string_view emoji = table.best(t.lemma);
      if (emoji.empty() && t.compound) emoji = table.best(t.lemma.substr(t.lemma.rfind('_') + 1));
      if (add(emoji)) ++choice.from_description;
    }
  }
  for (std::string_view e : niche.emojis) add(e);
  for (std::string_view e : style.emojis) add(e);
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
