#include "captions/hashtags.hpp"

#include <algorithm>

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
    tags.push_back("#" + std::string(body));
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
  // The subject whole, then its last two words ("vegan protein bar": #veganproteinbar,
  // #proteinbar); a single generic head ("bar") says too little, and in the wrong sense.
  add(sources.subject);
  const std::string_view subject = sources.subject;
  const std::size_t last_space = subject.rfind(' ');
  if (last_space != std::string_view::npos) {
    const std::size_t before = subject.rfind(' ', last_space - 1);
    if (before != std::string_view::npos) add(subject.substr(before + 1));
  }
  for (const Fact& f : sources.post.facts) {
    if (f.kind != FactKind::name && f.kind != FactKind::place) continue;
    if (std::count(f.text.begin(), f.text.end(), ' ') < 3) add(f.text);
  }
  // Collocations the description uses ("latte art", "half marathon") are whole entities too.
  for (const NounPhrase& p : words.noun_phrases) {
    if (p.compound && p.head.find(' ') != std::string::npos &&
        std::count(p.head.begin(), p.head.end(), ' ') < 2)
      add(p.head);
  }
  const auto& niche = sources.niche.hashtags[words.language];
  for (const NicheTag& tag : niche) {
    if (!tag.needs.empty() && applies(tag)) add_body(tag.tag);
  }
  pick.relevant = tags.size();
  // The niche's general tags, a few: more would be filler.
  constexpr std::size_t kGeneralNicheTags = 3;
  std::size_t general = 0;
  if (words.niche_confidence > 0) {
    for (const NicheTag& tag : niche) {
      if (tag.needs.empty() && general < kGeneralNicheTags) {
        const std::size_t before = tags.size();
        add_body(tag.tag);
        general += tags.size() - before;
      }
    }
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
