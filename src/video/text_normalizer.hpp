#pragma once
// Turns a script into tokens: what the subtitles show and what the voice says. Numbers and
// abbreviations are spelled out for English; emoji and URLs are shown but never read aloud.

#include <string>
#include <string_view>
#include <vector>

namespace reelgen::video::detail {

struct Token {
  std::string display;        // as written, for subtitles ("23", "Dr.", "🚀")
  std::string spoken;         // what the engine reads ("twenty three", "doctor"); empty = silent
  bool sentence_end = false;  // ends with . ! ? (a natural place to start a new cue)
};

std::vector<Token> normalize_text(std::string_view script, std::string_view language);

// English words for a non-negative integer below 10^15 ("one hundred and five").
std::string number_to_words(unsigned long long n);

// The spoken words of tokens separated by single spaces; word_token[i] is the token that the
// i-th whitespace-separated spoken word belongs to.
std::string spoken_text(const std::vector<Token>& tokens, std::vector<std::size_t>& word_token);

}  // namespace reelgen::video::detail
