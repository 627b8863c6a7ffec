#pragma once
// `reelgen eval`: runs a provider over a set of descriptions (JSON lines) in every style and
// reports what a reviewer would check by hand: are the hashtags about the description, do
// styles and variants really differ, are there leftover slots or grammar slips, do short
// captions stay short, are hashtags unique, and how long does a caption take.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "captions/provider.hpp"
#include "core/error.hpp"

namespace reelgen::captions {

// One line of the evaluation file:
// {"description": "...", "language": "es", "topics": ["playa"], "niche": "travel"}
// language defaults to "en"; topics (words a related hashtag may contain) and niche are optional.
struct EvalCase {
  std::string description;
  std::string language = "en";
  std::vector<std::string> topics;
  std::string niche;
};

// Parses JSON lines; blank lines and lines starting with '#' are skipped. Errors name the line.
core::Result<std::vector<EvalCase>> parse_eval_cases(std::string_view jsonl);

// What is counted per style and language and over the whole set alike.
struct EvalCounts {
  std::size_t captions = 0;
  std::size_t hashtags = 0;
  std::size_t related_hashtags = 0;
  std::size_t violations = 0;
  std::size_t duplicate_hashtags = 0;
  std::size_t short_checked = 0;
  std::size_t short_within = 0;
  double variant_distinct_sum = 0;
  std::size_t variant_pairs = 0;

  double relevance() const { return hashtags ? double(related_hashtags) / hashtags : 1.0; }
  double variant_distinctness() const {
    return variant_pairs ? variant_distinct_sum / variant_pairs : 1.0;
  }
  double length_compliance() const {
    return short_checked ? double(short_within) / short_checked : 1.0;
  }
};

struct EvalGroup : EvalCounts {
  std::string style;
  std::string language;
};

struct EvalReport : EvalCounts {
  std::size_t descriptions = 0;
  std::size_t niche_expected = 0;
  std::size_t niche_matched = 0;
  double style_distinct_sum = 0;
  std::size_t style_pairs = 0;
  double median_us = 0;  // engine time per caption
  double p95_us = 0;
  std::vector<EvalGroup> groups;               // per style and language
  std::vector<std::string> violation_samples;  // the first few, for humans

  double style_distinctness() const { return style_pairs ? style_distinct_sum / style_pairs : 1.0; }
  double niche_accuracy() const {
    return niche_expected ? double(niche_matched) / niche_expected : 1.0;
  }
};

// Writes every case in every style (2 variants, 15 hashtags), plus a short caption per case
// and style for the length check. Never fails: provider errors count as violations.
EvalReport evaluate(const Provider& provider, const std::vector<EvalCase>& cases);

// Lists the rule a caption breaks, or "" when it reads clean: leftover slots or braces, doubled
// spaces or words, space before punctuation, a lower-case sentence start, a/an in English,
// missing elision or contraction in es, fr, it and pt, invalid, banned or filler hashtags.
std::string caption_violation(const Caption& caption, std::string_view language);

std::string render_eval_text(const EvalReport& report);
std::string render_eval_json(const EvalReport& report);

}  // namespace reelgen::captions
