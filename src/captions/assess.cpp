// Scores a caption from checks that track what a social media manager looks for: the subject
// named, every fact kept, words of the description rather than filler, a call to action that
// fits the intent, no template seams, a length that fits the content type and hashtags that
// belong to the post. The same checks score given captions (`reelgen score`).

#include <algorithm>
#include <array>
#include <cmath>

#include "captions/engine.hpp"
#include "captions/hashtags.hpp"
#include "captions/scorer.hpp"
#include "captions/surface.hpp"
#include "captions/tokenizer.hpp"
#include "core/utf8.hpp"

namespace reelgen::captions::detail {
namespace {

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// Emojis that fit any post: pointers and cheers a call to action uses.
constexpr std::array<std::string_view, 10> kNeutralEmojis = {"👇", "➡️", "✨", "🎉", "❤️",
                                                             "🙌", "💬",      "📌", "🔔", "⬇️"};

// Faces that smile or love, hearts, cheers and sparkles: emojis that read as joy.
bool is_cheerful_emoji(std::string_view emoji) {
  std::size_t i = 0;
  const char32_t cp = next_code_point(emoji, i);
  return (cp >= 0x1F600 && cp <= 0x1F60D) || (cp >= 0x1F617 && cp <= 0x1F61D) ||
         (cp >= 0x1F970 && cp <= 0x1F973) || cp == 0x1F929 || cp == 0x1F60E || cp == 0x1F642 ||
         cp == 0x2764 || (cp >= 0x1F493 && cp <= 0x1F49F) || cp == 0x1F389 || cp == 0x1F38A ||
         cp == 0x2728 || cp == 0x1F64C || cp == 0x1F525 || cp == 0x1F4AA || cp == 0x1F31F ||
         cp == 0x1F44F || cp == 0x1F973;
}

// Adjacent words of text (nothing but spaces between them) as "a b".
std::vector<std::string> clause_pairs(const std::vector<Word>& words) {
  std::vector<std::string> pairs;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const char* gap_start = words[i - 1].surface.data() + words[i - 1].surface.size();
    const std::string_view gap(gap_start,
                               static_cast<std::size_t>(words[i].surface.data() - gap_start));
    if (gap.find_first_not_of(' ') != std::string_view::npos) continue;
    pairs.push_back(words[i - 1].lower + " " + words[i].lower);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

// Phrases a template mangled from the description's words: two of its words side by side that
// the description never puts together ("caramel 20g protein" from "salted caramel, 20g
// protein"), a word with its plural cut off ("WH-1000XM5 headphone"), or (English) an adjective
// of the template's put before one of them ("an exquisite acme analytic"). At most 2.
int mangled_phrases(const std::vector<Word>& caption, const std::vector<Word>& description,
                    const SortedLines& stopwords, const Lexicon* lexicon) {
  std::vector<std::string> vocabulary;
  for (const Word& w : description) vocabulary.push_back(w.lower);
  std::sort(vocabulary.begin(), vocabulary.end());
  auto known = [&](std::string_view w) {
    return std::binary_search(vocabulary.begin(), vocabulary.end(), w);
  };
  const std::vector<std::string> together = clause_pairs(description);
  int findings = 0;
  for (std::size_t i = 1; i < caption.size(); ++i) {
    const std::string& a = caption[i - 1].lower;
    const std::string& b = caption[i].lower;
    const char* gap_start = caption[i - 1].surface.data() + caption[i - 1].surface.size();
    const std::string_view gap(gap_start,
                               static_cast<std::size_t>(caption[i].surface.data() - gap_start));
    if (gap.find_first_not_of(' ') != std::string_view::npos || a == b) continue;
    if (stopwords.contains(a) || stopwords.contains(b) || !known(a) || !known(b)) continue;
    if (!std::binary_search(together.begin(), together.end(), a + " " + b)) ++findings;
  }
  for (std::size_t i = 0; i < caption.size(); ++i) {
    const Word& w = caption[i];
    if (w.lower.size() < 4 || known(w.lower) || stopwords.contains(w.lower)) continue;
    if (known(w.lower + "s") || known(w.lower + "es")) ++findings;
    // An adjective the description never uses, put before one of its words: "brave serum".
    if (lexicon != nullptr && i + 1 < caption.size() && known(caption[i + 1].lower) &&
        !stopwords.contains(caption[i + 1].lower) && lexicon->lookup(w.lower).known &&
        lexicon->lookup(w.lower).dominant == Pos::adjective) {
      ++findings;
    }
  }
  return std::min(findings, 2);
}

// Template seams and slips a reader notices: leftover braces, a word twice in a row, a
// sentence starting in lower case, "the" before a weekday or month, the same sentence twice,
// a number of things promised that the description does not give.
int lint_findings(std::string_view text, std::string_view description, const PostLanguage& words) {
  int findings = 0;
  if (text.find('{') != std::string_view::npos || text.find('}') != std::string_view::npos)
    ++findings;
  thread_local std::vector<Word> tokens;
  tokenize(text, tokens);
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    if (tokens[i].lower == tokens[i - 1].lower && tokens[i].lower.size() > 1 &&
        !tokens[i].lower.empty() && !(tokens[i].lower[0] >= '0' && tokens[i].lower[0] <= '9'))
      ++findings;
    if (tokens[i - 1].lower == "the" &&
        (words.is("weekdays", tokens[i].lower) || words.is("months", tokens[i].lower)))
      ++findings;
  }
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if ((text[i] == '.' || text[i] == '!' || text[i] == '?') && text[i + 1] == ' ' &&
        text[i + 2] >= 'a' && text[i + 2] <= 'z')
      ++findings;
  }
  const std::string lower_text = lower_latin(text);
  const std::string lower_description = lower_latin(description);
  for (std::string_view noun : {" things", " tips", " ways", " reasons", " steps"}) {
    for (std::size_t at = lower_text.find(noun); at != std::string::npos;
         at = lower_text.find(noun, at + 1)) {
      if (at == 0) continue;
      const std::size_t start = lower_text.rfind(' ', at - 1) + 1;  // npos + 1 is 0
      const std::string_view count = std::string_view(lower_text).substr(start, at - start);
      if (!words.is("number_words", count)) continue;
      const std::string promise = std::string(count) + std::string(noun);
      if (lower_description.find(promise) == std::string::npos) ++findings;
    }
  }
  // A sentence of the caption written twice.
  std::vector<std::string_view> sentences;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '.' || text[i] == '!' || text[i] == '?') {
      std::string_view s = text.substr(start, i - start);
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      if (s.size() > 12) sentences.push_back(s);
      start = i + 1;
    }
  }
  std::sort(sentences.begin(), sentences.end());
  if (std::adjacent_find(sentences.begin(), sentences.end()) != sentences.end()) ++findings;
  return findings;
}

