#pragma once
// Niches (data/captions/niches.txt): what a description is about, with the hashtags and emojis
// its community uses. Trigger words are indexed once so classifying is a few binary searches.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace reelgen::captions::detail {

struct Niche {
  std::string_view name;
  std::string_view topic;     // fills {topic}, e.g. "travel"
  std::string_view audience;  // fills {niche}, e.g. "fellow travelers"
  std::vector<std::string_view> hashtags;
  std::vector<std::string_view> emojis;
};

class NicheSet {
 public:
  static core::Result<NicheSet> parse(std::string_view text);

  // Adds weight to scores[i] of every niche that has lemma as a trigger.
  // REQUIRES: scores.size() == size().
  void vote(std::string_view lemma, double weight, std::vector<double>& scores) const;

  std::size_t size() const { return niches_.size(); }
  const Niche& at(std::size_t i) const { return niches_[i]; }
  std::size_t fallback() const { return fallback_; }
  const std::vector<std::string_view>& reach_hashtags() const { return reach_; }

 private:
  std::vector<Niche> niches_;
  std::vector<std::pair<std::string_view, std::uint16_t>> triggers_;  // sorted by word
  std::vector<std::string_view> reach_;
  std::size_t fallback_ = 0;
};

}  // namespace reelgen::captions::detail
