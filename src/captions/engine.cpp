#include "captions/engine.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <string>

#include "captions/hashtags.hpp"
#include "captions/rng.hpp"
#include "captions/scorer.hpp"
#include "captions/tokenizer.hpp"
#include "core/hash.hpp"
#include "core/utf8.hpp"

namespace reelgen::embedded {
std::optional<std::string_view> caption_data(std::string_view name);
}  // namespace reelgen::embedded

namespace reelgen::captions::detail {
namespace {

constexpr std::string_view kFieldSeparator = "\x1F";

core::Result<SortedLines> table(std::string_view name) {
  auto blob = embedded::caption_data(name);
  if (!blob)
    return core::fail(core::ErrorCode::internal, "caption data missing: " + std::string(name));
  return SortedLines::index(*blob, name);
}

// Drafts written per caption; the best by quality_score wins.
std::size_t candidates_for(OptimizationLevel level) {
  switch (level) {
    case OptimizationLevel::ultra_fast:
      return 1;
    case OptimizationLevel::balanced:
      return 2;
    case OptimizationLevel::quality:
      return 4;
  }
  return 1;
}

// balanced writes its second draft only when the first is weak, which keeps its median
// time with ultra_fast's while still catching the poor first picks.
constexpr double kBalancedGoodEnough = 85.0;

std::size_t block_length(const Caption& c) {
  std::size_t n = core::utf8_length(c.text);
  if (c.hashtags.empty()) return n;
  n += 2;  // the blank line between text and hashtags
  for (const std::string& tag : c.hashtags) n += tag.size() + 1;
  return n - 1;
}

// Instagram rejects captions over 2,200 characters: drop hashtags from the least relevant end,
// then cut the text at a word boundary.
void fit_limit(Caption& c) {
  while (!c.hashtags.empty() && block_length(c) > kMaxCaptionChars) c.hashtags.pop_back();
  if (core::utf8_length(c.text) <= kMaxCaptionChars) return;
  std::size_t count = 0, cut = 0;
  for (std::size_t i = 0; i < c.text.size(); ++i) {
    if ((static_cast<unsigned char>(c.text[i]) & 0xC0) == 0x80) continue;
    if (count == kMaxCaptionChars) break;
    if (c.text[i] == ' ' || c.text[i] == '\n') cut = i;
    ++count;
  }
  c.text.resize(cut);
}

}  // namespace

Engine::Engine(Lexicon lexicon, SortedLines stopwords, SortedLines sentiment, SortedLines banned,
               EmojiTable emoji, NicheSet niches, std::array<StyleBank, 9> styles)
    : lexicon_(std::move(lexicon)),
      stopwords_(std::move(stopwords)),
      sentiment_(std::move(sentiment)),
      banned_(std::move(banned)),
      emoji_(std::move(emoji)),
      niches_(std::move(niches)),
      styles_(std::move(styles)),
      analyzer_(lexicon_, stopwords_, niches_) {}

core::Result<std::unique_ptr<Engine>> Engine::load() {
  try {
    auto words = table("lexicon.tsv");
    if (!words) return std::unexpected(words.error());
    auto noun_exc = table("noun_exc.tsv");
    if (!noun_exc) return std::unexpected(noun_exc.error());
    auto verb_exc = table("verb_exc.tsv");
    if (!verb_exc) return std::unexpected(verb_exc.error());
    auto emoji = table("emoji.tsv");
    if (!emoji) return std::unexpected(emoji.error());
    auto stopwords = table("stopwords_en.txt");
    if (!stopwords) return std::unexpected(stopwords.error());
    auto sentiment = table("sentiment_en.txt");
    if (!sentiment) return std::unexpected(sentiment.error());
    auto banned = table("banned_hashtags.txt");
    if (!banned) return std::unexpected(banned.error());
    auto niche_text = embedded::caption_data("niches.txt");
    if (!niche_text)
      return core::fail(core::ErrorCode::internal, "caption data missing: niches.txt");
    auto niches = NicheSet::parse(*niche_text);
    if (!niches) return std::unexpected(niches.error());
    std::array<StyleBank, 9> styles;
    for (std::size_t i = 0; i < kStyleNames.size(); ++i) {
      std::string name = "styles/" + std::string(kStyleNames[i]) + ".txt";
      auto text = embedded::caption_data(name);
      if (!text) return core::fail(core::ErrorCode::internal, "caption data missing: " + name);
      auto bank = parse_style_bank(*text, kStyleNames[i]);
      if (!bank) return std::unexpected(bank.error());
      styles[i] = std::move(*bank);
    }
    return std::unique_ptr<Engine>(
        new Engine(Lexicon(std::move(*words), std::move(*noun_exc), std::move(*verb_exc)),
                   std::move(*stopwords), std::move(*sentiment), std::move(*banned),
                   EmojiTable(std::move(*emoji)), std::move(*niches), std::move(styles)));
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("caption engine load: ") + e.what());
  }
}

