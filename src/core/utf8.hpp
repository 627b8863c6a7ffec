#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace reelgen::core {

// True when text is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Number of Unicode code points in well-formed UTF-8 text.
std::size_t utf8_length(std::string_view text);

// Trims ASCII whitespace at both ends and collapses inner runs of whitespace to one space.
std::string normalize_space(std::string_view text);

}  // namespace reelgen::core
