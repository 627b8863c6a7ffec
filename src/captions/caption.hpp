#pragma once
// The caption request and result as the engine sees them: plain values, no HTTP, no JSON.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reelgen::captions {

enum class Style {
  casual,
  professional,
  inspirational,
  playful,
  educational,
  promotional,
  luxury,
  storytelling,
  call_to_action,
};
inline constexpr std::array<std::string_view, 9> kStyleNames = {
    "casual",      "professional", "inspirational", "playful",       "educational",
    "promotional", "luxury",       "storytelling",  "call_to_action"};

enum class OptimizationLevel { ultra_fast, balanced, quality };
inline constexpr std::array<std::string_view, 3> kOptimizationLevelNames = {"ultra_fast",
                                                                            "balanced", "quality"};

enum class ContentType { post, story, reel, carousel };
inline constexpr std::array<std::string_view, 4> kContentTypeNames = {"post", "story", "reel",
                                                                      "carousel"};

// Caption length: short stays within 80 characters, long writes a second body paragraph.
enum class Length { short_, medium, long_ };
inline constexpr std::array<std::string_view, 3> kLengthNames = {"short", "medium", "long"};
inline constexpr std::size_t kShortCaptionChars = 80;

// Emoji density; automatic follows the style (and the content type's cap).
enum class EmojiDensity { automatic, none, few, many };
inline constexpr std::array<std::string_view, 4> kEmojiDensityNames = {"auto", "none", "few",
                                                                       "many"};

// What a post is for, read from its description; it decides the plan and the call to action.
enum class Intent : std::uint8_t {
  moment,
  showcase,
  launch,
  promotion,
  event,
  tips,
  announcement,
  question,
};
inline constexpr std::array<std::string_view, 8> kIntentNames = {
    "moment", "showcase", "launch", "promotion", "event", "tips", "announcement", "question"};

// What a description can be about: the API's niche values (data/captions/niches.txt defines
// each). "lifestyle" is reported when nothing points anywhere (niche_confidence 0).
inline constexpr std::array<std::string_view, 25> kNicheNames = {
    "food",    "drink",   "travel",   "nature",     "pets",       "fitness", "wellness",
    "fashion", "beauty",  "tech",     "business",   "realestate", "wedding", "events",
    "music",   "art",     "books",    "education",  "family",     "home",    "cars",
    "sports",  "charity", "seasonal", "photography"};
inline constexpr std::string_view kFallbackNiche = "lifestyle";

// A fact of the description that a caption must keep verbatim, most important kinds first.
enum class FactKind : std::uint8_t { price, discount, date, time, place, name, quantity, list };
inline constexpr std::array<std::string_view, 8> kFactKindNames = {
    "price", "discount", "date", "time", "place", "name", "quantity", "list"};

struct Fact {
  std::string text;  // exactly as written in the description
  FactKind kind = FactKind::name;
};

// Languages the builtin engine writes.
inline constexpr std::array<std::string_view, 6> kLanguages = {"en", "es", "fr", "de", "it", "pt"};

// Instagram's hard limits.
inline constexpr std::size_t kMaxCaptionChars = 2200;
inline constexpr int kMaxHashtags = 30;

// Who writes a caption: the configured default, the builtin engine, or the language model.
enum class ProviderChoice { configured, builtin, llm };
inline constexpr std::array<std::string_view, 2> kProviderNames = {"builtin", "llm"};

// A validated request. Field rules are enforced by the API layer before it gets here.
struct CaptionRequest {
  std::string content_description;  // 5..2000 code points, whitespace-normalized
  Style style = Style::casual;
  int hashtag_count = 15;  // 0..30
  OptimizationLevel optimization_level = OptimizationLevel::balanced;
  std::string language = "en";
  std::string audience;  // free text, may be empty
  ContentType content_type = ContentType::post;
  std::vector<std::string> keywords;  // each must appear in the caption, <= 20
  std::string brand_voice;            // free text adjectives, may be empty
  int variants = 1;                   // 1..5: the caption plus variants-1 alternatives
  std::uint64_t seed = 0;             // same request + same seed => same caption
  Length length = Length::medium;
  EmojiDensity emoji = EmojiDensity::automatic;
  bool cta = true;                // end with a call to action
  bool generic_hashtags = false;  // allow broad reach tags (#explore, #reels) after relevant ones
  ProviderChoice provider = ProviderChoice::configured;
};

// The checks quality_score is built from, each 0..1 (1 = passes).
struct QualityChecks {
  double subject = 0;   // the subject is named
  double facts = 0;     // share of the description's facts kept verbatim
  double specific = 0;  // the description's own words, not filler
  double cta = 0;       // the call to action fits the intent
  double lint = 0;      // no template seams, doubled words, broken promises
  double length = 0;    // the length fits the content type
  double hashtags = 0;  // share of hashtags that belong to the post
  double emojis = 0;    // share of emojis that fit the post's sense and niche
  int findings = 0;     // template seams, mangled phrases, doubled words, broken promises
};

// One written caption with its analysis.
struct Caption {
  std::string text;                   // the caption without the hashtag block
  std::vector<std::string> hashtags;  // each "#tag": letters, digits, '_'; unique ignoring case
  std::vector<std::string> emojis;    // the emojis used in text, in order of first use
  double quality_score = 0;           // 0..100
  double engagement_score = 0;        // 0..100
  double readability_score = 0;       // Flesch reading ease, clamped 0..100
  std::string sentiment;              // positive | neutral | negative
  std::string tone;                   // e.g. "warm", "confident", "uplifting"
  int word_count = 0;
  int character_count = 0;      // code points of text
  std::string niche;            // detected niche, one of the niches /api/v14/info lists
  double niche_confidence = 0;  // 0..1
  Intent intent = Intent::moment;
  std::vector<Fact> facts;          // every fact of the description, in order of appearance
  std::vector<Fact> facts_omitted;  // facts a short caption had no room for
  QualityChecks checks;
};

struct CaptionResult {
  Caption caption;
  std::vector<Caption> variants;     // variants - 1 alternatives, each different from the others
  std::string provider = "builtin";  // who answered: "builtin" or "llm:<model>"
  bool fallback = false;             // the model failed and the builtin engine answered
};

template <typename Enum, std::size_t N>
std::string_view name_of(Enum value, const std::array<std::string_view, N>& names) {
  return names[static_cast<std::size_t>(value)];
}

}  // namespace reelgen::captions