// 1 when the call to action suits the intent: shopping only for products and offers, never
// under a pet, a family or a personal moment; 0 for one that contradicts the post.
double cta_fit(std::string_view lower_text, Intent intent, std::string_view niche,
               const PostLanguage& words) {
  auto says = [&](std::string_view list) {
    const auto& phrases = words.list(list);
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](std::string_view p) { return mentions(lower_text, p); });
  };
  const bool shop = says("shop_phrases");
  const bool book = says("book_phrases");
  const bool commerce = shop || book || says("commerce_phrases");
  const bool personal = intent == Intent::moment || intent == Intent::tips ||
                        intent == Intent::question || niche == "pets" || niche == "family";
  if (commerce && personal) return 0.0;
  if (shop && (intent == Intent::event || niche == "wedding" || niche == "charity")) return 0.0;
  return 1.0;
}

double length_fit(const CaptionRequest& req, double chars) {
  if (req.length == Length::short_)
    return chars <= kShortCaptionChars ? range_fit(chars, 20, 80) : 0;
  if (req.length == Length::long_) return range_fit(chars, 200, 1500);
  switch (req.content_type) {
    case ContentType::story:
      return range_fit(chars, 20, 120);
    case ContentType::reel:
      return range_fit(chars, 40, 300);
    case ContentType::post:
      return range_fit(chars, 60, 700);
    case ContentType::carousel:
      return range_fit(chars, 80, 800);
  }
  return 1.0;
}

}  // namespace

