#include "captions/engine.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <string>

#include "captions/hashtags.hpp"
#include "captions/rng.hpp"
#include "captions/scorer.hpp"
#include "captions/surface.hpp"
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

// The niche and reach tags of the data files are used as they are written: each must
// already be a hashtag body of its language (lower case, 3+ letters, digits or '_') and not
// banned. Checked once at load, so a bad data line fails the start, not a caption.
core::Result<void> check_data_tags(const EngineTables& t) {
  std::string_view bad;
  auto check = [&](std::string_view tag, std::size_t lang) {
    const bool ok =
        tag.size() >= 3 && hashtag_body(tag, lang != 0) == tag && !t.banned.contains(tag);
    if (!ok && bad.empty()) bad = tag;
  };
  for (std::size_t lang = 0; lang < kLanguageCount; ++lang) {
    for (std::size_t i = 0; i < t.niches.size(); ++i) {
      for (const NicheTag& tag : t.niches.at(i).hashtags[lang]) check(tag.tag, lang);
    }
    for (const NicheTag& tag : t.niches.reach_hashtags(lang)) check(tag.tag, lang);
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
      auto posts = blob("posts/" + code + ".txt");
      if (!posts) return std::unexpected(posts.error());
      auto post_language = PostLanguage::parse(*posts);
      if (!post_language) return std::unexpected(post_language.error());
      t.posts[lang] = std::move(*post_language);
      auto plans = blob("plans/" + code + ".txt");
      if (!plans) return std::unexpected(plans.error());
      auto bank = parse_plan_bank(*plans, lang == 0 ? nullptr : &t.plans[0]);
      if (!bank) {
        return core::fail(core::ErrorCode::internal,
                          "plans/" + code + ".txt: " + bank.error().message);
      }
      t.plans[lang] = std::move(*bank);
    }
    if (auto tags = check_data_tags(t); !tags) return std::unexpected(tags.error());
    for (std::string_view name : kNicheNames) {
      if (t.niches.index_of(name) == t.niches.size()) {
        return core::fail(core::ErrorCode::internal,
                          "niches.txt: no [" + std::string(name) + "] section");
      }
    }
    return std::unique_ptr<Engine>(new Engine(std::move(t)));
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("caption engine load: ") + e.what());
  }
}

std::size_t Engine::memory_bytes() const {
  std::size_t bytes =
      t_.lexicon->memory_bytes() + t_.banned.memory_bytes() + t_.topics.memory_bytes();
  for (const EmojiTable& e : t_.emoji) bytes += e.memory_bytes();
  for (const LanguagePack& l : t_.languages) {
    bytes += l.stopwords().memory_bytes() + l.sentiment().memory_bytes();
  }
  return bytes;
}

