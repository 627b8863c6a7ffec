#pragma once
// The measures a caption's scores are built from: readability (Flesch reading ease and its
// adaptations) and the sentiment of its words. Engine::assess combines them with its checks.

#include <string_view>
#include <vector>

#include "captions/caption.hpp"
#include "captions/language.hpp"
#include "captions/sorted_lines.hpp"
#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {

// Flesch reading ease, or its adaptation for the language, with a vowel-group syllable count,
// clamped to 0..100.
double readability(std::string_view text, const std::vector<Word>& words,
                   ReadabilityFormula formula = ReadabilityFormula::flesch);

// Sum of word scores from the language's sentiment lexicon; a negator ("not", "nunca", "nicht")
// flips the next two.
int sentiment_sum(const std::vector<Word>& words, const LanguagePack& language);

// 1 inside [lo, hi], falling linearly to 0 at half the low end and double the high end.
double range_fit(double value, double lo, double hi);

}  // namespace reelgen::captions::detail