void Engine::assess(const CaptionRequest& req, const Reading& r, Caption& c) const {
  const std::size_t lang = r.words.language;
  const LanguagePack& language = t_.languages[lang];
  const PostLanguage& post_words = t_.posts[lang];
  const StyleVoice& voice = t_.plans[lang].styles[static_cast<std::size_t>(req.style)];
  const Niche& niche = t_.niches.at(r.words.niche);
  const std::string& text = c.text;
  thread_local std::vector<Word> words;
  tokenize(text, words);
  c.word_count = static_cast<int>(words.size());
  c.character_count = static_cast<int>(core::utf8_length(text));
  c.readability_score = readability(text, words, language.readability());
  // Sentiment: the words' scores, and the cheer a caption shows in its punctuation and emojis
  // (an exclamation, a 🎉): a celebration or an offer reads positive.
  // A moment shared, a launch, an offer or an event to come are told gladly; tips, questions
  // and notices are neutral unless their words say more.
  double s = sentiment_sum(words, language);
  switch (r.post.intent) {
    case Intent::moment:
    case Intent::promotion:
      s += 1.5;
      break;
    case Intent::launch:
    case Intent::event:
    case Intent::showcase:
      s += 1.0;
      break;
    default:
      break;
  }
  if (text.find('!') != std::string::npos) s += 1.0;
  std::size_t cheerful = 0;
  for (const std::string& e : c.emojis) cheerful += is_cheerful_emoji(e) ? 1 : 0;
  s += std::min<std::size_t>(cheerful, 2);
  const bool positive = s >= 1.5, negative = s <= -2;
  c.sentiment = positive ? "positive" : negative ? "negative" : "neutral";
  c.tone.assign(positive   ? voice.tone_positive
                : negative ? voice.tone_negative
                           : voice.tone_neutral);
  c.niche.assign(niche.name);
  c.niche_confidence = r.words.niche_confidence;
  c.intent = r.post.intent;
  c.facts = r.post.facts;
  c.facts_omitted.clear();

  thread_local std::vector<Word> described;
  tokenize(req.content_description, described);
  const std::string lower_text = lower_latin(text);
  double subject = 0.5;
  if (!r.subject.empty()) {
    const std::string lower_subject = lower_latin(r.subject);
    const std::size_t space = lower_subject.rfind(' ');
    // Named whole, or by its head noun in either number ("soy candle" names "soy candles").
    std::string head = space == std::string::npos ? lower_subject : lower_subject.substr(space + 1);
    if (head.size() > 3 && head.back() == 's') head.pop_back();
    const bool head_named = mentions(lower_text, head) || mentions(lower_text, head + "s") ||
                            mentions(lower_text, head + "es");
    subject = mentions(lower_text, lower_subject) ? 1.0 : head_named ? 0.8 : 0.0;
  }
  std::size_t kept = 0;
  for (const Fact& f : r.post.facts) {
    if (lower_text.find(lower_latin(f.text)) != std::string::npos) {
      ++kept;
    } else {
      c.facts_omitted.push_back(f);
    }
  }
  const double facts = r.post.facts.empty() ? 1.0 : static_cast<double>(kept) / r.post.facts.size();

  // Specific, not filler: the share of the description's content words the caption uses.
  std::size_t content = 0, used = 0;
  for (const Word& w : described) {
    if (w.lower.size() < 3 || language.stopwords().contains(w.lower)) continue;
    ++content;
    if (mentions(lower_text, w.lower)) ++used;
  }
  const double specific = content == 0 ? 1.0 : clamp01(static_cast<double>(used) / content / 0.6);

  const double cta = cta_fit(lower_text, r.post.intent, niche.name, post_words);
  const int findings = lint_findings(text, req.content_description, post_words) +
                       mangled_phrases(words, described, language.stopwords(),
                                       language.english() ? t_.lexicon.get() : nullptr);
  const double lint = std::max(0.0, 1.0 - 0.34 * findings);
  const double length = length_fit(req, c.character_count);

  // Hashtags that belong to the post: spelled out by the description, or the niche's tag for a
  // word it uses; the niche's general tags count half; anything else counts nothing.
  const std::string description_body = hashtag_body(req.content_description, lang != 0);
  double tag_sum = 0;
  for (const std::string& tag : c.hashtags) {
    const std::string body = hashtag_body(tag, lang != 0);
    if (body.size() >= 4 && description_body.find(body) != std::string::npos) {
      tag_sum += 1.0;
      continue;
    }
    double best = 0;
    for (const NicheTag& t : niche.hashtags[lang]) {
      if (t.tag != body) continue;
      best = t.needs.empty()                                                      ? 0.5
             : t.applies([&](std::string_view w) { return r.words.mentions(w); }) ? 1.0
                                                                                  : 0.0;
    }
    for (const std::string& k : req.keywords) {
      if (hashtag_body(k, lang != 0) == body) best = 1.0;
    }
    tag_sum += best;
  }
  const double tags = c.hashtags.empty() ? (req.hashtag_count == 0 ? 1.0 : 0.3)
                                         : tag_sum / static_cast<double>(c.hashtags.size());

  // Emojis in the niche's sense: a word's first emoji in CLDR is often another sense of it
  // (📊 for a protein "bar"), so only the niche's own emojis and neutral pointers count.
  std::size_t fitting = 0;
  for (const std::string& e : c.emojis) {
    const bool fits =
        niche.owns_emoji(e, lang) ||
        std::find(kNeutralEmojis.begin(), kNeutralEmojis.end(), e) != kNeutralEmojis.end();
    fitting += fits ? 1 : 0;
  }
  const double emojis = c.emojis.empty() ? 1.0 : static_cast<double>(fitting) / c.emojis.size();

  c.checks = QualityChecks{subject, facts, specific, cta, lint, length, tags, emojis, findings};
  // Weighted checks; a call to action that contradicts the post or a seam a reader notices
  // makes a caption unusable however good the rest is.
  double q = 0.10 * subject + 0.20 * facts + 0.12 * specific + 0.20 * cta + 0.18 * lint +
             0.04 * length + 0.12 * tags + 0.04 * emojis;
  if (cta == 0) q *= 0.6;
  q *= std::max(0.5, 1.0 - 0.1 * findings);
  c.quality_score = std::round(1000 * q) / 10.0;

  // Engagement: a call to action, a question, emojis, a workable number of tags, a short first
  // line that names something specific within the 125 characters a feed shows.
  const std::string_view first_line = std::string_view(text).substr(0, text.find('\n'));
  const std::string preview =
      lower_latin(std::string_view(text).substr(0, std::min<std::size_t>(text.size(), 125)));
  bool preview_specific = !r.subject.empty() && mentions(preview, lower_latin(r.subject));
  for (const Fact& f : r.post.facts) {
    preview_specific = preview_specific || preview.find(lower_latin(f.text)) != std::string::npos;
  }
  double engagement = 0;
  engagement += req.cta && text.find('\n') != std::string::npos ? 25 : 10;
  engagement += text.find('?') != std::string::npos ? 15 : 0;
  engagement += c.emojis.empty() ? 0 : (c.emojis.size() <= 4 ? 15 : 8);
  const std::size_t n = c.hashtags.size();
  engagement += n >= 3 && n <= 15 ? 20 : n == 0 ? 0 : 10;
  engagement += core::utf8_length(first_line) <= 60 ? 15 : 5;
  engagement += preview_specific ? 10 : 0;
  c.engagement_score = std::clamp(engagement, 0.0, 100.0);
}

}  // namespace reelgen::captions::detail
