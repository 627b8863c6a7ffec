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

// Generated tables come with a binary index (NAME.idx) that is mapped in place; curated files
// are small and indexed by one pass.
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

core::Result<SortedLines> embedded_table(const std::string& name) {
  auto blob = embedded::caption_data(name);
  if (!blob) return core::fail(core::ErrorCode::internal, "caption data missing: " + name);
  if (auto index = embedded::caption_data(name + ".idx")) {
    return SortedLines::map(*blob, *index, name);
  }
  return SortedLines::index(*blob, name);
}

Engine::Engine(EngineTables tables)
    : t_(std::move(tables)),
      analyzer_(*t_.lexicon, t_.languages[0].stopwords(), t_.niches, t_.topics) {}

namespace {

core::Result<std::string_view> blob(std::string_view name) {
  auto text = embedded::caption_data(name);
  if (!text)
    return core::fail(core::ErrorCode::internal, "caption data missing: " + std::string(name));
  return *text;
}

// Emojis per caption for the request: the style's density unless the caller chose, capped by
// what the content type carries.
std::size_t emoji_budget(const CaptionRequest& r, const StyleBank& style) {
  const auto density = static_cast<std::size_t>(std::max(style.emoji_density, 0));
  std::size_t budget = density;
  switch (r.emoji) {
    case EmojiDensity::automatic:
      if (r.content_type == ContentType::story) budget = std::min<std::size_t>(budget, 1);
      if (r.content_type == ContentType::reel) budget = std::min<std::size_t>(budget, 2);
      break;
    case EmojiDensity::none:
      budget = 0;
      break;
    case EmojiDensity::few:
      budget = 1;
      break;
    case EmojiDensity::many:
      budget = std::max<std::size_t>(density + 2, 4);
      if (r.content_type == ContentType::story) budget = 2;
      break;
  }
  return budget;
}

// The niche, reach and style tags of the data files are used as they are written: each must
// already be a hashtag body of its language (lower case, 3+ letters, digits or '_') and not
// banned. Checked once at load, so a bad data line fails the start, not a caption.
core::Result<void> check_data_tags(const EngineTables& t) {
  std::string_view bad;
  auto check = [&](std::string_view tag, std::size_t lang) {
    const bool ok = tag.size() >= 3 && hashtag_body(tag, lang != 0) == tag && !t.banned.contains(tag);
    if (!ok && bad.empty()) bad = tag;
  };
  for (std::size_t lang = 0; lang < kLanguageCount; ++lang) {
    for (std::size_t i = 0; i < t.niches.size(); ++i) {
      for (const NicheTag& tag : t.niches.at(i).hashtags[lang]) check(tag.tag, lang);
    }
    for (const NicheTag& tag : t.niches.reach_hashtags(lang)) check(tag.tag, lang);
    for (const StyleBank& style : t.styles[lang]) {
      for (std::string_view tag : style.hashtags) check(tag, lang);
    }
  }
  if (bad.empty()) return {};
  return core::fail(core::ErrorCode::internal,
                    "data hashtag '" + std::string(bad) + "' is not a valid, allowed hashtag body");
}

}  // namespace

core::Result<std::unique_ptr<Engine>> Engine::load() {
  try {
    EngineTables t;
    auto words = embedded_table("lexicon.tsv");
    if (!words) return std::unexpected(words.error());
    auto noun_exc = embedded_table("noun_exc.tsv");
    if (!noun_exc) return std::unexpected(noun_exc.error());
    auto verb_exc = embedded_table("verb_exc.tsv");
    if (!verb_exc) return std::unexpected(verb_exc.error());
    t.lexicon =
        std::make_unique<Lexicon>(std::move(*words), std::move(*noun_exc), std::move(*verb_exc));
    auto topics = embedded_table("topics.tsv");
    if (!topics) return std::unexpected(topics.error());
    t.topics = std::move(*topics);
    auto relatives = embedded_table("relatives.tsv");
    if (!relatives) return std::unexpected(relatives.error());
    t.relatives = std::move(*relatives);
    auto banned = embedded_table("banned_hashtags.txt");
    if (!banned) return std::unexpected(banned.error());
    t.banned = std::move(*banned);
    auto niche_text = blob("niches.txt");
    if (!niche_text) return std::unexpected(niche_text.error());
    auto niches = NicheSet::parse(*niche_text);
    if (!niches) return std::unexpected(niches.error());
    t.niches = std::move(*niches);
    auto voice_text = blob("voices.txt");
    if (!voice_text) return std::unexpected(voice_text.error());
    auto voices = VoiceMap::parse(*voice_text);
    if (!voices) return std::unexpected(voices.error());
    t.voices = std::move(*voices);

    for (std::size_t lang = 0; lang < kLanguageCount; ++lang) {
      const std::string code(kLanguages[lang]);
      auto emoji = embedded_table(lang == 0 ? "emoji.tsv" : "emoji_" + code + ".tsv");
      if (!emoji) return std::unexpected(emoji.error());
      t.emoji[lang] = EmojiTable(std::move(*emoji));
      auto stopwords = embedded_table("stopwords_" + code + ".txt");
      if (!stopwords) return std::unexpected(stopwords.error());
      auto sentiment = embedded_table("sentiment_" + code + ".txt");
      if (!sentiment) return std::unexpected(sentiment.error());
      auto text = blob("languages/" + code + ".txt");
      if (!text) return std::unexpected(text.error());
      auto pack = LanguagePack::parse(kLanguages[lang], *text, std::move(*stopwords),
                                      std::move(*sentiment));
      if (!pack) return std::unexpected(pack.error());
      t.languages[lang] = std::move(*pack);
      for (std::size_t i = 0; i < kStyleCount; ++i) {
        std::string name = lang == 0
                               ? "styles/" + std::string(kStyleNames[i]) + ".txt"
                               : "styles/" + code + "/" + std::string(kStyleNames[i]) + ".txt";
        auto style_text = blob(name);
        if (!style_text) return std::unexpected(style_text.error());
        auto bank =
            parse_style_bank(*style_text, kStyleNames[i], lang == 0 ? nullptr : &t.styles[0][i]);
        if (!bank) return std::unexpected(bank.error());
        t.styles[lang][i] = std::move(*bank);
      }
    }
    if (auto tags = check_data_tags(t); !tags) return std::unexpected(tags.error());
    return std::unique_ptr<Engine>(new Engine(std::move(t)));
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("caption engine load: ") + e.what());
  }
}