std::size_t Engine::memory_bytes() const {
  return lexicon_.memory_bytes() + stopwords_.memory_bytes() + sentiment_.memory_bytes() +
         banned_.memory_bytes() + emoji_.memory_bytes();
}

Caption Engine::write(const CaptionRequest& request, const Analysis& analysis,
                      const StyleBank& style, const Niche& niche, std::string_view brand_adjective,
                      std::vector<Choice>& taken, std::size_t variant, std::uint64_t seed) const {
  EmojiChoice emojis = pick_emojis(emoji_, analysis, niche, style,
                                   static_cast<std::size_t>(std::max(style.emoji_density, 1)));
  HashtagPick tags = pick_hashtags(
      HashtagSources{analysis, style, niche, niches_.reach_hashtags(), request.keywords, banned_},
      request.hashtag_count, variant);
  ComposeInput input{analysis, style, niche, request, emojis, brand_adjective};
  std::size_t relevant_emojis = emojis.from_description + niche.emojis.size();

  Caption best;
  Choice best_choice;
  bool have_best = false;
  const std::size_t candidates = candidates_for(request.optimization_level);
  for (std::size_t k = 0; k < candidates; ++k) {
    // Each candidate draws from its own stream so adding candidates never changes the first.
    if (k > 0 && request.optimization_level == OptimizationLevel::balanced &&
        best.quality_score >= kBalancedGoodEnough) {
      break;
    }
    Rng rng(seed + 0x9E3779B97F4A7C15ull * (variant * 8 + k + 1));
    Draft draft = compose(input, rng, taken);
    Caption c;
    c.text = std::move(draft.text);
    c.hashtags = tags.tags;
    fit_limit(c);
    c.emojis = emojis_in(c.text);
    score(ScoreInput{draft, style, request, sentiment_, tags.relevant,
                     std::min(relevant_emojis, c.emojis.size())},
          c);
    if (!have_best || c.quality_score > best.quality_score) {
      best = std::move(c);
      best_choice = draft.choice;
      have_best = true;
    }
  }
  taken.push_back(best_choice);
  return best;
}

core::Result<CaptionResult> Engine::generate(const CaptionRequest& request) const {
  try {
    const StyleBank& style = styles_[static_cast<std::size_t>(request.style)];
    Analysis analysis =
        analyzer_.analyze(request.content_description, request.keywords, request.audience);
    const Niche& niche = niches_.at(analysis.niche);

    std::string brand_adjective;
    thread_local std::vector<Word> words;
    tokenize(request.brand_voice, words);
    for (const Word& w : words) {
      if (stopwords_.contains(w.lower)) continue;
      WordSense sense = lexicon_.lookup(w.lower);
      if (sense.known && sense.dominant == Pos::adjective) {
        brand_adjective = w.lower;
        break;
      }
    }

    std::string key = core::normalize_space(request.content_description);
    for (std::string_view part :
         {name_of(request.style, kStyleNames), name_of(request.content_type, kContentTypeNames),
          std::string_view(request.audience), std::string_view(request.brand_voice)}) {
      key += kFieldSeparator;
      key += part;
    }
    for (const std::string& k : request.keywords) {
      key += kFieldSeparator;
      key += k;
    }
    const std::uint64_t seed = core::fast_hash(key) ^ request.seed;

    CaptionResult result;
    std::vector<Choice> taken;
    const std::size_t outputs = static_cast<std::size_t>(std::clamp(request.variants, 1, 5));
    result.caption = write(request, analysis, style, niche, brand_adjective, taken, 0, seed);
    for (std::size_t v = 1; v < outputs; ++v) {
      result.variants.push_back(
          write(request, analysis, style, niche, brand_adjective, taken, v, seed));
    }
    return result;
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("caption engine: ") + e.what());
  }
}

}  // namespace reelgen::captions::detail
