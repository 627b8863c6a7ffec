#pragma once
// Niches (data/captions/niches.txt): what a description is about, with the hashtags and emojis
// its community uses, in every language the engine writes. Trigger words are indexed once so
// classifying is a few binary searches.

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
  std::array<std::string_view, kLanguageCount> topic{};  // fills {topic}, e.g. "travel"
  std::string_view audience;                             // fills {niche} (English)
  std::array<std::vector<NicheTag>, kLanguageCount> hashtags;
  std::vector<std::string_view> emojis;
};

class NicheSet {
 public:
  static core::Result<NicheSet> parse(std::string_view text);

  // Adds weight to scores[i] of every niche that has word as a trigger in language lang;
  // returns false when word triggers nothing. REQUIRES: scores.size() == size().
  bool vote(std::string_view word, double weight, std::vector<double>& scores,
            std::size_t lang = 0) const;
  // Raises votes[i] to the score a row of the WordNet topics table gives niche i
  // ("food:0.73 nature:0.45", see scripts/gen-lexicon.py). REQUIRES: votes.size() == size().
  void vote_topics(std::string_view row, std::vector<double>& votes) const;
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
  std::vector<Niche> niches_;
  std::vector<Trigger> triggers_;  // sorted by (lang, word)
  std::array<std::vector<NicheTag>, kLanguageCount> reach_;
  std::size_t fallback_ = 0;
};

}  // namespace reelgen::captions::detail
