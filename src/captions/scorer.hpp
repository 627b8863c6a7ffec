#pragma once
// Scores a written caption: readability (Flesch reading ease), sentiment and tone, and the
// quality and engagement estimates the API reports. All scores are 0..100.

#include <string_view>
#include <vector>

#include "captions/caption.hpp"
#include "captions/composer.hpp"
#include "captions/language.hpp"
#include "captions/phrase_bank.hpp"
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

struct ScoreInput {
  const Draft& draft;
  const StyleBank& style;
  const CaptionRequest& request;
  const LanguagePack& language;
  std::size_t emoji_budget;       // emojis the request asked for (style, content type, emoji)
  std::size_t relevant_hashtags;  // tags from the keywords, the description or its niche
  std::size_t relevant_emojis;    // emojis matched to the description or its niche
};

// Fills every score field of caption from its text, hashtags and emojis.
void score(const ScoreInput& input, Caption& caption);

}  // namespace reelgen::captions::detail