namespace {

// Short captions and stories keep the sentences with the most important facts that fit; when
// none fits, the subject and the facts themselves, separated by " · ".
std::string within(const PostAnalysis& post, std::string_view subject, std::size_t limit) {
  std::string all;
  for (const std::string& s : post.sentences) {
    if (!all.empty()) all += ' ';
    all += s;
  }
  if (core::utf8_length(all) <= limit) return all;
  auto weight = [&](std::string_view sentence) {
    double w = 0;
    for (const Fact& f : post.facts) {
      if (sentence.find(f.text) != std::string_view::npos) w += 8.0 - static_cast<double>(f.kind);
    }
    return w;
  };
  std::string best;
  double best_weight = -1;
  for (const std::string& s : post.sentences) {
    if (core::utf8_length(s) > limit) continue;
    const double w = weight(s);
    if (w > best_weight) {
      best = s;
      best_weight = w;
    }
  }
  if (!best.empty()) return best;
  std::string out(subject);
  if (!out.empty()) {
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  }
  for (const Fact& f : by_importance(post.facts)) {
    std::string_view sep = out.empty() ? ""
                           : (out == subject || out.find(" · ") == std::string::npos) &&
                                   !out.empty() && out.find(':') == std::string::npos
                               ? ": "
                               : " · ";
    if (core::utf8_length(out) + sep.size() + core::utf8_length(f.text) > limit) continue;
    out += sep;
    out += f.text;
  }
  if (out.empty()) out = all.substr(0, all.find(' ', limit / 2));
  return out;
}

// Puts an emoji at the end of a line, in place of a final period.
void attach_emoji(std::string& line, std::string_view emoji) {
  if (line.empty() || emoji.empty()) return;
  if (line.back() == '.' && !line.ends_with("..")) line.pop_back();
  line += ' ';
  line.append(emoji);
}

bool has_emoji(std::string_view line) { return !emojis_in(line).empty(); }

// Two lines that say nearly the same ("Here's to what comes next" / "Here's to what's next"):
// most of the shorter one's words are in the other, whatever the case and punctuation.
bool same_words(std::string_view a, std::string_view b) {
  std::vector<Word> wa, wb;
  tokenize(a, wa);
  tokenize(b, wb);
  if (wa.size() > wb.size()) std::swap(wa, wb);
  if (wa.empty()) return false;
  std::size_t shared = 0;
  for (const Word& w : wa) {
    shared += std::any_of(wb.begin(), wb.end(), [&](const Word& x) { return x.lower == w.lower; });
  }
  return shared * 3 >= wa.size() * 2;
}

// Removes the emojis that end a plan line ("Tell us below 👇" -> "Tell us below."); an emoji
// inside a sentence stays, since the sentence would not read without it.
void strip_emojis(std::string& line) {
  for (;;) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    const std::vector<std::string> found = emojis_in(line);
    if (found.empty()) break;
    // The last emoji of the line, with or without its presentation selector.
    bool removed = false;
    for (const std::string& e : found) {
      const std::string selected = e + "\xEF\xB8\x8F";
      for (const std::string* tail : {&selected, &e}) {
        if (!removed && line.ends_with(*tail)) {
          line.resize(line.size() - tail->size());
          removed = true;
        }
      }
    }
    if (!removed) break;
  }
  if (!line.empty() && line.back() != '.' && line.back() != '!' && line.back() != '?') line += '.';
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// How many emojis a caption carries: the style's, unless the caller chose, capped by what the
// content type carries.
std::size_t emoji_count(const CaptionRequest& r, const StyleVoice& voice) {
  const auto density = static_cast<std::size_t>(std::max(voice.emojis, 0));
  switch (r.emoji) {
    case EmojiDensity::automatic:
      if (r.content_type == ContentType::story) return std::min<std::size_t>(density, 1);
      if (r.content_type == ContentType::reel) return std::min<std::size_t>(density, 2);
      return density;
    case EmojiDensity::none:
      return 0;
    case EmojiDensity::few:
      return 1;
    case EmojiDensity::many:
      return r.content_type == ContentType::story ? 2 : std::max<std::size_t>(density + 2, 4);
  }
  return density;
}

}  // namespace

Engine::Reading Engine::read(const CaptionRequest& request) const {
  const std::size_t lang = language_index(request.language);
  const LanguagePack& language = t_.languages[lang];
  Reading r;
  r.post = analyze_post(request.content_description, t_.posts[lang], language,
                        language.english() ? t_.lexicon.get() : nullptr);
  // The words are read from what the caption will say: without "Photo of" or "Announce that",
  // whose verbs would otherwise become the subject and its hashtags (#queremospreguntar).
  std::string body;
  for (const std::string& sentence : r.post.sentences) {
    if (!body.empty()) body += ' ';
    body += sentence;
  }
  r.words = analyzer_.analyze(body.empty() ? request.content_description : body, request.keywords,
                              request.audience, language);
  // A pet, a child or a view is a moment to share, not a product or (without a date) an event,
  // unless the post sells it.
  const std::string_view niche = t_.niches.at(r.words.niche).name;
  if ((niche == "pets" || niche == "family" || niche == "nature") &&
      (r.post.intent == Intent::launch || r.post.intent == Intent::showcase ||
       (r.post.intent == Intent::event && !r.post.has(FactKind::date) &&
        !r.post.has(FactKind::time))) &&
      !r.post.has(FactKind::price) && !r.post.has(FactKind::discount)) {
    r.post.intent = Intent::moment;
  }
  // The subject as the description writes it: the analyzer's phrase found in the text, with its
  // case ("The Midnight Library", "Latte art"); the analyzer's form when it is not there verbatim.
  const std::string& phrase = r.words.subject.text;
  if (r.words.subject.found && !phrase.empty()) {
    const std::string lower_text = lower_ascii(request.content_description);
    const std::size_t at = lower_text.find(lower_ascii(phrase));
    if (at == std::string::npos) {
      r.subject = phrase;
    } else {
      // To the end of the word: the description's "bagels", not the lemma "bagel".
      std::size_t end = at + phrase.size();
      const std::string& d = request.content_description;
      while (end < d.size() && (std::isalnum(static_cast<unsigned char>(d[end])) ||
                                static_cast<unsigned char>(d[end]) >= 0x80)) {
        ++end;
      }
      r.subject = d.substr(at, end - at);
    }
  }
  r.lower_description = lower_latin(request.content_description);
  return r;
}

