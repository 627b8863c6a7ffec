#include "captions/scorer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "captions/tokenizer.hpp"
#include "core/utf8.hpp"

namespace reelgen::captions::detail {
namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Accented vowels of the six languages (lower case, U+00E0..U+00FF) and œ.
bool is_vowel_cp(char32_t cp) {
  if (cp < 0x80) return is_vowel(static_cast<char>(cp));
  switch (cp) {
    case 0xE0:
    case 0xE1:
    case 0xE2:
    case 0xE3:
    case 0xE4:
    case 0xE8:
    case 0xE9:
    case 0xEA:
    case 0xEB:
    case 0xEC:
    case 0xED:
    case 0xEE:
    case 0xEF:
    case 0xF2:
    case 0xF3:
    case 0xF4:
    case 0xF5:
    case 0xF6:
    case 0xF9:
    case 0xFA:
    case 0xFB:
    case 0xFC:
    case 0x153:
      return true;
    default:
      return false;
  }
}

int syllables(std::string_view word, ReadabilityFormula formula) {
  int count = 0;
  bool in_vowels = false;
  std::size_t i = 0;
  while (i < word.size()) {
    auto b = static_cast<unsigned char>(word[i]);
    bool v;
    if (b < 0x80) {
      ++i;
      v = is_vowel(static_cast<char>(b));
    } else {
      v = is_vowel_cp(next_code_point(word, i));
    }
    if (v && !in_vowels) ++count;
    in_vowels = v;
  }
  if (formula == ReadabilityFormula::flesch) {
    // A final silent 'e' ("make"), but not "-le" ("little").
    if (word.size() > 2 && word.back() == 'e' && !is_vowel(word[word.size() - 2]) &&
        !(word[word.size() - 2] == 'l' && !is_vowel(word[word.size() - 3]))) {
      --count;
    }
  } else if (formula == ReadabilityFormula::kandel_moles) {
    // French final mute 'e' and "-es" ("belle", "plages").
    if (word.size() > 2 && (word.ends_with("e") || word.ends_with("es")) && count > 1) --count;
  }
  return std::max(count, 1);
}

int sentence_count(std::string_view text) {
  int count = 0;
  bool in_end = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool end = c == '.' || c == '!' || c == '?' || (c == '\n' && i > 0 && text[i - 1] != '\n');
    if (end && !in_end) ++count;
    in_end = end || (in_end && (c == ' ' || c == '\n'));
  }
  // The last sentence may end with an emoji instead of a period.
  return std::max(count + (in_end ? 0 : 1), 1);
}

double clamp100(double v) { return std::clamp(v, 0.0, 100.0); }

}  // namespace

// 1 inside [lo, hi], falling linearly to 0 at half / double the range.
double range_fit(double value, double lo, double hi) {
  if (value >= lo && value <= hi) return 1.0;
  if (value < lo) return std::max(0.0, 1.0 - (lo - value) / (lo * 0.5));
  return std::max(0.0, 1.0 - (value - hi) / hi);
}

double readability(std::string_view text, const std::vector<Word>& words,
                   ReadabilityFormula formula) {
  if (words.empty()) return 0.0;
  int syl = 0;
  for (const Word& w : words) syl += syllables(w.lower, formula);
  const double n = static_cast<double>(words.size());
  const double asl = n / sentence_count(text);  // words per sentence
  const double asw = syl / n;                   // syllables per word
  double ease = 0;
  switch (formula) {
    case ReadabilityFormula::flesch:
      ease = 206.835 - 1.015 * asl - 84.6 * asw;
      break;
    case ReadabilityFormula::fernandez_huerta:
      // L = 206.84 - 0.60 P - 1.02 F, P syllables and F sentences per 100 words.
      ease = 206.84 - 0.60 * (100.0 * asw) - 1.02 * (100.0 / asl);
      break;
    case ReadabilityFormula::kandel_moles:
      ease = 207.0 - 1.015 * asl - 73.6 * asw;
      break;
    case ReadabilityFormula::amstad:
      ease = 180.0 - asl - 58.5 * asw;
      break;
    case ReadabilityFormula::flesch_vacca:
      // F = 206 - 0.65 S - W, S syllables per 100 words, W words per sentence.
      ease = 206.0 - 0.65 * (100.0 * asw) - asl;
      break;
    case ReadabilityFormula::martins:
      ease = 248.835 - 1.015 * asl - 84.6 * asw;
      break;
  }
  return clamp100(ease);
}

int sentiment_sum(const std::vector<Word>& words, const LanguagePack& language) {
  const SortedLines& lexicon = language.sentiment();
  int sum = 0;
  int flip = 0;
  for (const Word& w : words) {
    if (language.is_negator(w.lower)) {
      flip = 2;
      continue;
    }
    int s = 0;
    // The lexicons hold no word under three letters ("a", "to", "is" need no search).
    if (w.lower.size() >= 3) {
      auto value = lexicon.find(w.lower);
      if (!value && w.lower.size() > 3 && w.lower.back() == 's') {
        value = lexicon.find(std::string_view(w.lower).substr(0, w.lower.size() - 1));
      }
      // Inflected forms: "guten" is "gut", "heureuses" is "heureux" only when listed, "jolies"
      // is "jolie".
      for (std::string_view ending : language.inflections()) {
        if (value || w.lower.size() < ending.size() + 3 || !w.lower.ends_with(ending)) continue;
        value = lexicon.find(std::string_view(w.lower).substr(0, w.lower.size() - ending.size()));
      }
      if (value) std::from_chars(value->data(), value->data() + value->size(), s);
    }
    sum += flip > 0 ? -s : s;
    if (flip > 0) --flip;
  }
  return sum;
}

}  // namespace reelgen::captions::detail
