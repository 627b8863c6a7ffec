#include "captions/composer.hpp"

#include <algorithm>

#include "captions/surface.hpp"
#include "core/utf8.hpp"

namespace reelgen::captions::detail {
namespace {

constexpr std::size_t kStoryChars = 120;
constexpr std::size_t kReelBodyChars = 90;
constexpr std::string_view kFallbackSubject = "moment";

struct Slots {
  std::array<std::string_view, kSlotCount> values{};
  std::uint8_t available = 0;
  std::string keywords;     // storage for the {keywords} value
  std::string the_subject;  // storage for the {the_subject} value

  void set(Slot slot, std::string_view value) {
    if (value.empty()) return;
    values[static_cast<int>(slot)] = value;
    available |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(slot));
  }
  bool fits(const Template& t) const { return (t.slots & ~available) == 0; }
};

bool is_slot(const Template& t, std::size_t i, Slot slot) {
  return i < t.segments.size() && t.segments[i].slot == static_cast<int>(slot);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// English determiners that read wrong before a name ("this Paris") or, for "a"/"an", before a
// mass noun ("a cozy coffee").
std::string_view trim_determiner(std::string_view literal, const Subject& subject) {
  if (!literal.ends_with(' ')) return literal;
  std::string_view body = literal.substr(0, literal.size() - 1);
  std::size_t start = body.rfind(' ');
  start = start == std::string_view::npos ? 0 : start + 1;
  std::string_view word = body.substr(start);
  bool drop = false;
  if (subject.proper) {
    for (std::string_view d : {"this", "the", "a", "an", "my", "our", "your", "every"}) {
      drop = drop || equal_ci(word, d);
    }
  } else if (subject.mass) {
    drop = equal_ci(word, "a") || equal_ci(word, "an") || equal_ci(word, "every");
  }
  return drop ? literal.substr(0, start) : literal;
}

void render(const Template& t, const Slots& slots, const Subject* subject, std::string& out) {
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const Segment& s = t.segments[i];
    if (s.slot >= 0) {
      out.append(slots.values[s.slot]);
      continue;
    }
    std::string_view text = s.text;
    if (subject != nullptr && (subject->proper || subject->mass)) {
      bool before_subject = is_slot(t, i + 1, Slot::subject) ||
                            (is_slot(t, i + 1, Slot::quality) && i + 2 < t.segments.size() &&
                             t.segments[i + 2].slot < 0 && t.segments[i + 2].text == " " &&
                             is_slot(t, i + 3, Slot::subject));
      if (before_subject) text = trim_determiner(text, *subject);
    }
    out.append(text);
  }
}

bool has_tag(const Template& t, std::string_view tag) {
  return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end();
}

struct Filter {
  std::string_view niche;
  Register register_ = Register::neutral;
  bool formal_only = false;  // foreign calls to action for a formal audience
  const std::vector<std::string_view>* voices = nullptr;

  bool allows(const Template& t) const {
    if (formal_only) return has_tag(t, "formal");
    for (std::string_view tag : t.tags) {
      if (tag.starts_with('!') && tag.substr(1) == niche) return false;
      if (tag == "formal" && register_ != Register::formal) return false;
      if (tag == "casual" && register_ == Register::formal) return false;
    }
    return true;
  }
  bool prefers(const Template& t) const {
    if (voices == nullptr) return false;
    return std::any_of(t.tags.begin(), t.tags.end(), [&](std::string_view tag) {
      return std::find(voices->begin(), voices->end(), tag) != voices->end();
    });
  }
};

// A random template that fits the slots and the filter, preferring the brand voice's lines and
// lines no other draft took.
int choose(const std::vector<Template>& bank, const Slots& slots, const Filter& filter, Rng& rng,
           const std::vector<Choice>& taken, int Choice::*field, std::size_t max_chars = 0) {
  const std::size_t n = bank.size();
  if (n == 0) return -1;
  std::size_t start = rng.below(n);
  int preferred = -1, fresh = -1, fallback = -1;
  for (std::size_t k = 0; k < n; ++k) {
    auto i = static_cast<int>((start + k) % n);
    const Template& t = bank[i];
    if (!slots.fits(t) || !filter.allows(t)) continue;
    if (max_chars != 0 && t.literal_size > max_chars) continue;
    bool used =
        std::any_of(taken.begin(), taken.end(), [&](const Choice& c) { return c.*field == i; });
    if (used) {
      if (fallback < 0) fallback = i;
      continue;
    }
    if (preferred < 0 && filter.prefers(t)) preferred = i;
    if (fresh < 0) fresh = i;
  }
  if (preferred >= 0) return preferred;
  if (fresh >= 0) return fresh;
  if (fallback < 0 && max_chars != 0) return choose(bank, slots, filter, rng, taken, field, 0);
  if (fallback < 0 && filter.formal_only) {
    Filter relaxed = filter;
    relaxed.formal_only = false;
    return choose(bank, slots, relaxed, rng, taken, field, max_chars);
  }
  return fallback;
}

// The shortest template that fits, for captions that must stay short.
int shortest(const std::vector<Template>& bank, const Slots& slots, const Filter& filter) {
  int best = -1;
  for (std::size_t i = 0; i < bank.size(); ++i) {
    const Template& t = bank[i];
    if (!slots.fits(t) || !filter.allows(t)) continue;
    if (best < 0 || t.literal_size < bank[best].literal_size) best = static_cast<int>(i);
  }
  return best;
}

// Puts an emoji at the end of a sentence, in place of a final period.
void attach_emoji(std::string& sentence, std::string_view emoji, bool first_on_sentence) {
  if (first_on_sentence) {
    if (!sentence.empty() && sentence.back() == '.') sentence.pop_back();
    sentence += ' ';
  }
  sentence.append(emoji);
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Cuts text to at most max code points at a word boundary and closes it with an ellipsis.
void cut_to(std::string& text, std::size_t max) {
  if (core::utf8_length(text) <= max) return;
  std::size_t count = 0, cut = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count + 1 >= max) break;
    if (text[i] == ' ') cut = i;
    ++count;
  }
  text.resize(cut);
  while (!text.empty() && (text.back() == ',' || text.back() == ':' || text.back() == ' '))
    text.pop_back();
  text += "\xE2\x80\xA6";
}

}  // namespace

