#pragma once
// How audience and brand_voice steer phrase choice (data/captions/voices.txt): audience words
// that ask for a formal or casual register, and brand voice words mapped to template tags.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace reelgen::captions::detail {

// The register the audience asks for: formal lines (vous, Sie, usted) or casual ones.
enum class Register : std::uint8_t { neutral, formal, casual };

class VoiceMap {
 public:
  static core::Result<VoiceMap> parse(std::string_view text);

  // The register asked for by the audience's words (any supported language).
  Register register_for(std::string_view audience) const;
  // Appends to tags the template tags asked for by brand_voice's words.
  void tags_for(std::string_view brand_voice, std::vector<std::string_view>& tags) const;

 private:
  std::vector<std::pair<std::string_view, Register>> registers_;       // sorted by word
  std::vector<std::pair<std::string_view, std::string_view>> voices_;  // word -> tag, sorted
};

}  // namespace reelgen::captions::detail
