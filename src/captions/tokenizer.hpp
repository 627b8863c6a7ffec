#pragma once
// Splits UTF-8 text into words: letters and digits of any script, with inner apostrophes
// ("don't") kept. Emoji, punctuation and symbols separate words and are dropped.

#include <string>
#include <string_view>
#include <vector>

namespace reelgen::captions::detail {

struct Word {
  std::string_view surface;  // as written
  std::string lower;         // lower-cased (ASCII and Latin-1 letters), apostrophes removed
  bool capitalized = false;  // starts with an upper-case letter
  bool sentence_start = false;
  bool quoted = false;  // inside quotation marks: a title ("'Paper Moons'", « Forêt d'hiver »)
};

// Appends the words of text to out (which is cleared first).
void tokenize(std::string_view text, std::vector<Word>& out);

// Decodes the code point at text[i] and advances i; malformed bytes decode as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i);

// text with ASCII and Latin-1 capitals lower-cased, every other byte kept (as Word::lower does).
std::string lower_latin(std::string_view text);

// True for letters and digits of any script (not punctuation, symbols or emoji).
bool is_word_code_point(char32_t cp);

// True for code points that start an emoji: pictographs, dingbats and miscellaneous symbols.
bool is_emoji_start(char32_t cp);

// True when word ends with ending and keeps at least min_stem bytes before it ("cats" ends
// with "s"; "s" itself does not).
inline bool ends_with_stem(std::string_view word, std::string_view ending,
                           std::size_t min_stem = 1) {
  return word.size() >= ending.size() + min_stem && word.ends_with(ending);
}

}  // namespace reelgen::captions::detail
