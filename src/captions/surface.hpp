#pragma once
// Fixes the surface of a filled template: the small things a careful writer would.

#include <string>
#include <string_view>

namespace reelgen::captions::detail {

// True when the indefinite article before word is "an" ("an hour", "a unicorn", "an 8").
bool takes_an(std::string_view word);

// In place: drops leftover '{' '}', collapses spaces, removes spaces before punctuation and
// doubled punctuation, removes a word repeated right after itself ("the the"), picks a/an,
// and capitalizes the start of every sentence (Latin-1 letters too, after "¿" and "¡").
// english = false skips the English-only rules (a/an).
void polish(std::string& text, bool english = true);

// True when lower_text has phrase (any case) as whole words: "latte art" in "our latte art!".
bool mentions(std::string_view lower_text, std::string_view phrase);

}  // namespace reelgen::captions::detail
