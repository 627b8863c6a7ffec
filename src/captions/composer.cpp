#include "captions/composer.hpp"

#include <algorithm>

#include "captions/surface.hpp"

namespace reelgen::captions::detail {
namespace {

constexpr std::size_t kStoryChars = 120;
constexpr std::size_t kReelBodyChars = 90;
constexpr std::string_view kFallbackSubject = "moment";

struct Slots {
  std::array<std::string_view, kSlotCount> values{};
  std::uint8_t available = 0;
  std::string keywords;  // storage for the {keywords} value

  void set(Slot slot, std::string_view value) {
    if (value.empty()) return;
    values[static_cast<int>(slot)] = value;
    available |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(slot));
  }
  bool fits(const Template& t) const { return (t.slots & ~available) == 0; }
};

void render(const Template& t, const Slots& slots, std::string& out) {
  for (const Segment& s : t.segments) {
    out.append(s.slot < 0 ? s.text : slots.values[s.slot]);
  }
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// A random template that fits the slots, preferring ones no other draft took.
int choose(const std::vector<Template>& bank, const Slots& slots, Rng& rng,
           const std::vector<Choice>& taken, int Choice::*field, std::size_t max_chars = 0) {
  const std::size_t n = bank.size();
  std::size_t start = rng.below(n);
  int fallback = -1;
  for (std::size_t k = 0; k < n; ++k) {
    auto i = static_cast<int>((start + k) % n);
    const Template& t = bank[i];
    if (!slots.fits(t)) continue;
    if (max_chars != 0 && t.literal_size > max_chars) continue;
    bool used =
        std::any_of(taken.begin(), taken.end(), [&](const Choice& c) { return c.*field == i; });
    if (!used) return i;
    if (fallback < 0) fallback = i;
  }
  if (fallback < 0 && max_chars != 0) return choose(bank, slots, rng, taken, field, 0);
  return fallback;
}

// Puts an emoji at the end of a sentence, in place of a final period.
void attach_emoji(std::string& sentence, std::string_view emoji, bool first_on_sentence) {
  if (first_on_sentence) {
    if (!sentence.empty() && sentence.back() == '.') sentence.pop_back();
    sentence += ' ';
  }
  sentence.append(emoji);
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

  Slots slots;
  std::string_view subject = a.noun_phrases.empty() ? kFallbackSubject : a.noun_phrases[0].head;
  slots.set(Slot::subject, subject);
  for (const std::string& noun : a.nouns) {
    if (subject.find(noun) == std::string_view::npos && noun.find(subject) == std::string::npos) {
      slots.set(Slot::noun, noun);
      break;
    }
  }
  // {quality}: the description's own adjective when it has one, sometimes the brand's or the
  // style's, so repeated requests with other seeds do not all read the same.
  std::string_view quality;
  if (!a.noun_phrases.empty() && !a.noun_phrases[0].modifier.empty()) {
    quality = a.noun_phrases[0].modifier;
  } else if (!a.adjectives.empty()) {
    quality = a.adjectives[0];
  }
  std::size_t roll = rng.below(4);
  if (!in.brand_adjective.empty() && (quality.empty() || roll == 0)) {
    quality = in.brand_adjective;
  } else if (quality.empty() || roll == 1) {
    quality = style.adjectives[rng.below(style.adjectives.size())];
  }
  slots.set(Slot::quality, quality);
  slots.set(Slot::topic, in.niche.topic);
  slots.set(Slot::niche, in.niche.audience);

  Draft draft;
  std::string hook, body, swipe, cta;
  std::size_t hook_limit = type == ContentType::story ? kStoryChars : 0;
  draft.choice.hook = choose(style.hooks, slots, rng, taken, &Choice::hook, hook_limit);
  if (draft.choice.hook >= 0) render(style.hooks[draft.choice.hook], slots, hook);
  if (type == ContentType::story && hook.size() > kStoryChars) {
    // A long subject can push any hook past a story's length; take the shortest one instead.
    std::size_t best = 0;
    for (std::size_t i = 1; i < style.hooks.size(); ++i) {
      if (slots.fits(style.hooks[i]) &&
          style.hooks[i].literal_size < style.hooks[best].literal_size) {
        best = i;
      }
    }
    draft.choice.hook = static_cast<int>(best);
    hook.clear();
    render(style.hooks[best], slots, hook);
  }
  if (type == ContentType::post || type == ContentType::carousel || type == ContentType::reel) {
    std::size_t body_limit = type == ContentType::reel ? kReelBodyChars : 0;
    draft.choice.body = choose(style.bodies, slots, rng, taken, &Choice::body, body_limit);
    if (draft.choice.body >= 0) render(style.bodies[draft.choice.body], slots, body);
    draft.choice.cta = choose(style.ctas, slots, rng, taken, &Choice::cta);
    if (draft.choice.cta >= 0) render(style.ctas[draft.choice.cta], slots, cta);
  }
  if (type == ContentType::carousel) {
    render(style.carousel[rng.below(style.carousel.size())], slots, swipe);
  }

  // Every requested keyword must be in the text; missing ones get a sentence of their own.
  std::string lower_text;
  for (const std::string* part : {&hook, &body, &cta}) {
    for (char c : *part) lower_text += lower(c);
    lower_text += ' ';
  }
  std::string missing;
  std::size_t missing_count = 0;
  const auto& keywords = in.request.keywords;
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    if (mentions(lower_text, keywords[i])) continue;
    ++missing_count;
    if (!missing.empty()) missing += ", ";
    missing += keywords[i];
  }
  if (missing_count > 1) {
    std::size_t last = missing.rfind(", ");
    missing.replace(last, 2, " and ");
  }
  std::string keyword_line;
  if (missing_count > 0) {
    slots.keywords = std::move(missing);
    slots.set(Slot::keywords, slots.keywords);
    render(style.keyword_lines[rng.below(style.keyword_lines.size())], slots, keyword_line);
  }
  draft.keywords_present = keywords.size();  // woven in above when they were missing

  for (std::string* part : {&hook, &body, &keyword_line, &swipe, &cta}) polish(*part);

  // Emojis go at the ends of the hook, body and call to action, in turn.
  std::size_t emoji_budget = static_cast<std::size_t>(std::max(style.emoji_density, 0));
  if (type == ContentType::story) emoji_budget = std::min<std::size_t>(emoji_budget, 1);
  if (type == ContentType::reel) emoji_budget = std::min<std::size_t>(emoji_budget, 2);
  std::array<std::string*, 3> anchors{};
  std::size_t anchor_count = 0;
  for (std::string* part : {&hook, &body, &cta}) {
    if (!part->empty()) anchors[anchor_count++] = part;
  }
  std::size_t placed = std::min(emoji_budget, in.emojis.emojis.size());
  for (std::size_t i = 0; i < placed && anchor_count > 0; ++i) {
    attach_emoji(*anchors[i % anchor_count], in.emojis.emojis[i], i < anchor_count);
  }

  draft.hook_chars = hook.size();
  draft.has_cta = !cta.empty();
  std::string& text = draft.text;
  text.reserve(hook.size() + body.size() + keyword_line.size() + swipe.size() + cta.size() + 8);
  text = std::move(hook);
  if (type == ContentType::reel || type == ContentType::story) {
    // Short forms read as one paragraph, hook first.
    for (const std::string* part : {&body, &keyword_line, &cta}) {
      if (part->empty()) continue;
      text += ' ';
      text += *part;
    }
    return draft;
  }
  if (!body.empty() || !keyword_line.empty() || !swipe.empty()) {
    text += "\n\n";
    text += body;
    for (const std::string* part : {&keyword_line, &swipe}) {
      if (part->empty()) continue;
      if (text.back() != '\n') text += ' ';
      text += *part;
    }
  }
  if (!cta.empty()) {
    text += "\n\n";
    text += cta;
  }
  return draft;
}

}  // namespace reelgen::captions::detail
