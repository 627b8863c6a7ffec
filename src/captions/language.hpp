#pragma once
// What the engine knows about each language it writes (data/captions/languages/<code>.txt plus
// stopwords_<code>.txt and sentiment_<code>.txt): function words, the grammar of articles
// (gender, number, elision, contractions such as "de el" -> "del"), the readability formula and,
// for English, the mass nouns that take no "a". Immutable after load.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "captions/sorted_lines.hpp"
#include "core/error.hpp"

namespace reelgen::captions::detail {

enum class Gender : std::uint8_t { masculine, feminine };

// Flesch reading ease and its adaptations to the other languages.
enum class ReadabilityFormula : std::uint8_t {
  flesch,            // English: 206.835 - 1.015 ASL - 84.6 ASW
  fernandez_huerta,  // Spanish: 206.84 - 0.60 P - 1.02 F (per 100 words)
  kandel_moles,      // French: 207 - 1.015 ASL - 73.6 ASW
  amstad,            // German: 180 - ASL - 58.5 ASW
  flesch_vacca,      // Italian: 206 - 0.65 S - W (syllables per 100 words, words per sentence)
  martins,           // Portuguese (Martins et al.): 248.835 - 1.015 ASL - 84.6 ASW
};

struct ArticleInfo {
  Gender gender = Gender::masculine;
  bool plural = false;
};

class LanguagePack {
 public:
  // text: languages/<code>.txt. stopwords and sentiment index the blobs of the other two files.
  static core::Result<LanguagePack> parse(std::string_view code, std::string_view text,
                                          SortedLines stopwords, SortedLines sentiment);

  std::string_view code() const { return code_; }
  bool english() const { return code_ == "en"; }
  // German writes every noun with a capital; its templates never put an article before a slot.
  bool capitalized_nouns() const { return capitalized_nouns_; }
  bool plural_s() const { return plural_s_; }
  // German joins nouns into one word ("Gemüsesuppe"); its parts make hashtags too.
  bool compounds() const { return compounds_; }
  // Endings an inflected word may carry beyond its sentiment-lexicon form ("gute" is "gut").
  const std::vector<std::string_view>& inflections() const { return inflections_; }
  ReadabilityFormula readability() const { return readability_; }
  const SortedLines& stopwords() const { return stopwords_; }
  const SortedLines& sentiment() const { return sentiment_; }

  bool is_linker(std::string_view lower) const;
  bool is_negator(std::string_view lower) const;
  bool is_gerund(std::string_view lower) const;
  // The gender and number an article found in a description gives the noun after it.
  const ArticleInfo* article(std::string_view lower) const;
  // Gender from the exception list, then the longest matching ending; masculine when unknown.
  Gender gender_of(std::string_view lower) const;
  bool is_mass(std::string_view lower) const;  // English only

  // "la playa", "el atardecer", "lo zaino", "gli amici"; German and English: "" (no article).
  std::string_view definite_article(Gender gender, bool plural, std::string_view next) const;

  // In place, after the surface is polished: elision (le océan -> l'océan), contractions
  // (de el -> del, di il -> del), keeping a capital at the start of the first word, and French
  // spacing before ? ! : ;.
  void finish(std::string& text) const;

 private:
  std::string_view code_;
  ReadabilityFormula readability_ = ReadabilityFormula::flesch;
  std::array<std::string_view, 4>
      definite_{};  // masculine, feminine, masculine plural, feminine plural
  std::vector<std::string_view> linkers_, verb_endings_, feminine_endings_, masculine_endings_;
  std::vector<std::string_view> inflections_;
  std::vector<std::string_view> elide_before_, mass_, negators_;
  std::string space_before_;
  std::array<bool, 256> negator_first_{};  // first bytes of negators: most words skip the search //
                                           // French: a narrow no-break space before ? ! : ;
  std::vector<std::pair<std::string_view, std::string_view>> elision_;       // word -> elided
  std::vector<std::pair<std::string_view, std::string_view>> contractions_;  // "de el" -> "del"
  std::vector<std::pair<std::string_view, ArticleInfo>> articles_;
  std::vector<std::pair<std::string_view, Gender>> genders_;  // sorted
  bool plural_s_ = false;
  bool capitalized_nouns_ = false;
  bool compounds_ = false;
  SortedLines stopwords_;
  SortedLines sentiment_;
};

// Index of code in kLanguages, or 0 (English) when unknown.
std::size_t language_index(std::string_view code);

}  // namespace reelgen::captions::detail
