#include "captions/niches.hpp"

#include <algorithm>
#include <string>

#include "captions/section_reader.hpp"

namespace reelgen::captions::detail {

core::Result<NicheSet> NicheSet::parse(std::string_view text) {
  NicheSet set;
  std::string error;
  std::string_view current;
  read_sections(text, [&](std::string_view section, std::string_view line) {
    std::string_view key, value;
    if (!split_key_value(line, key, value)) {
      error = "niches.txt: expected key = value in [" + std::string(section) + "]";
      return;
    }
    if (section == "reach") {
      if (key == "hashtags") set.reach_ = split_list(value);
      return;
    }
    if (section != current) {
      current = section;
      set.niches_.push_back(Niche{section, section, section, {}, {}});
    }
    Niche& niche = set.niches_.back();
    auto index = static_cast<std::uint16_t>(set.niches_.size() - 1);
    if (key == "topic")
      niche.topic = value;
    else if (key == "audience")
      niche.audience = value;
    else if (key == "hashtags")
      niche.hashtags = split_list(value);
    else if (key == "emojis")
      niche.emojis = split_list(value);
    else if (key == "triggers") {
      for (std::string_view word : split_list(value)) set.triggers_.emplace_back(word, index);
    }
  });
  if (!error.empty()) return core::fail(core::ErrorCode::internal, error);
  auto lifestyle = std::find_if(set.niches_.begin(), set.niches_.end(),
                                [](const Niche& n) { return n.name == "lifestyle"; });
  if (set.niches_.size() < 15 || lifestyle == set.niches_.end() || set.reach_.empty()) {
    return core::fail(core::ErrorCode::internal,
                      "niches.txt: needs >= 15 niches, a [lifestyle] fallback and [reach] tags");
  }
  set.fallback_ = static_cast<std::size_t>(lifestyle - set.niches_.begin());
  std::stable_sort(set.triggers_.begin(), set.triggers_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return set;
}

void NicheSet::vote(std::string_view lemma, double weight, std::vector<double>& scores) const {
  auto it = std::lower_bound(triggers_.begin(), triggers_.end(), lemma,
                             [](const auto& entry, std::string_view w) { return entry.first < w; });
  // A word may trigger several niches ("beach": travel and nature); each gets the vote.
  for (; it != triggers_.end() && it->first == lemma; ++it) scores[it->second] += weight;
}

}  // namespace reelgen::captions::detail
