#include "captions/hashtags.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

constexpr std::size_t kMaxTagBody = 40;

// Latin-1 Supplement and Latin Extended-A letters (U+00C0..U+017F) without their accents;
// '?' marks symbols and ligatures handled apart or dropped.
constexpr std::string_view kLatinAscii =
    "aaaaaa?ceeeeiiiidnooooo?ouuuuy??aaaaaa?ceeeeiiiidnooooo?ouuuuy?y"
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllllnnnnnn?nnoooooo??"
    "rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

}  // namespace

std::string hashtag_body(std::string_view phrase, bool keep_accents) {
  std::string out;
  std::size_t i = 0;
  while (i < phrase.size() && out.size() < kMaxTagBody) {
    std::size_t start = i;
    char32_t cp = next_code_point(phrase, i);
    char c = 0;
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_') {
      c = static_cast<char>(cp);
    } else if (cp >= 'A' && cp <= 'Z') {
      c = static_cast<char>(cp + 32);
    } else if (keep_accents && cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7) {
      if (cp >= 0xC0 && cp <= 0xDE) {
        char32_t l = cp + 0x20;
        out += static_cast<char>(0xC0 | (l >> 6));
        out += static_cast<char>(0x80 | (l & 0x3F));
      } else {
        out.append(phrase.substr(start, i - start));
      }
    } else if (cp == 0xC6 || cp == 0xE6) {
      out += "ae";
    } else if (cp == 0x152 || cp == 0x153) {
      out += "oe";
    } else if (cp == 0xDF) {
      out += "ss";
    } else if (cp == 0xDE || cp == 0xFE) {
      out += "th";
    } else if (cp >= 0xC0 && cp < 0x180 && kLatinAscii[cp - 0xC0] != '?') {
      c = kLatinAscii[cp - 0xC0];
    }
    if (c != 0) out += c;
  }
  if (std::all_of(out.begin(), out.end(),
                  [](char ch) { return (ch >= '0' && ch <= '9') || ch == '_'; })) {
    out.clear();
  }
  return out;
}

bool valid_hashtag(std::string_view tag) {
  if (tag.starts_with('#')) tag.remove_prefix(1);
  if (tag.empty()) return false;
  std::size_t i = 0;
  while (i < tag.size()) {
    char32_t cp = next_code_point(tag, i);
    bool ok = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
              cp == '_' || (cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7);
    if (!ok) return false;
  }
  return true;
}

std::string without_dative_n(std::string word, const std::function<bool(std::string_view)>& known) {
  if (word.size() > 4 && word.ends_with('n') && !known(word) &&
      known(std::string_view(word).substr(0, word.size() - 1))) {
    word.pop_back();
  }
  return word;
}

