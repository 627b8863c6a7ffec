#pragma once
// Reads what a post is for and what it must say: its intent (moment, launch, event, ...), its
// facts kept verbatim (dates, times, prices, names, lists, ...), and its description cleaned into
// sentences a caption can carry. Pure function of the description and the language's cue words
// (data/captions/posts/<lang>.txt).

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "captions/caption.hpp"
#include "core/error.hpp"

namespace reelgen::captions::detail {

class Lexicon;
class LanguagePack;

// The words a language uses for dates, times, prices, quantities and each intent.
class PostLanguage {
 public:
  static core::Result<PostLanguage> parse(std::string_view text);

  struct Cue {
    std::string_view phrase;      // lower case, words separated by one space
    std::string_view first_word;  // the phrase up to its first space
    Intent intent = Intent::moment;
    double weight = 0;
  };

  bool is(std::string_view list, std::string_view lower_word) const;
  const std::vector<std::string_view>& list(std::string_view name) const;
  // The intent cues whose phrase starts with this word.
  std::span<const Cue> cues_starting(std::string_view word) const;

 private:
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> lists_;
  std::vector<Cue> cues_;  // by first word
};

struct PostAnalysis {
  Intent intent = Intent::moment;
  double intent_confidence = 0;  // 0..1
  std::vector<Fact> facts;       // in order of appearance, never overlapping
  // The description as caption sentences: a leading "Photo of" dropped, each sentence starting
  // with a capital and ending with punctuation. Joined by spaces they make the caption's body.
  std::vector<std::string> sentences;
  bool fragment = false;           // a phrase without a verb ("Latte art at our cafe")
  bool first_person = false;       // speaks as I or we
  bool past = false;               // tells of something that happened
  bool contact = false;            // says how to reach the business: an email, a phone, "DM us"
  std::vector<std::string> words;  // its words, lower case, sorted, each once

  // The description uses this word (lower case), function words too.
  bool says(std::string_view word) const;

  bool has(FactKind kind) const;
  // The first fact of kind; "" when there is none.
  std::string_view first(FactKind kind) const;
};

// english_lexicon, when given, tells unknown words (names) and verbs apart for English.
PostAnalysis analyze_post(std::string_view description, const PostLanguage& language,
                          const LanguagePack& pack, const Lexicon* english_lexicon);

// Facts in the order a short caption keeps them: price, discount, date, time, place, then the
// rest in order of appearance.
std::vector<Fact> by_importance(const std::vector<Fact>& facts);

}  // namespace reelgen::captions::detail
