#include "captions/niches.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "captions/language.hpp"
#include "captions/section_reader.hpp"

namespace reelgen::captions::detail {
namespace {

std::vector<NicheTag> tag_list(std::string_view value) {
  std::vector<NicheTag> tags;
  for (std::string_view item : split_list(value)) {
    std::size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      tags.push_back({item, {}});
    } else {
      tags.push_back({item.substr(0, colon), item.substr(colon + 1)});
    }
  }
  return tags;
}

// "hashtags_es" -> ("hashtags", 1); "hashtags" -> ("hashtags", 0); unknown languages -> npos.
std::pair<std::string_view, std::size_t> split_language(std::string_view key) {
  std::size_t us = key.rfind('_');
  if (us == std::string_view::npos || key.size() - us != 3) return {key, 0};
  std::string_view code = key.substr(us + 1);
  for (std::size_t i = 0; i < kLanguages.size(); ++i) {
    if (kLanguages[i] == code) return {key.substr(0, us), i};
  }
  return {key, std::string_view::npos};
}

std::string_view without_vs16(std::string_view emoji) {
  constexpr std::string_view kVs16 = "\xEF\xB8\x8F";
  if (emoji.ends_with(kVs16)) emoji.remove_suffix(kVs16.size());
  return emoji;
}

}  // namespace

bool Niche::owns_emoji(std::string_view emoji, std::size_t lang) const {
  emoji = without_vs16(emoji);
  for (std::string_view e : emojis) {
    if (without_vs16(e) == emoji) return true;
  }
  for (std::size_t l : {std::size_t{0}, lang}) {
    for (const NicheTag& t : sense_emojis[l]) {
      if (without_vs16(t.tag) == emoji) return true;
    }
  }
  return false;
}

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
    auto [base, lang] = split_language(key);
    if (lang == std::string_view::npos) {
      error = "niches.txt: unknown language in " + std::string(key);
      return;
    }
    if (section == "reach") {
      if (base == "hashtags") set.reach_[lang] = tag_list(value);
      return;
    }
    if (section != current) {
      current = section;
      Niche niche;
      niche.name = section;
      set.niches_.push_back(std::move(niche));
    }
    Niche& niche = set.niches_.back();
    auto index = static_cast<std::uint16_t>(set.niches_.size() - 1);
    if (base == "hashtags") {
      niche.hashtags[lang] = tag_list(value);
    } else if (base == "emojis") {
      niche.emojis = split_list(value);
    } else if (base == "sense_emojis") {
      niche.sense_emojis[lang] = tag_list(value);
    } else if (base == "frame") {
      niche.frame = value == "true";
    } else if (base == "triggers") {
      for (std::string_view word : split_list(value)) {
        set.triggers_.push_back({word, index, static_cast<std::uint8_t>(lang)});
      }
    }
  });
  if (!error.empty()) return core::fail(core::ErrorCode::internal, error);
  auto lifestyle = std::find_if(set.niches_.begin(), set.niches_.end(),
                                [](const Niche& n) { return n.name == "lifestyle"; });
  if (set.niches_.size() < 15 || lifestyle == set.niches_.end()) {
    return core::fail(core::ErrorCode::internal,
                      "niches.txt: needs >= 15 niches and a [lifestyle] fallback");
  }
  for (std::size_t lang = 0; lang < kLanguageCount; ++lang) {
    if (set.reach_[lang].empty()) {
      return core::fail(core::ErrorCode::internal,
                        "niches.txt: [reach] needs hashtags for " + std::string(kLanguages[lang]));
    }
    for (const Niche& n : set.niches_) {
      if (n.hashtags[lang].empty()) {
        return core::fail(core::ErrorCode::internal, "niches.txt: [" + std::string(n.name) +
                                                         "] has no hashtags for " +
                                                         std::string(kLanguages[lang]));
      }
    }
  }
  set.fallback_ = static_cast<std::size_t>(lifestyle - set.niches_.begin());
  for (std::size_t i = 0; i < set.niches_.size(); ++i) {
    set.by_name_.emplace_back(set.niches_[i].name, static_cast<std::uint16_t>(i));
  }
  std::sort(set.by_name_.begin(), set.by_name_.end());
  std::stable_sort(set.triggers_.begin(), set.triggers_.end(), [](const auto& a, const auto& b) {
    return a.lang != b.lang ? a.lang < b.lang : a.word < b.word;
  });
  return set;
}

bool NicheSet::vote(std::string_view word, double weight, std::vector<double>& scores,
                    std::size_t lang) const {
  // A word may trigger several niches ("beach": travel and nature); each gets the vote.
  return each_trigger(word, lang, [&](std::size_t niche) { scores[niche] += weight; });
}

bool NicheSet::is_trigger(std::string_view word, std::size_t lang) const {
  auto it =
      std::lower_bound(triggers_.begin(), triggers_.end(), std::pair{lang, word},
                       [](const Trigger& t, const std::pair<std::size_t, std::string_view>& k) {
                         return t.lang != k.first ? t.lang < k.first : t.word < k.second;
                       });
  return it != triggers_.end() && it->lang == lang && it->word == word;
}

std::size_t NicheSet::index_of(std::string_view name) const {
  auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != by_name_.end() && it->first == name ? it->second : size();
}

double NicheSet::parse_score(std::string_view text) {
  double score = 0;
  std::from_chars(text.data(), text.data() + text.size(), score);
  return score;
}

}  // namespace reelgen::captions::detail
