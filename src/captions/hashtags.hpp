#pragma once
// Hashtags in order of relevance: the caller's keywords, the description's noun phrases and
// nouns, their WordNet relatives, the niche's tags that fit, then style and broad reach tags. Every
// tag is "#" + [a-z0-9_], unique, not banned.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/analyzer.hpp"
#include "captions/niches.hpp"
#include "captions/phrase_bank.hpp"
#include "captions/sorted_lines.hpp"

namespace reelgen::captions::detail {

// "Golden retriever" -> "goldenretriever", "café" -> "cafe"; letters outside Latin are dropped.
// keep_accents keeps Latin letters as they are, lower-cased ("montaña", "fußball"): tags in
// Spanish, French, German, Italian and Portuguese are written with them.
// Returns "" when nothing usable is left (or only digits).
std::string hashtag_body(std::string_view phrase, bool keep_accents = false);

struct HashtagSources {
  const Analysis& analysis;
  const StyleBank& style;
  const Niche& niche;
  const std::vector<NicheTag>& reach;
  const std::vector<std::string>& keywords;
  const SortedLines& banned;
  const SortedLines* relatives = nullptr;  // WordNet synonyms and hypernyms (English nouns)
  // For a language that writes compound nouns (German): whether a lower-case word is one the
  // language knows. Set, the known words a description's compound is made of become tags too
  // ("gemüsesuppe": #suppe, #gemüse).
  std::function<bool(std::string_view)> known_word;
};

// German adds -n to a plural in the dative ("in den Bergen"); a tag takes the plural itself:
// word without its final "n" when only that is a known word ("bergen" -> "berge").
std::string without_dative_n(std::string word, const std::function<bool(std::string_view)>& known);

// The known words a compound is made of: its longest known ending (4 bytes or more) and, when
// known, the rest, with a linking "s", "n", "en" or "es" dropped ("sonnenuntergang" -> "untergang",
// "sonne"). Empty when no ending is known.
std::vector<std::string> compound_parts(std::string_view word,
                                        const std::function<bool(std::string_view)>& known);

// True when tag ("#montaña" or "montaña") has only letters, digits and '_' and is not empty.
bool valid_hashtag(std::string_view tag);

struct HashtagPick {
  std::vector<std::string> tags;
  std::size_t relevant = 0;  // tags from the keywords, the description or its niche
};

// At most count tags (0..30). rotation shifts which style and niche tags come first, so
// variants differ a little past the description's own tags.
HashtagPick pick_hashtags(const HashtagSources& sources, int count, std::size_t rotation);

}  // namespace reelgen::captions::detail
