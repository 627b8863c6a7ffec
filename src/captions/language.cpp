#include "captions/language.hpp"

#include <algorithm>
#include <cctype>

#include "captions/caption.hpp"
#include "captions/section_reader.hpp"
#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

// The first code point of word, as bytes.
std::string_view first_letter(std::string_view word) {
  if (word.empty()) return {};
  std::size_t i = 0;
  next_code_point(word, i);
  return word.substr(0, i);
}

bool is_upper_start(std::string_view word) {
  if (word.empty()) return false;
  std::size_t i = 0;
  char32_t cp = next_code_point(word, i);
  return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7);
}

void capitalize_first(std::string& word) {
  if (word.empty()) return;
  if (word[0] >= 'a' && word[0] <= 'z') {
    word[0] = static_cast<char>(word[0] - 32);
    return;
  }
  std::size_t i = 0;
  char32_t cp = next_code_point(word, i);
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) {
    char32_t u = cp - 0x20;
    std::string head;
    head += static_cast<char>(0xC0 | (u >> 6));
    head += static_cast<char>(0x80 | (u & 0x3F));
    word.replace(0, i, head);
  }
}

}  // namespace

std::size_t language_index(std::string_view code) {
  for (std::size_t i = 0; i < kLanguages.size(); ++i) {
    if (kLanguages[i] == code) return i;
  }
  return 0;
}

core::Result<LanguagePack> LanguagePack::parse(std::string_view code, std::string_view text,
                                               SortedLines stopwords, SortedLines sentiment) {
  LanguagePack pack;
  pack.code_ = code;
  pack.stopwords_ = std::move(stopwords);
  pack.sentiment_ = std::move(sentiment);
  const std::string where = "languages/" + std::string(code) + ".txt";
  std::string error;
  read_sections(text, [&](std::string_view section, std::string_view line) {
    if (section == "meta") {
      std::string_view key, value;
      if (!split_key_value(line, key, value)) {
        error = where + ": expected key = value in [meta]";
        return;
      }
      if (key == "readability") {
        static constexpr std::array<std::pair<std::string_view, ReadabilityFormula>, 6> kNames = {{
            {"flesch", ReadabilityFormula::flesch},
            {"fernandez_huerta", ReadabilityFormula::fernandez_huerta},
            {"kandel_moles", ReadabilityFormula::kandel_moles},
            {"amstad", ReadabilityFormula::amstad},
            {"flesch_vacca", ReadabilityFormula::flesch_vacca},
            {"martins", ReadabilityFormula::martins},
        }};
        auto it = std::find_if(kNames.begin(), kNames.end(),
                               [&](const auto& n) { return n.first == value; });
        if (it == kNames.end())
          error = where + ": unknown readability formula";
        else
          pack.readability_ = it->second;
      } else if (key == "definite") {
        auto items = split_list(value);
        if (items.size() != 4)
          error = where + ": definite needs four articles";
        else
          std::copy(items.begin(), items.end(), pack.definite_.begin());
      } else if (key == "space_before") {
        for (std::string_view mark : split_list(value)) pack.space_before_ += mark;
      } else if (key == "negators") {
        pack.negators_ = split_list(value);
        for (std::string_view n : pack.negators_) {
          pack.negator_first_[static_cast<unsigned char>(n[0])] = true;
        }
      } else if (key == "linkers") {
        pack.linkers_ = split_list(value);
      } else if (key == "inflections") {
        pack.inflections_ = split_list(value);
      } else if (key == "verb_endings") {
        pack.verb_endings_ = split_list(value);
      } else if (key == "feminine_endings") {
        pack.feminine_endings_ = split_list(value);
      } else if (key == "masculine_endings") {
        pack.masculine_endings_ = split_list(value);
      } else if (key == "plural_s") {
        pack.plural_s_ = value == "true";
      } else if (key == "capitalized_nouns") {
        pack.capitalized_nouns_ = value == "true";
      } else if (key == "compounds") {
        pack.compounds_ = value == "true";
      } else if (key == "elide_before") {
        pack.elide_before_ = split_list(value);
      } else if (key == "elision") {
        for (std::string_view item : split_list(value)) {
          std::size_t gt = item.find('>');
          if (gt == std::string_view::npos) {
            error = where + ": elision items are word>elided";
            return;
          }
          pack.elision_.emplace_back(item.substr(0, gt), item.substr(gt + 1));
        }
      }
    } else if (section == "articles") {
      auto items = split_list(line);
      if (items.size() != 3) {
        error = where + ": [articles] lines are: article m|f s|p";
        return;
      }
      pack.articles_.emplace_back(
          items[0],
          ArticleInfo{items[1] == "f" ? Gender::feminine : Gender::masculine, items[2] == "p"});
    } else if (section == "genders") {
      auto items = split_list(line);
      if (items.size() != 2) {
        error = where + ": [genders] lines are: word m|f";
        return;
      }
      pack.genders_.emplace_back(items[0], items[1] == "f" ? Gender::feminine : Gender::masculine);
    } else if (section == "contractions") {
      std::string_view key, value;
      if (!split_key_value(line, key, value)) {
        error = where + ": [contractions] lines are: a b = ab";
        return;
      }
      pack.contractions_.emplace_back(key, value);
    } else if (section == "mass") {
      pack.mass_.push_back(line);
    } else {
      error = where + ": unknown section [" + std::string(section) + "]";
    }
  });
  if (!error.empty()) return core::fail(core::ErrorCode::internal, error);
  if (code != "en" && code != "de" && pack.definite_[0].empty()) {
    return core::fail(core::ErrorCode::internal, where + ": definite articles are missing");
  }
  std::sort(pack.genders_.begin(), pack.genders_.end());
  std::sort(pack.mass_.begin(), pack.mass_.end());
  return pack;
}

