#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace reelgen::core {

// True when text is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Number of Unicode code points in well-formed UTF-8 text.
std::size_t utf8_length(std::string_view text);

// The first code point that no text field may hold, or nullopt: C0 controls other than tab, line
// feed and carriage return, DEL, C1 controls, and the bidirectional embeddings, overrides and
// isolates (U+202A..U+202E, U+2066..U+2069), which make text display other than it reads. Joiners
// and variation selectors (emoji sequences) are allowed. REQUIRES: well-formed UTF-8.
std::optional<char32_t> forbidden_code_point(std::string_view text);

// Why a text holding c is refused, for a FieldError: "must not contain control or bidirectional
// formatting characters (U+202E)".
std::string forbidden_message(char32_t c);

// Trims ASCII whitespace at both ends and collapses inner runs of whitespace to one space.
std::string normalize_space(std::string_view text);

}  // namespace reelgen::core