Engine::Decoration Engine::decorate(const CaptionRequest& req, const Reading& r) const {
  const std::size_t lang = r.words.language;
  const LanguagePack& language = t_.languages[lang];
  const StyleVoice& voice = t_.plans[lang].styles[static_cast<std::size_t>(req.style)];
  const Niche& niche = t_.niches.at(r.words.niche);
  Decoration d;
  d.emojis = pick_emojis(t_.emoji[lang], r.words, r.subject, niche, emoji_count(req, voice));
  HashtagSources sources{r.words,
                         r.post,
                         req.content_description,
                         r.subject,
                         niche,
                         t_.niches.reach_hashtags(lang),
                         req.keywords,
                         t_.banned,
                         t_.posts[lang],
                         req.generic_hashtags};
  sources.stopword = [&language](std::string_view word) {
    return language.stopwords().contains(word);
  };
  if (language.english()) {
    sources.verb_form = [this](std::string_view word) {
      return !t_.lexicon->verb_lemma(word).empty();
    };
    sources.collocation = [this](std::string_view phrase) {
      std::string lemma = lower_ascii(phrase);
      std::replace(lemma.begin(), lemma.end(), ' ', '_');
      return t_.lexicon->is_noun(lemma) || t_.niches.is_trigger(lemma, 0);
    };
  }
  // The fallback niche's words ("day", "weekend") name no topic.
  sources.topic_word = [this, lang](std::string_view word) {
    auto topical = [&](std::string_view w) {
      bool found = false;
      t_.niches.each_trigger(
          w, lang, [&](std::size_t niche) { found = found || niche != t_.niches.fallback(); });
      return found;
    };
    return topical(word) ||
           (word.size() > 3 && word.back() == 's' && topical(word.substr(0, word.size() - 1)));
  };
  if (language.compounds()) {
    sources.known_word = [this, lang](std::string_view word) {
      return !t_.emoji[lang].best(word).empty() || t_.niches.is_trigger(word, lang);
    };
  }
  d.hashtags = pick_hashtags(sources, req.hashtag_count).tags;
  return d;
}