bool LanguagePack::is_linker(std::string_view lower) const {
  return std::find(linkers_.begin(), linkers_.end(), lower) != linkers_.end();
}

bool LanguagePack::is_negator(std::string_view lower) const {
  if (lower.empty() || !negator_first_[static_cast<unsigned char>(lower[0])]) return false;
  return std::find(negators_.begin(), negators_.end(), lower) != negators_.end();
}

bool LanguagePack::is_gerund(std::string_view lower) const {
  return std::any_of(verb_endings_.begin(), verb_endings_.end(),
                     [&](std::string_view e) { return ends_with_stem(lower, e); });
}

const ArticleInfo* LanguagePack::article(std::string_view lower) const {
  for (const auto& [word, info] : articles_) {
    if (word == lower) return &info;
  }
  return nullptr;
}

Gender LanguagePack::gender_of(std::string_view lower) const {
  auto it = std::lower_bound(genders_.begin(), genders_.end(), lower,
                             [](const auto& e, std::string_view w) { return e.first < w; });
  if (it != genders_.end() && it->first == lower) return it->second;
  std::size_t fem = 0, masc = 0;
  for (std::string_view e : feminine_endings_) {
    if (ends_with_stem(lower, e) || lower == e) fem = std::max(fem, e.size());
  }
  for (std::string_view e : masculine_endings_) {
    if (ends_with_stem(lower, e) || lower == e) masc = std::max(masc, e.size());
  }
  return fem > masc ? Gender::feminine : Gender::masculine;
}

bool LanguagePack::is_mass(std::string_view lower) const {
  return std::binary_search(mass_.begin(), mass_.end(), lower);
}

std::string_view LanguagePack::definite_article(Gender gender, bool plural,
                                                std::string_view next) const {
  if (definite_[0].empty()) return {};
  if (code_ == "it" && gender == Gender::masculine) {
    // "lo/gli" before s + consonant, z, gn, ps, x, y and vowels ("lo zaino", "gli amici");
    // "lo" before a vowel is then elided to "l'".
    std::string lower = lower_latin(next.substr(0, std::min<std::size_t>(next.size(), 4)));
    auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
    bool special =
        !lower.empty() &&
        (vowel(lower[0]) || lower[0] == 'z' || lower[0] == 'x' || lower[0] == 'y' ||
         (lower[0] == 's' && lower.size() > 1 && !vowel(lower[1])) || lower.starts_with("gn") ||
         lower.starts_with("ps") || static_cast<unsigned char>(lower[0]) >= 0x80);
    if (special) return plural ? "gli" : "lo";
  }
  std::size_t i = (gender == Gender::feminine ? 1 : 0) + (plural ? 2 : 0);
  return definite_[i];
}

