#pragma once
// Emojis that fit a description in its niche's sense: the niche's emojis for the words the
// description uses (🍫 for a protein bar in food), CLDR annotations of the subject when the niche
// owns that emoji, then the niche's general emojis. Never one of another niche, never random.

#include <string>
#include <string_view>
#include <vector>

#include "captions/analyzer.hpp"
#include "captions/niches.hpp"
#include "captions/sorted_lines.hpp"

namespace reelgen::captions::detail {

class EmojiTable {
 public:
  EmojiTable() = default;
  explicit EmojiTable(SortedLines table) : table_(std::move(table)) {}

  // The best emoji for a lower-case keyword ('_' joins words), or "" when none fits.
  std::string_view best(std::string_view keyword) const;

  std::size_t memory_bytes() const { return table_.memory_bytes(); }

 private:
  SortedLines table_;
};

struct EmojiChoice {
  std::vector<std::string_view> emojis;  // best first
  std::size_t from_description = 0;      // how many of them match the description itself
};

// Up to count emojis, relevant ones first. subject is the noun phrase as written.
EmojiChoice pick_emojis(const EmojiTable& table, const Analysis& analysis, std::string_view subject,
                        const Niche& niche, std::size_t count);

// The emojis in text, in order of first use, each with its modifiers and ZWJ sequence.
std::vector<std::string> emojis_in(std::string_view text);

}  // namespace reelgen::captions::detail
