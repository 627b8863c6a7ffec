#pragma once
// Niches (data/captions/niches.txt): what a description is about, with the hashtags and emojis
// its community uses, in every language the engine writes. Trigger words are indexed once so
// classifying is a few binary searches.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "captions/caption.hpp"
#include "core/error.hpp"

namespace reelgen::captions::detail {

inline constexpr std::size_t kLanguageCount = kLanguages.size();

// A niche hashtag; when needs is not empty ("dog|puppy") the tag is used only for
// descriptions that mention one of those words.
struct NicheTag {
  std::string_view tag;
  std::string_view needs;

  // True when needs is empty or one of its '|'-separated words satisfies has(word).
  template <typename Has>
  bool applies(Has&& has) const {
    if (needs.empty()) return true;
    std::string_view rest = needs;
    while (!rest.empty()) {
      std::size_t bar = rest.find('|');
      if (has(rest.substr(0, bar))) return true;
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    return false;
  }
};

struct Niche {
  std::string_view name;
  // A niche that frames a post rather than naming its subject (an event, a business, a
  // season): it gives way to a subject's niche with enough evidence of its own.
  bool frame = false;
  std::array<std::vector<NicheTag>, kLanguageCount> hashtags;
  std::vector<std::string_view> emojis;
  // "🍫:chocolate|protein_bar": the emoji for the niche's sense of those words, per language.
  std::array<std::vector<NicheTag>, kLanguageCount> sense_emojis;

  // True when emoji is one of this niche's own (sense or general), ignoring U+FE0F.
  bool owns_emoji(std::string_view emoji, std::size_t lang) const;
};

class NicheSet {
 public:
  static core::Result<NicheSet> parse(std::string_view text);

  // Adds weight to scores[i] of every niche that has word as a trigger in language lang;
  // returns false when word triggers nothing. REQUIRES: scores.size() == size().
  bool vote(std::string_view word, double weight, std::vector<double>& scores,
            std::size_t lang = 0) const;
  // Calls f(niche index) for each niche that has word as a trigger in lang; false when none.
  template <typename F>
  bool each_trigger(std::string_view word, std::size_t lang, F&& f) const {
    using Key = std::pair<std::size_t, std::string_view>;
    auto it = std::lower_bound(triggers_.begin(), triggers_.end(), Key{lang, word},
                               [](const Trigger& t, const Key& k) {
                                 return t.lang != k.first ? t.lang < k.first : t.word < k.second;
                               });
    bool found = false;
    for (; it != triggers_.end() && it->lang == lang && it->word == word; ++it) {
      f(it->niche);
      found = true;
    }
    return found;
  }
  // Calls f(niche index, score) for each niche of a row of the WordNet topics table
  // ("food:0.73 nature:0.45", see scripts/gen-lexicon.py).
  template <typename F>
  void each_topic(std::string_view row, F&& f) const {
    while (!row.empty()) {
      const std::size_t space = row.find(' ');
      const std::string_view item = row.substr(0, space);
      row = space == std::string_view::npos ? std::string_view{} : row.substr(space + 1);
      const std::size_t colon = item.find(':');
      const std::size_t niche =
          colon == std::string_view::npos ? size() : index_of(item.substr(0, colon));
      if (niche < size()) f(niche, parse_score(item.substr(colon + 1)));
    }
  }
  // The index of the niche with that name; size() when there is none.
  std::size_t index_of(std::string_view name) const;
  // True when word triggers some niche in lang.
  bool is_trigger(std::string_view word, std::size_t lang) const;

  std::size_t size() const { return niches_.size(); }
  const Niche& at(std::size_t i) const { return niches_[i]; }
  std::size_t fallback() const { return fallback_; }
  const std::vector<NicheTag>& reach_hashtags(std::size_t lang = 0) const { return reach_[lang]; }

 private:
  struct Trigger {
    std::string_view word;
    std::uint16_t niche;
    std::uint8_t lang;
  };
  static double parse_score(std::string_view text);

  std::vector<Niche> niches_;
  std::vector<std::pair<std::string_view, std::uint16_t>> by_name_;  // sorted by name
  std::vector<Trigger> triggers_;                                    // sorted by (lang, word)
  std::array<std::vector<NicheTag>, kLanguageCount> reach_;
  std::size_t fallback_ = 0;
};

}  // namespace reelgen::captions::detail