HashtagPick pick_hashtags(const HashtagSources& sources, int count) {
  HashtagPick pick;
  std::vector<std::string>& tags = pick.tags;
  if (count <= 0) return pick;
  const Analysis& words = sources.words;
  const bool accents = words.language != 0;
  const auto limit = static_cast<std::size_t>(std::min(count, kMaxHashtags));
  tags.reserve(limit);
  // A body as the data files write them (checked at load: valid, not banned).
  auto add_body = [&](std::string_view body) {
    if (tags.size() >= limit || body.size() < 3) return;
    for (const std::string& t : tags) {
      if (std::string_view(t).substr(1) == body) return;
    }
    std::string tag;
    tag.reserve(body.size() + 1);
    tag += '#';
    tag.append(body);
    tags.push_back(std::move(tag));
  };
  auto add = [&](std::string_view phrase) {
    std::string body = hashtag_body(phrase, accents);
    if (sources.known_word) body = without_dative_n(std::move(body), sources.known_word);
    // A tag is read at a glance: long phrases make none.
    if (body.size() > 24 || sources.banned.contains(body)) return;
    add_body(body);
  };
  auto applies = [&](const NicheTag& tag) {
    return tag.applies([&](std::string_view word) { return words.mentions(word); });
  };
  for (const std::string& k : sources.keywords) add(k);
  // Tags are whole entities as the description writes them: a phrase that is not there word for
  // word, carries a number ("12-week", "20 g") or a possessive ("Jordan's"), makes none.
  const std::string description = lower_latin(sources.description);
  auto whole = [&](std::string_view phrase) {
    if (phrase.empty() || phrase.find_first_of("0123456789'") != std::string_view::npos ||
        phrase.find("\xE2\x80\x99") != std::string_view::npos) {
      return false;
    }
    const std::string p = lower_latin(phrase);
    for (std::size_t at = description.find(p); at != std::string::npos;
         at = description.find(p, at + 1)) {
      // Not the tail of a quantity: "20 g protein" holds no #gprotein.
      const bool after_number = at >= 2 && description[at - 1] == ' ' &&
                                description[at - 2] >= '0' && description[at - 2] <= '9';
      const bool starts =
          !after_number && (at == 0 || description[at - 1] == ' ' || description[at - 1] == '(');
      const std::size_t end = at + p.size();
      const bool ends =
          end == description.size() ||
          std::string_view(" ,.!?:;)").find(description[end]) != std::string_view::npos ||
          (description[end] == 's' &&
           (end + 1 == description.size() || description[end + 1] == ' '));
      // Not a name cut short: "promo di San" out of "promo di San Valentino".
      const bool cuts_name = end + 1 < sources.description.size() &&
                             sources.description[end] == ' ' &&
                             std::isupper(static_cast<unsigned char>(sources.description[end + 1]));
      if (starts && ends && !cuts_name) return true;
    }
    return false;
  };
  // The subject whole, then its last two words ("vegan protein bar": #veganproteinbar,
  // #proteinbar); a single generic head ("bar") says too little, and in the wrong sense.
  // A subject of one word is a tag only when it names a niche's topic ("sunset", "ramen") or is
  // long enough to be specific ("kindergarten", "Schokoladenkuchen"), not a word any post could
  // hold ("team", "version", "menu").
  constexpr std::size_t kSpecificWordBytes = 9;
  const std::string_view subject = sources.subject;
  const std::size_t last_space = subject.rfind(' ');
  const bool one_word = last_space == std::string_view::npos;
  // Other languages put the head first ("clase de yoga"): no tail tags, and no long phrases.
  // Three words at most: a longer phrase ("fitness new year promo") is no tag anyone follows.
  const bool english = words.language == 0;
  const bool short_enough = std::count(subject.begin(), subject.end(), ' ') <= 2;
  // A name among common words ("barista Theo") is neither the name's tag nor the thing's; in
  // languages that put the head first, a phrase that stops before more of itself ("pan de masa"
  // of "pan de masa madre") is cut short.
  // The first word's capital may be the sentence's ("Golden retriever Max").
  bool capital = false, lower = false;
  for (std::size_t i = 1; i < subject.size(); ++i) {
    if (subject[i - 1] == ' ') {
      capital = capital || std::isupper(static_cast<unsigned char>(subject[i]));
      lower = lower || std::islower(static_cast<unsigned char>(subject[i]));
    }
  }
  const bool mixed = english && capital && lower && !one_word;
  bool cut_short = false;
  if (!english && !one_word && sources.stopword) {
    const std::string lower_subject = lower_latin(subject);
    const std::size_t at = description.find(lower_subject);
    if (at != std::string::npos) {
      const std::size_t next = at + lower_subject.size();
      if (next < description.size() && description[next] == ' ') {
        const std::size_t end = description.find_first_of(" ,.!?:;", next + 1);
        const std::string_view word =
            std::string_view(description).substr(next + 1, end - next - 1);
        cut_short = !word.empty() && !sources.stopword(word);
      }
    }
  }
  // A phrase that starts with a count ("trois astuces", "Drei Tipps") or holds a word of one of
  // lists (a verb: "boulangerie sera fermée") is a sentence's piece, not a thing anyone follows.
  auto counted_or_holds = [&](std::string_view text,
                              std::initializer_list<std::string_view> lists) {
    thread_local std::vector<Word> parts;
    tokenize(text, parts);
    if (parts.empty()) return false;
    if (sources.post_words.is("number_words", parts.front().lower)) return true;
    return std::any_of(parts.begin(), parts.end(), [&](const Word& w) {
      return std::any_of(lists.begin(), lists.end(), [&](std::string_view list) {
        return sources.post_words.is(list, w.lower);
      });
    });
  };
  const bool counted_or_verbal = counted_or_holds(subject, {"verbs"});
  // A phrase led by a gerund is an action ("serving till midnight"), not a thing.
  const std::string_view lead = subject.substr(0, subject.find(' '));
  const bool action = english && !one_word && lead.ends_with("ing") && sources.verb_form &&
                      sources.verb_form(lower_latin(lead)) &&
                      !(sources.collocation && sources.collocation(subject));
  if (whole(subject) && short_enough && !mixed && !cut_short && !action && !counted_or_verbal &&
      (!one_word || subject.size() >= kSpecificWordBytes ||
       (sources.topic_word && sources.topic_word(lower_latin(subject))))) {
    add(subject);
    if (!one_word && english) {
      const std::size_t before = subject.rfind(' ', last_space - 1);
      const std::string_view tail =
          subject.substr(before == std::string_view::npos ? 0 : before + 1);
      // "Vitamin C Serum" makes no #cserum.
      const bool letters = tail.find(' ') > 1 && subject.size() - last_space > 2;
      if (before != std::string_view::npos && letters) add(tail);
    }
  }
  // Names of several words and places: a first name alone (#emma) is nobody's tag, nor two
  // joined (#danaandluis, #tacomaandpuyallup), nor an address (#elmstreet), nor a count
  // ("Drei Tipps").
  auto joins_or_addresses = [&](std::string_view text) {
    return counted_or_holds(text, {"list_and", "street_words"}) ||
           text.find('&') != std::string_view::npos;
  };
  for (const Fact& f : sources.post.facts) {
    const bool several = f.text.find(' ') != std::string::npos;
    if (joins_or_addresses(f.text)) continue;
    if (f.kind == FactKind::place || (f.kind == FactKind::name && several)) {
      if (std::count(f.text.begin(), f.text.end(), ' ') < 3 && whole(f.text)) add(f.text);
    }
  }
  // Collocations the description uses ("latte art", "half marathon") are whole entities too.
  // Collocations the lexicon knows ("latte art", "half marathon") are entities too; a pair of
  // nouns it does not know ("window bar") is no tag anyone follows.
  for (const NounPhrase& p : words.noun_phrases) {
    if (!p.compound || p.head.find(' ') == std::string::npos || !sources.collocation) continue;
    if (std::count(p.head.begin(), p.head.end(), ' ') < 2 && sources.collocation(p.head) &&
        whole(p.head)) {
      add(p.head);
    }
  }
  // The niche's tags for the words the description uses, those for its first words first (what
  // a post is about comes first: a listing's "kitchen" is a detail), three at most.
  const auto& niche = sources.niche.hashtags[words.language];
  std::vector<std::pair<std::size_t, std::string_view>> sensed;
  for (const NicheTag& tag : niche) {
    if (tag.needs.empty()) continue;
    std::size_t first = std::string::npos;
    bool mentioned = false;
    tag.applies([&](std::string_view word) {
      if (!words.mentions(word)) return false;
      mentioned = true;
      std::string spaced(word.starts_with('~') ? word.substr(1) : word);
      std::replace(spaced.begin(), spaced.end(), '_', ' ');
      first = std::min(first, description.find(spaced));
      return false;  // look at every word of the condition
    });
    if (mentioned) sensed.emplace_back(first, tag.tag);
  }
  std::stable_sort(sensed.begin(), sensed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  constexpr std::size_t kSenseTags = 3;
  for (std::size_t i = 0; i < sensed.size() && i < kSenseTags; ++i) add_body(sensed[i].second);
  pick.relevant = tags.size();
  // The niche's general tags (#foodie, #travelgram) only to make up a minimal set, and only when
  // the niche is clear: beside specific tags, or under the wrong niche, they read as filler. A
  // niche one word points to is not clear, however strongly: "patio" may be a restaurant's,
  // "class" a spin class. A post that has no tag at all gets two when the niche is likely.
  constexpr std::size_t kMinimalSet = 3, kLastResort = 2;
  constexpr double kClearNiche = 0.5, kLikelyNiche = 0.3;
  constexpr int kWitnesses = 2;
  const bool clear = words.niche_confidence >= kClearNiche && words.niche_witnesses >= kWitnesses;
  const bool likely = words.niche_confidence >= kLikelyNiche && words.niche_witnesses >= kWitnesses;
  const std::size_t wanted = clear ? kMinimalSet : likely && tags.empty() ? kLastResort : 0;
  for (const NicheTag& tag : niche) {
    if (tags.size() >= wanted) break;
    if (tag.needs.empty()) add_body(tag.tag);
  }
  pick.relevant = tags.size();
  if (sources.generic) {
    for (const NicheTag& tag : sources.reach) {
      if (applies(tag)) add_body(tag.tag);
    }
  }
  return pick;
}

}  // namespace reelgen::captions::detail
