#pragma once
// Pause marks in a script ("[pause 0.5s]", "[pause 2s]", "[pause 500ms]"): the script is cut at
// each mark into the text to speak and the silence that follows it.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::video::detail {

struct ScriptPart {
  std::string text;        // as written, marks removed; may be empty (a mark at the start)
  double pause_after = 0;  // seconds of silence after text; 0 for the last part
};

// The parts of script in order; a script without marks is one part holding all of it.
// invalid_argument on field "script", rule "pause", when a mark is malformed or its length is
// outside kMinPauseSeconds..kMaxPauseSeconds. Bracketed text that is not a pause mark
// ("[laughs]", "[pauses]") is ordinary text.
core::Result<std::vector<ScriptPart>> split_pause_marks(std::string_view script);

}  // namespace reelgen::video::detail
