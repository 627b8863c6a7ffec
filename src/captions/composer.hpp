#pragma once
// Writes one caption text from a style's phrase bank, the description's analysis and a random
// stream: picks a hook, body and call to action, fills their slots, weaves in missing keywords,
// places emojis and fixes the surface.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "captions/analyzer.hpp"
#include "captions/caption.hpp"
#include "captions/emojis.hpp"
#include "captions/language.hpp"
#include "captions/niches.hpp"
#include "captions/phrase_bank.hpp"
#include "captions/rng.hpp"

namespace reelgen::captions::detail {

// Which templates a draft used (-1: none); variants avoid each other's hooks and bodies.
struct Choice {
  int hook = -1;
  int body = -1;
  int cta = -1;
};

// The register the audience asks for; lines tagged for the other register are never used.
enum class Register : std::uint8_t { neutral, formal, casual };

struct ComposeInput {
  const Analysis& analysis;
  const StyleBank& style;
  const Niche& niche;
  const CaptionRequest& request;
  const EmojiChoice& emojis;
  std::string_view brand_adjective;  // from brand_voice, preferred for {quality}; may be empty
  const LanguagePack& language;
  std::size_t emoji_budget;                     // emojis to place, already capped by content type
  const std::vector<std::string_view>& voices;  // template tags the brand voice asks for
  Register register_ = Register::neutral;
};

struct Draft {
  std::string text;
  Choice choice;
  std::size_t hook_chars = 0;  // bytes of the hook sentence
  bool has_cta = false;
  std::size_t keywords_present = 0;
};

Draft compose(const ComposeInput& input, Rng& rng, const std::vector<Choice>& taken);

// True when lower-case text contains phrase as whole words, ignoring ASCII case in phrase.
bool mentions(std::string_view lower_text, std::string_view phrase);

}  // namespace reelgen::captions::detail
