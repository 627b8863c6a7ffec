#pragma once
// Hashtags in order of relevance: the caller's keywords, the description's noun phrases and
// nouns, then style, niche and broad reach tags. Every tag is "#" + [a-z0-9_], unique, not banned.

#include <string>
#include <string_view>
#include <vector>

#include "captions/analyzer.hpp"
#include "captions/niches.hpp"
#include "captions/phrase_bank.hpp"
#include "captions/sorted_lines.hpp"

namespace reelgen::captions::detail {

// "Golden retriever" -> "goldenretriever", "café" -> "cafe"; letters outside Latin are dropped.
// Returns "" when nothing usable is left (or only digits).
std::string hashtag_body(std::string_view phrase);

struct HashtagSources {
  const Analysis& analysis;
  const StyleBank& style;
  const Niche& niche;
  const std::vector<std::string_view>& reach;
  const std::vector<std::string>& keywords;
  const SortedLines& banned;
};

struct HashtagPick {
  std::vector<std::string> tags;
  std::size_t relevant = 0;  // tags from the keywords, the description or its niche
};

// At most count tags (0..30). rotation shifts which style and niche tags come first, so
// variants differ a little past the description's own tags.
HashtagPick pick_hashtags(const HashtagSources& sources, int count, std::size_t rotation);

}  // namespace reelgen::captions::detail