Caption Engine::write(const CaptionRequest& req, const Reading& r, const Decoration& decor,
                      Taken& taken, std::uint64_t seed) const {
  const std::size_t lang = r.words.language;
  const LanguagePack& language = t_.languages[lang];
  const PlanBank& plans = t_.plans[lang];
  const StyleVoice& voice = plans.styles[static_cast<std::size_t>(req.style)];
  const Niche& niche = t_.niches.at(r.words.niche);
  const bool english = language.english();

  PlanContext ctx;
  ctx.intent = r.post.intent;
  ctx.style = req.style;
  ctx.niche = niche.name;
  ctx.post = &r.post;
  ctx.mentions = [&](std::string_view w) { return r.words.mentions(w) || r.post.says(w); };
  ctx.bio_phrases = &t_.posts[lang].list("bio_phrases");
  ctx.lower_description = r.lower_description;
  const Register reg = t_.voices.register_for(req.audience);
  ctx.formal =
      reg == Register::formal || (reg == Register::neutral &&
                                  (req.style == Style::professional || req.style == Style::luxury));
  t_.voices.tags_for(req.brand_voice, ctx.voices);
  if (english) ctx.values[static_cast<int>(PlanSlot::subject)] = r.subject;
  constexpr std::array<std::pair<PlanSlot, FactKind>, 7> kFactSlots = {{
      {PlanSlot::date, FactKind::date},
      {PlanSlot::time, FactKind::time},
      {PlanSlot::price, FactKind::price},
      {PlanSlot::discount, FactKind::discount},
      {PlanSlot::place, FactKind::place},
      {PlanSlot::name, FactKind::name},
      {PlanSlot::list, FactKind::list},
  }};
  for (auto [slot, kind] : kFactSlots) ctx.values[static_cast<int>(slot)] = r.post.first(kind);
  // "See you {date}" needs a day: a month alone ("April") does not fill it.
  const std::string_view date = ctx.values[static_cast<int>(PlanSlot::date)];
  if (!date.empty() && date.find_first_of("0123456789") == std::string_view::npos &&
      !t_.posts[lang].is("weekdays", lower_ascii(date)) &&
      !t_.posts[lang].is("relative_days", lower_ascii(date))) {
    ctx.values[static_cast<int>(PlanSlot::date)] = {};
  }

  Rng rng(seed);
  auto line = [&](const std::vector<PlanLine>& bank, std::vector<int>& used) {
    const int i = choose_line(bank, ctx, rng, used);
    if (i < 0) return std::string();
    used.push_back(i);
    std::string text = render_line(bank[static_cast<std::size_t>(i)], ctx);
    polish(text, english);
    language.finish(text);
    return text;
  };

  const ContentType type = req.content_type;
  const bool short_form = req.length == Length::short_ || type == ContentType::story;
  const std::size_t limit = req.length == Length::short_ ? kShortCaptionChars
                            : type == ContentType::story ? 120
                            : type == ContentType::reel  ? 220
                                                         : kMaxCaptionChars;
  Caption c;
  std::string hook = short_form ? std::string() : line(plans.hooks, taken.hooks);
  std::string body = within(r.post, r.subject, short_form ? limit - 4 : limit);
  std::string extra;
  if (req.length == Length::long_ && !short_form) extra = line(plans.bodies, taken.bodies);
  std::string cta;
  if (req.cta && type != ContentType::story) {
    cta = line(plans.ctas, taken.ctas);
    // Never the hook again as the ending ("Save the date" twice).
    for (int retry = 0; retry < 4 && !hook.empty() && same_words(cta, hook); ++retry) {
      cta = line(plans.ctas, taken.ctas);
    }
  }

  // Every requested keyword must be in the text; missing ones get a sentence of their own.
  std::string missing;
  std::size_t missing_count = 0;
  const std::string lower_text = lower_ascii(hook + " " + body + " " + extra + " " + cta);
  for (const std::string& k : req.keywords) {
    if (mentions(lower_text, k)) continue;
    if (!missing.empty()) missing += ", ";
    missing += k;
    ++missing_count;
  }
  std::string keyword_line;
  if (missing_count > 0) {
    if (missing_count > 1) {
      const std::size_t last = missing.rfind(", ");
      missing.replace(last, 2, english ? std::string_view(" and ") : std::string_view(" & "));
    }
    ctx.values[static_cast<int>(PlanSlot::keywords)] = missing;
    std::vector<int> none;
    keyword_line = line(plans.keywords, none);
  }
  std::string swipe;
  if (type == ContentType::carousel && !short_form) {
    std::vector<int> none;
    swipe = line(plans.carousel, none);
  }

  // Emojis: the lead one closes the hook (or the body when there is no hook), then the body,
  // then the call to action.
  // A plan line's own emoji (the 👇 of "Tell us below") counts against the budget and goes
  // first when the budget is spent.
  const std::size_t budget = emoji_count(req, voice);
  const EmojiChoice& emojis = decor.emojis;
  std::vector<std::string*> anchors;
  for (std::string* part : {&hook, &body, &cta}) {
    if (!part->empty() && !has_emoji(*part)) anchors.push_back(part);
  }
  std::size_t in_lines = 0;
  for (std::string* part : {&hook, &cta, &keyword_line, &swipe, &extra}) {
    in_lines += emojis_in(*part).size();
  }
  std::size_t placed = 0;
  for (std::string_view e : emojis.emojis) {
    if (placed >= anchors.size() || placed >= budget) break;
    std::string& target = *anchors[placed];
    if (short_form && core::utf8_length(body) + core::utf8_length(cta) + 4 > limit) break;
    attach_emoji(target, e);
    ++placed;
  }
  if (placed + in_lines > budget) {
    for (std::string* part : {&cta, &swipe, &keyword_line, &extra, &hook}) {
      if (placed + in_lines <= budget) break;
      const std::size_t n = emojis_in(*part).size();
      if (n == 0) continue;
      strip_emojis(*part);
      in_lines -= std::min(n - emojis_in(*part).size(), in_lines);
    }
  }
  if (req.length == Length::short_ && !cta.empty() &&
      core::utf8_length(body) + core::utf8_length(cta) + 1 + core::utf8_length(keyword_line) >
          kShortCaptionChars) {
    cta.clear();
  }

  std::string& text = c.text;
  auto append = [&](const std::string& part, std::string_view sep) {
    if (part.empty()) return;
    if (!text.empty()) text += sep;
    text += part;
  };
  // Stories, reels and short captions read as one paragraph.
  const std::string_view paragraph = short_form || type == ContentType::reel ? " " : "\n\n";
  append(hook, paragraph);
  append(body, paragraph);
  append(extra, paragraph);
  append(keyword_line, short_form || !extra.empty() ? paragraph : " ");
  append(swipe, paragraph);
  append(cta, paragraph);

  c.hashtags = decor.hashtags;
  fit_limit(c);
  c.emojis = emojis_in(c.text);
  assess(req, r, c);
  return c;
}