std::size_t Engine::memory_bytes() const {
  std::size_t bytes = t_.lexicon->memory_bytes() + t_.banned.memory_bytes() +
                      t_.topics.memory_bytes() + t_.relatives.memory_bytes();
  for (const EmojiTable& e : t_.emoji) bytes += e.memory_bytes();
  for (const LanguagePack& l : t_.languages) {
    bytes += l.stopwords().memory_bytes() + l.sentiment().memory_bytes();
  }
  return bytes;
}

Caption Engine::write(const CaptionRequest& request, const Analysis& analysis,
                      const StyleBank& style, const Niche& niche, const Steering& steering,
                      std::vector<Choice>& taken, std::size_t variant, std::uint64_t seed) const {
  const std::size_t budget = emoji_budget(request, style);
  EmojiChoice emojis = pick_emojis(t_.emoji[analysis.language], analysis, niche, style,
                                   std::max<std::size_t>(budget, 1));
  const LanguagePack& language = t_.languages[analysis.language];
  HashtagSources sources{analysis,         style,     niche,
                         t_.niches.reach_hashtags(analysis.language),
                         request.keywords, t_.banned,
                         analysis.language == 0 ? &t_.relatives : nullptr};
  if (language.compounds()) {
    // The words a language knows: its emoji keywords (CLDR) and its niche triggers.
    sources.known_word = [this, lang = analysis.language](std::string_view word) {
      return !t_.emoji[lang].best(word).empty() || t_.niches.is_trigger(word, lang);
    };
  }
  HashtagPick tags = pick_hashtags(sources, request.hashtag_count, variant);
  ComposeInput input{
      analysis, style,  niche,           request,           emojis, steering.brand_adjective,
      language, budget, steering.voices, steering.register_};
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
    // The last draft may take the tags; earlier ones copy them.
    if (k + 1 == candidates) {
      c.hashtags = std::move(tags.tags);
    } else {
      c.hashtags = tags.tags;
    }
    fit_limit(c);
    c.emojis = emojis_in(c.text);
    score(ScoreInput{draft, style, request, language, budget, tags.relevant,
                     std::min(relevant_emojis, c.emojis.size())},
          c);
    if (!have_best || c.quality_score > best.quality_score) {
      best = std::move(c);
      best_choice = draft.choice;
      have_best = true;
    }
  }
  best.niche.assign(niche.name);
  best.niche_confidence = analysis.niche_confidence;
  taken.push_back(best_choice);
  return best;
}

core::Result<CaptionResult> Engine::generate(const CaptionRequest& request) const {
  try {
    const std::size_t lang = language_index(request.language);
    const LanguagePack& language = t_.languages[lang];
    const StyleBank& style = t_.styles[lang][static_cast<std::size_t>(request.style)];
    Analysis analysis = analyzer_.analyze(request.content_description, request.keywords,
                                          request.audience, language);
    const Niche& niche = t_.niches.at(analysis.niche);

    Steering steering;
    steering.register_ = t_.voices.register_for(request.audience);
    t_.voices.tags_for(request.brand_voice, steering.voices);
    thread_local std::vector<Word> words;
    thread_local std::string brand_adjective;
    brand_adjective.clear();
    if (language.english()) {
      tokenize(request.brand_voice, words);
      for (const Word& w : words) {
        if (language.stopwords().contains(w.lower)) continue;
        WordSense sense = t_.lexicon->lookup(w.lower);
        if (sense.known && sense.dominant == Pos::adjective) {
          brand_adjective = w.lower;
          break;
        }
      }
    }
    steering.brand_adjective = brand_adjective;

    std::string key = core::normalize_space(request.content_description);
    for (std::string_view part :
         {name_of(request.style, kStyleNames), name_of(request.content_type, kContentTypeNames),
          std::string_view(request.audience), std::string_view(request.brand_voice),
          std::string_view(request.language), name_of(request.length, kLengthNames),
          name_of(request.emoji, kEmojiDensityNames),
          request.cta ? std::string_view("cta") : std::string_view("no-cta")}) {
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
    result.caption = write(request, analysis, style, niche, steering, taken, 0, seed);
    for (std::size_t v = 1; v < outputs; ++v) {
      result.variants.push_back(write(request, analysis, style, niche, steering, taken, v, seed));
    }
    return result;
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("caption engine: ") + e.what());
  }
}

}  // namespace reelgen::captions::detail