bool mentions(std::string_view lower_text, std::string_view phrase) {
  if (phrase.empty()) return true;
  for (std::size_t pos = 0; pos + phrase.size() <= lower_text.size(); ++pos) {
    bool match = true;
    for (std::size_t k = 0; k < phrase.size() && match; ++k) {
      match = lower_text[pos + k] == lower(phrase[k]);
    }
    if (!match) continue;
    bool left_ok = pos == 0 || !is_alnum(lower_text[pos - 1]);
    std::size_t end = pos + phrase.size();
    bool right_ok = end == lower_text.size() || !is_alnum(lower_text[end]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

Draft compose(const ComposeInput& in, Rng& rng, const std::vector<Choice>& taken) {
  const Analysis& a = in.analysis;
  const StyleBank& style = in.style;
  const ContentType type = in.request.content_type;
  const Length length = in.request.length;
  const bool english = in.language.english();
  const Subject* grammar = english ? &a.subject : nullptr;

  Slots slots;
  std::string_view subject = a.subject.found ? std::string_view(a.subject.text)
                             : english       ? kFallbackSubject
                                             : std::string_view();
  slots.set(Slot::subject, subject);
  if (!subject.empty()) {
    if (english) {
      if (!a.subject.proper) slots.the_subject = "the ";
    } else {
      std::string_view article =
          in.language.definite_article(a.subject.gender, a.subject.plural, subject);
      if (!article.empty() && !a.subject.proper) {
        slots.the_subject.assign(article);
        slots.the_subject += ' ';
      }
    }
    slots.the_subject += subject;
    slots.set(Slot::the_subject, slots.the_subject);
  }
  for (const std::string& noun : a.nouns) {
    if (subject.find(noun) == std::string_view::npos && noun.find(subject) == std::string::npos) {
      slots.set(Slot::noun, noun);
      break;
    }
  }
  // {quality} (English only: other languages would need agreement): the description's own
  // adjective when it has one, sometimes the brand's or the style's, so repeated requests with
  // other seeds do not all read the same.
  std::size_t roll = rng.below(4);
  if (english) {
    std::string_view quality;
    if (!a.noun_phrases.empty() && !a.noun_phrases[0].modifier.empty()) {
      quality = a.noun_phrases[0].modifier;
    } else if (!a.adjectives.empty()) {
      quality = a.adjectives[0];
    }
    if (!in.brand_adjective.empty() && (quality.empty() || roll == 0)) {
      quality = in.brand_adjective;
    } else if (quality.empty() || roll == 1) {
      quality = style.adjectives[rng.below(style.adjectives.size())];
    }
    slots.set(Slot::quality, quality);
    slots.set(Slot::niche, in.niche.audience);
  }
  slots.set(Slot::topic, in.niche.topic[a.language]);

  Filter filter{in.niche.name, in.register_, false, in.voices.empty() ? nullptr : &in.voices};
  Filter cta_filter = filter;
  cta_filter.formal_only = !english && in.register_ == Register::formal;

  Draft draft;
  std::string hook, body, body2, swipe, cta;
  const bool short_form = type == ContentType::story || length == Length::short_;
  std::size_t hook_limit = length == Length::short_     ? kShortCaptionChars
                           : type == ContentType::story ? kStoryChars
                                                        : 0;
  draft.choice.hook = choose(style.hooks, slots, filter, rng, taken, &Choice::hook, hook_limit);
  if (draft.choice.hook >= 0) render(style.hooks[draft.choice.hook], slots, grammar, hook);
  if (hook_limit != 0 && core::utf8_length(hook) > hook_limit) {
    // A long subject can push any hook past the limit; take the shortest one instead.
    int best = shortest(style.hooks, slots, filter);
    if (best >= 0) {
      draft.choice.hook = best;
      hook.clear();
      render(style.hooks[best], slots, grammar, hook);
    }
  }
  if (!short_form) {
    std::size_t body_limit = type == ContentType::reel ? kReelBodyChars : 0;
    draft.choice.body = choose(style.bodies, slots, filter, rng, taken, &Choice::body, body_limit);
    if (draft.choice.body >= 0) render(style.bodies[draft.choice.body], slots, grammar, body);
    if (length == Length::long_ && style.bodies.size() > 1) {
      // A second paragraph, never the first one again.
      std::vector<Choice> avoid = taken;
      avoid.push_back(draft.choice);
      int second = choose(style.bodies, slots, filter, rng, avoid, &Choice::body);
      if (second >= 0 && second != draft.choice.body) {
        render(style.bodies[second], slots, grammar, body2);
      }
    }
  }
  // A story is one line over a picture: no call to action, as before.
  if (in.request.cta && type != ContentType::story) {
    draft.choice.cta = choose(style.ctas, slots, cta_filter, rng, taken, &Choice::cta);
    if (draft.choice.cta >= 0) render(style.ctas[draft.choice.cta], slots, grammar, cta);
  }
  if (type == ContentType::carousel && length != Length::short_) {
    render(style.carousel[rng.below(style.carousel.size())], slots, grammar, swipe);
  }

  // Every requested keyword must be in the text; missing ones get a sentence of their own.
  const auto& keywords = in.request.keywords;
  std::string lower_text;
  for (const std::string* part : {&hook, &body, &body2, &cta}) {
    if (keywords.empty()) break;
    for (char c : *part) lower_text += lower(c);
    lower_text += ' ';
  }
  std::string missing;
  std::size_t missing_count = 0;
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    if (mentions(lower_text, keywords[i])) continue;
    ++missing_count;
    if (!missing.empty()) missing += ", ";
    missing += keywords[i];
  }
  if (missing_count > 1) {
    std::size_t last = missing.rfind(", ");
    missing.replace(last, 2, english ? std::string_view(" and ") : std::string_view(" & "));
  }
  std::string keyword_line;
  if (missing_count > 0) {
    slots.keywords = std::move(missing);
    slots.set(Slot::keywords, slots.keywords);
    render(style.keyword_lines[rng.below(style.keyword_lines.size())], slots, grammar,
           keyword_line);
  }
  draft.keywords_present = keywords.size();  // woven in above when they were missing

  for (std::string* part : {&hook, &body, &body2, &keyword_line, &swipe, &cta}) {
    polish(*part, english);
    in.language.finish(*part);
  }

  if (length == Length::short_) {
    // Short: the hook, the keywords, and the call to action only when everything fits.
    std::size_t used = core::utf8_length(hook) + core::utf8_length(keyword_line) + 1;
    if (!cta.empty() && used + core::utf8_length(cta) + 1 > kShortCaptionChars) cta.clear();
    if (keyword_line.empty()) cut_to(hook, kShortCaptionChars);
  }

  // Emojis go at the ends of the hook, body and call to action, in turn.
  std::array<std::string*, 3> anchors{};
  std::size_t anchor_count = 0;
  for (std::string* part : {&hook, &body, &cta}) {
    if (!part->empty()) anchors[anchor_count++] = part;
  }
  std::size_t placed = std::min(in.emoji_budget, in.emojis.emojis.size());
  for (std::size_t i = 0; i < placed && anchor_count > 0; ++i) {
    std::string& target = *anchors[i % anchor_count];
    if (length == Length::short_) {
      std::size_t total =
          core::utf8_length(hook) + core::utf8_length(cta) + core::utf8_length(keyword_line) + 2;
      if (total + 3 > kShortCaptionChars) break;
    }
    attach_emoji(target, in.emojis.emojis[i], i < anchor_count);
  }

  draft.hook_chars = hook.size();
  draft.has_cta = !cta.empty();
  std::string& text = draft.text;
  text.reserve(hook.size() + body.size() + body2.size() + keyword_line.size() + swipe.size() +
               cta.size() + 8);
  text = std::move(hook);
  if (type == ContentType::reel || short_form) {
    // Short forms read as one paragraph, hook first.
    for (const std::string* part : {&body, &body2, &keyword_line, &swipe, &cta}) {
      if (part->empty()) continue;
      if (!text.empty()) text += ' ';
      text += *part;
    }
    return draft;
  }
  for (const std::string* part : {&body, &body2}) {
    if (part->empty()) continue;
    text += "\n\n";
    text += *part;
  }
  for (const std::string* part : {&keyword_line, &swipe}) {
    if (part->empty()) continue;
    text += text.ends_with('\n') ? "" : (body.empty() && body2.empty() ? "\n\n" : " ");
    text += *part;
  }
  if (!cta.empty()) {
    text += "\n\n";
    text += cta;
  }
  return draft;
}

}  // namespace reelgen::captions::detail