core::Result<CaptionResult> Engine::generate(const CaptionRequest& request) const {
  try {
    const Reading reading = read(request);
    const Decoration decor = decorate(request, reading);
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
    Taken taken;
    const std::size_t outputs = static_cast<std::size_t>(std::clamp(request.variants, 1, 5));
    const std::size_t drafts = candidates_for(request.optimization_level);
    std::vector<std::string> written;
    for (std::size_t v = 0; v < outputs; ++v) {
      // Each draft draws from its own stream so adding drafts never changes the first; a
      // variant that reads like an earlier one is drawn again, a few times at most.
      Caption best;
      Taken best_taken;
      constexpr std::size_t kRedraws = 8;
      for (std::size_t k = 0; k < drafts + kRedraws; ++k) {
        const bool repeat =
            k > 0 && std::find(written.begin(), written.end(), best.text) != written.end();
        if (k >= drafts && !repeat) break;
        if (k > 0 && k < drafts && !repeat &&
            request.optimization_level == OptimizationLevel::balanced &&
            best.quality_score >= kBalancedGoodEnough) {
          break;
        }
        Taken trial = taken;
        Caption c =
            write(request, reading, decor, trial, seed + 0x9E3779B97F4A7C15ull * (v * 16 + k + 1));
        const bool fresh = std::find(written.begin(), written.end(), c.text) == written.end();
        if (k == 0 || (repeat && fresh) || (fresh && c.quality_score > best.quality_score)) {
          best = std::move(c);
          best_taken = std::move(trial);
        }
      }
      taken = std::move(best_taken);
      written.push_back(best.text);
      if (v == 0) {
        result.caption = std::move(best);
      } else {
        result.variants.push_back(std::move(best));
      }
    }
    return result;
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("caption engine: ") + e.what());
  }
}

}  // namespace reelgen::captions::detail
