#pragma once
// Caption plans (data/captions/plans/<lang>.txt): the lines that open a caption (hooks), follow a
// description that is only a phrase (bodies), end it (ctas), weave in keywords and invite a
// swipe, each for some intents and styles and under conditions on the post. A line is used only
// when its conditions hold and its slots can be filled from the analysis.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption.hpp"
#include "captions/post_analysis.hpp"
#include "captions/rng.hpp"
#include "core/error.hpp"

namespace reelgen::captions::detail {

enum class PlanSlot : std::uint8_t {
  subject,
  date,
  time,
  price,
  discount,
  place,
  name,
  list,
  keywords
};
inline constexpr std::array<std::string_view, 9> kPlanSlotNames = {
    "subject", "date", "time", "price", "discount", "place", "name", "list", "keywords"};

struct PlanPiece {
  std::string_view text;  // literal when slot < 0
  int slot = -1;
};

struct PlanLine {
  std::uint16_t intents = 0;              // bit per Intent
  std::uint16_t styles = 0;               // bit per Style
  std::vector<std::string_view> niches;   // empty: any
  bool niches_excluded = false;           // "!niche=": any but these
  std::vector<std::string_view> cues;     // empty: any; else one must be mentioned
  std::vector<std::string_view> no_cues;  // "!cue=": none may be mentioned
  std::uint16_t facts = 0;                // bit per FactKind: one of them must be present
  std::uint16_t no_facts = 0;             // "!fact=": none of them may be present
  int fragment = -1;                      // -1 any, 0 a sentence, 1 a phrase
  bool first_person = false;
  int past = -1;    // -1 any, 1 the post tells of something that happened, 0 it does not
  int formal = -1;  // -1 any register, 1 formal only (vous, Sie, usted, Lei), 0 informal only
  std::vector<std::string_view> voices;  // "voice=witty|bold": only for a brand voice that asks
  std::vector<PlanPiece> pieces;
  std::uint16_t slots = 0;     // bit per PlanSlot used
  std::size_t conditions = 0;  // how specific the line is
};

struct StyleVoice {
  int emojis = 1;  // emojis in a full post
  std::string_view tone_positive, tone_neutral, tone_negative;
};

struct PlanBank {
  std::array<StyleVoice, kStyleNames.size()> styles{};
  std::vector<PlanLine> hooks, bodies, ctas, keywords, carousel;
};

// Parses a plan file. A translation (base = the English bank) may leave out [styles].
core::Result<PlanBank> parse_plan_bank(std::string_view text, const PlanBank* base);

// What the conditions and slots of a line are checked against.
struct PlanContext {
  Intent intent = Intent::moment;
  Style style = Style::casual;
  std::string_view niche;
  const PostAnalysis* post = nullptr;
  std::function<bool(std::string_view)> mentions;  // the description has this word (lemma)
  const std::vector<std::string_view>* bio_phrases = nullptr;  // how it says "link in bio"
  std::string_view lower_description;    // a line the description already says is not repeated
  bool formal = false;                   // address the reader formally (vous, Sie, usted, Lei)
  std::vector<std::string_view> voices;  // tags the brand voice asks for (voices.txt)
  std::array<std::string_view, kPlanSlotNames.size()> values{};
};

// A random line of lines that fits the context, specific lines (conditions, slots) twice as
// likely and lines of the brand's voice three times; lines whose index is in avoid only when
// nothing else fits. Lines written for a word of the description ("cue=hiring") are drawn
// alone when one fits: they were written for that kind of post. A line pointing to the link in
// bio never follows a description that says how to reach the business (an email, a phone
// number, "DM us"). -1 when none fits.
int choose_line(const std::vector<PlanLine>& lines, const PlanContext& context, Rng& rng,
                const std::vector<int>& avoid);

// The line's text with its slots filled.
std::string render_line(const PlanLine& line, const PlanContext& context);

}  // namespace reelgen::captions::detail
