#pragma once
// Hashtags in order of relevance, from whole entities of the description and the niche's curated
// tags for the senses it uses. Every tag is "#" + letters, digits or '_', unique, not banned.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/analyzer.hpp"
#include "captions/niches.hpp"
#include "captions/post_analysis.hpp"
#include "captions/sorted_lines.hpp"

namespace reelgen::captions::detail {

// "Golden retriever" -> "goldenretriever", "café" -> "cafe"; letters outside Latin are dropped.
// keep_accents keeps Latin letters as they are, lower-cased ("montaña", "fußball"): tags in
// Spanish, French, German, Italian and Portuguese are written with them.
// Returns "" when nothing usable is left (or only digits).
std::string hashtag_body(std::string_view phrase, bool keep_accents = false);

// German adds -n to a plural in the dative ("in den Bergen"); a tag takes the plural itself:
// word without its final "n" when only that is a known word ("bergen" -> "berge").
std::string without_dative_n(std::string word, const std::function<bool(std::string_view)>& known);

// True when tag ("#montaña" or "montaña") has only letters, digits and '_' and is not empty.
bool valid_hashtag(std::string_view tag);

struct HashtagSources {
  const Analysis& words;
  const PostAnalysis& post;
  std::string_view description;
  std::string_view subject;  // as written
  const Niche& niche;
  const std::vector<NicheTag>& reach;  // broad tags, only with generic
  const std::vector<std::string>& keywords;
  const SortedLines& banned;
  const PostLanguage& post_words;  // the language's lists (list_and, street_words)
  bool generic = false;
  // Whether a lower-case word names a niche's topic (a trigger of some niche).
  std::function<bool(std::string_view)> topic_word;
  // Whether a phrase ("latte art") is a collocation the lexicon knows (English).
  std::function<bool(std::string_view)> collocation;
  // Whether a lower-case word is an inflected verb ("serving", not "morning") (English).
  std::function<bool(std::string_view)> verb_form;
  // Whether a lower-case word is a function word of the language.
  std::function<bool(std::string_view)> stopword;
  // For a language that writes compound nouns (German): whether a lower-case word is one the
  // language knows, to write dative plurals as the plural ("bergen" -> "berge").
  std::function<bool(std::string_view)> known_word;
};

struct HashtagPick {
  std::vector<std::string> tags;
  std::size_t relevant = 0;  // tags from the keywords, the description, its facts or its senses
};

// At most count tags (0..30), relevant ones only: the caller's keywords, the subject and its
// head, names and places of the facts, the niche's tags for words the description uses, then a
// few of the niche's general tags; broad reach tags only when sources.generic. Never padded.
HashtagPick pick_hashtags(const HashtagSources& sources, int count);

}  // namespace reelgen::captions::detail
