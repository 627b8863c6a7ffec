// The script parser: pause marks cut a script into parts, then each part is normalised into the
// tokens the subtitles show and the voice reads.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "video/pause_marks.hpp"
#include "video/text_normalizer.hpp"
#include "video/video.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view script(reinterpret_cast<const char*>(data), size);
  auto parts = reelgen::video::detail::split_pause_marks(script);
  if (!parts) {
    const auto& e = parts.error();
    if (e.fields.size() != 1 || e.fields[0].field != "script" || e.fields[0].rule != "pause") {
      std::abort();
    }
    return 0;
  }
  if (parts->empty() || parts->back().pause_after != 0) std::abort();
  std::size_t kept = 0;
  for (const auto& part : *parts) {
    kept += part.text.size();
    // Each mark lies within the limits (with the parser's slack for rounding).
    if (&part != &parts->back() && (part.pause_after < reelgen::video::kMinPauseSeconds - 1e-9 ||
                                    part.pause_after > reelgen::video::kMaxPauseSeconds + 1e-9)) {
      std::abort();
    }
    for (const std::string_view language : {"en", "de"}) {
      const auto tokens = reelgen::video::detail::normalize_text(part.text, language);
      std::vector<std::size_t> word_token;
      reelgen::video::detail::spoken_text(tokens, word_token);
      for (const std::size_t t : word_token) {
        if (t >= tokens.size()) std::abort();
      }
    }
  }
  if (kept > script.size()) std::abort();  // marks are removed, nothing is added
  return 0;
}
