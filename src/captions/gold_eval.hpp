#pragma once
// `reelgen eval --gold FILE`: measures captions against labelled descriptions (the format of
// gold-dev.jsonl: subject, niche, intent, facts, acceptable and wrong hashtags and emojis), per
// language and style, the way a reviewer would: is the subject named, are the facts kept, are
// intent and niche right, are the hashtags acceptable, are any hashtags or emojis wrong, is the
// lead emoji acceptable, are body lines reused under other descriptions, do the styles differ.

#include <string>
#include <string_view>
#include <vector>

#include "captions/provider.hpp"
#include "core/error.hpp"

namespace reelgen::captions {

struct GoldCase {
  std::string id;
  std::string language = "en";
  std::string description;
  std::vector<std::string> subjects;  // the subject first, then acceptable alternatives
  std::string niche;
  std::string intent;
  std::vector<std::string> facts;
  std::vector<std::string> hashtags_ok, hashtags_bad;  // bodies, lower case, no '#'
  std::vector<std::string> emojis_ok, emojis_bad;
};

// Parses JSON lines; errors name the line.
core::Result<std::vector<GoldCase>> parse_gold_cases(std::string_view jsonl);

struct GoldCounts {
  std::size_t captions = 0;
  std::size_t subject_named = 0;
  std::size_t facts = 0, facts_kept = 0;
  std::size_t intent_right = 0, niche_right = 0;
  std::size_t hashtags = 0, hashtags_acceptable = 0, hashtags_wrong = 0;
  std::size_t emojis = 0, emojis_wrong = 0;
  std::size_t lead_emoji_checked = 0, lead_emoji_ok = 0;

  double subject() const { return captions ? double(subject_named) / captions : 1.0; }
  double facts_share() const { return facts ? double(facts_kept) / facts : 1.0; }
  double intent() const { return captions ? double(intent_right) / captions : 1.0; }
  double niche() const { return captions ? double(niche_right) / captions : 1.0; }
  double acceptable() const { return hashtags ? double(hashtags_acceptable) / hashtags : 1.0; }
  double wrong_hashtags() const { return hashtags ? double(hashtags_wrong) / hashtags : 0.0; }
  double lead_emoji() const {
    return lead_emoji_checked ? double(lead_emoji_ok) / lead_emoji_checked : 1.0;
  }
};

struct GoldGroup : GoldCounts {
  std::string language;
  std::string style;
  // The largest share of descriptions under which one line longer than 40 characters appears.
  double max_line_reuse = 0;
  std::string most_reused_line;
};

struct GoldReport : GoldCounts {
  std::size_t descriptions = 0;
  double style_distinct_sum = 0;
  std::size_t style_pairs = 0;
  double max_line_reuse = 0;  // over every style
  std::vector<GoldGroup> groups;
  std::vector<std::string> samples;  // misses, for humans

  double style_distinctness() const { return style_pairs ? style_distinct_sum / style_pairs : 1.0; }
};

// Writes a caption for every case in every style (15 hashtags) and counts.
GoldReport evaluate_gold(const Provider& provider, const std::vector<GoldCase>& cases);

std::string render_gold_text(const GoldReport& report);
std::string render_gold_json(const GoldReport& report);

}  // namespace reelgen::captions
