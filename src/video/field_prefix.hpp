#pragma once
// Errors about one scene name its fields as the API does ("scenes[2].voice_id"); the checks
// themselves speak of plain fields ("voice_id") and the prefix is added where the scene is known.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace reelgen::video::detail {

// "scenes[2]." for scene 2.
inline std::string scene_prefix(std::size_t index) {
  return "scenes[" + std::to_string(index) + "].";
}

// e with prefix before every field name and before its summary; unchanged for an empty prefix.
inline core::Error with_field_prefix(core::Error e, std::string_view prefix) {
  if (prefix.empty() || e.fields.empty()) return e;
  const std::string old_first = e.fields.front().field;
  for (auto& f : e.fields) f.field.insert(0, prefix);
  if (e.message.starts_with(old_first + ":")) e.message.insert(0, prefix);
  return e;
}

}  // namespace reelgen::video::detail
