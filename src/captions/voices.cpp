#include "captions/voices.hpp"

#include <algorithm>
#include <string>

#include "captions/section_reader.hpp"
#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {

core::Result<VoiceMap> VoiceMap::parse(std::string_view text) {
  VoiceMap map;
  std::string error;
  read_sections(text, [&](std::string_view section, std::string_view line) {
    std::string_view key, value;
    if (!split_key_value(line, key, value)) {
      error = "voices.txt: expected key = value";
      return;
    }
    if (section == "registers") {
      Register r = key == "formal" ? Register::formal : Register::casual;
      for (std::string_view word : split_list(value)) map.registers_.emplace_back(word, r);
    } else if (section == "voices") {
      for (std::string_view word : split_list(value)) map.voices_.emplace_back(word, key);
    } else {
      error = "voices.txt: unknown section [" + std::string(section) + "]";
    }
  });
  if (!error.empty()) return core::fail(core::ErrorCode::internal, error);
  std::sort(map.registers_.begin(), map.registers_.end());
  std::sort(map.voices_.begin(), map.voices_.end());
  return map;
}

Register VoiceMap::register_for(std::string_view audience) const {
  if (audience.empty()) return Register::neutral;
  thread_local std::vector<Word> words;
  tokenize(audience, words);
  for (const Word& w : words) {
    auto it = std::lower_bound(registers_.begin(), registers_.end(), w.lower,
                               [](const auto& e, std::string_view k) { return e.first < k; });
    if (it != registers_.end() && it->first == w.lower) return it->second;
  }
  return Register::neutral;
}

void VoiceMap::tags_for(std::string_view brand_voice, std::vector<std::string_view>& tags) const {
  if (brand_voice.empty()) return;
  thread_local std::vector<Word> words;
  tokenize(brand_voice, words);
  for (const Word& w : words) {
    auto it = std::lower_bound(voices_.begin(), voices_.end(), w.lower,
                               [](const auto& e, std::string_view k) { return e.first < k; });
    for (; it != voices_.end() && it->first == w.lower; ++it) {
      if (std::find(tags.begin(), tags.end(), it->second) == tags.end()) tags.push_back(it->second);
    }
  }
}

}  // namespace reelgen::captions::detail