void LanguagePack::finish(std::string& text) const {
  constexpr std::size_t kMaxRuleWordBytes = 4;
  if (!space_before_.empty()) {
    constexpr std::string_view kNarrowNbsp = "\xE2\x80\xAF";
    std::string spaced;
    spaced.reserve(text.size() + 12);
    for (std::size_t k = 0; k < text.size(); ++k) {
      char c = text[k];
      if (space_before_.find(c) != std::string::npos && k > 0 &&
          space_before_.find(text[k - 1]) == std::string::npos) {
        if (spaced.ends_with(' ')) spaced.pop_back();
        spaced += kNarrowNbsp;
      }
      spaced += c;
    }
    text = std::move(spaced);
  }
  if (elision_.empty() && contractions_.empty()) return;
  // Word bytes: ASCII letters, the apostrophe and two-byte (Latin) letters; emoji and typographic
  // punctuation start at 0xE2 and end a word.
  auto word_byte = [&](std::size_t k) {
    auto u = static_cast<unsigned char>(text[k]);
    return std::isalnum(u) || u == '\'' || (u >= 0x80 && u < 0xE2);
  };
  auto word_end = [&](std::size_t k) {
    while (k < text.size() && word_byte(k)) {
      auto u = static_cast<unsigned char>(text[k]);
      if (u >= 0xE2) break;
      ++k;
    }
    return k;
  };
  // Two passes: elision first, so "de le océan" becomes "de l'océan" and not "du océan".
  for (int pass = 0; pass < 2; ++pass) {
    const bool elide = pass == 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      if (!word_byte(pos) || (pos > 0 && word_byte(pos - 1))) {
        ++pos;
        continue;
      }
      std::size_t end = word_end(pos);
      if (end >= text.size() || text[end] != ' ' || end + 1 >= text.size() || !word_byte(end + 1)) {
        pos = end;
        continue;
      }
      // Every elided or contracted word is short ("de", "à", "que", "una", "por"): longer words
      // skip the lower-casing below, which is most of this pass's cost. A pronoun after an
      // imperative's hyphen ("partage-le avec") is stressed and never elides.
      if (end - pos > kMaxRuleWordBytes || (pos > 0 && text[pos - 1] == '-')) {
        pos = end;
        continue;
      }
      std::size_t next = end + 1, next_end = word_end(next);
      const std::string a = lower_latin(std::string_view(text).substr(pos, end - pos));
      const std::string_view next_word = std::string_view(text).substr(next, next_end - next);
      std::string replacement;
      std::size_t replace_end = next;  // replace [pos, replace_end)
      if (elide) {
        // Elision: "le océan" -> "l'océan", "la eau" -> "l'eau", "lo amico" -> "l'amico".
        auto rule = std::find_if(elision_.begin(), elision_.end(),
                                 [&](const auto& r) { return r.first == a; });
        if (rule != elision_.end()) {
          const std::string first = lower_latin(first_letter(next_word));
          if (std::find(elide_before_.begin(), elide_before_.end(), first) != elide_before_.end()) {
            replacement.assign(rule->second);
          }
        }
      } else {
        // Contractions: "de el" -> "del"; the second part may be elided already ("di l'amico").
        // The next word is lower-cased only when a rule starts with this one, and only as far
        // as a rule's second word reaches.
        std::string b;
        for (const auto& [pair, joined] : contractions_) {
          std::size_t space = pair.find(' ');
          std::string_view left = pair.substr(0, space), right = pair.substr(space + 1);
          if (a != left) continue;
          if (b.empty()) {
            std::size_t cut = std::min(next_word.size(), kMaxRuleWordBytes + 1);
            while (cut < next_word.size() &&
                   (static_cast<unsigned char>(next_word[cut]) & 0xC0) == 0x80) {
              ++cut;  // not inside a letter
            }
            b = lower_latin(next_word.substr(0, cut));
          }
          if (next_word.size() == right.size() && b == right) {
            replacement.assign(joined);
            replace_end = next_end;
          } else if (right.ends_with('\'') && b.starts_with(right)) {
            replacement.assign(joined);
            replace_end = next + right.size();
          } else {
            continue;
          }
          break;
        }
      }
      if (replacement.empty()) {
        pos = end;
        continue;
      }
      if (is_upper_start(std::string_view(text).substr(pos, end - pos))) {
        capitalize_first(replacement);
      }
      text.replace(pos, replace_end - pos, replacement);
      // Stay on the new word: it may meet another rule ("a" + "a" -> "à").
    }
  }
}

}  // namespace reelgen::captions::detail
