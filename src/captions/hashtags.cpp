#include "captions/hashtags.hpp"

#include <algorithm>

#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

constexpr std::size_t kMaxTagBody = 40;
constexpr std::size_t kStyleTagsBeforeNiche = 3;

// Latin-1 Supplement and Latin Extended-A letters (U+00C0..U+017F) without their accents;
// '?' marks symbols and ligatures handled apart or dropped.
constexpr std::string_view kLatinAscii =
    "aaaaaa?ceeeeiiiidnooooo?ouuuuy??aaaaaa?ceeeeiiiidnooooo?ouuuuy?y"
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllllnnnnnn?nnoooooo??"
    "rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t space = text.find(' ');
    if (space != 0) out.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

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

std::vector<std::string> compound_parts(std::string_view word,
                                        const std::function<bool(std::string_view)>& known) {
  constexpr std::size_t kMinEnding = 4, kMinStart = 3;
  std::vector<std::string> parts;
  if (word.size() < kMinStart + kMinEnding + 1) return parts;  // too short to hold two words
  for (std::size_t cut = kMinStart; cut + kMinEnding <= word.size(); ++cut) {
    if ((static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) continue;  // inside a letter
    if (!known(word.substr(cut))) continue;
    parts.emplace_back(word.substr(cut));
    const std::string_view start = word.substr(0, cut);
    for (std::string_view link : {"", "s", "n", "en", "es"}) {
      if (start.size() >= kMinStart + link.size() && start.ends_with(link) &&
          known(start.substr(0, start.size() - link.size()))) {
        parts.emplace_back(start.substr(0, start.size() - link.size()));
        break;
      }
    }
    break;
  }
  return parts;
}

HashtagPick pick_hashtags(const HashtagSources& sources, int count, std::size_t rotation) {
  HashtagPick pick;
  std::vector<std::string>& tags = pick.tags;
  if (count <= 0) return pick;
  const Analysis& analysis = sources.analysis;
  const bool accents = analysis.language != 0;
  auto limit = static_cast<std::size_t>(std::min(count, 30));
  tags.reserve(limit);
  // A body as the data files write them (checked at load: valid, not banned).
  auto add_body = [&](std::string_view body) {
    if (tags.size() >= limit) return;
    // Unique ignoring case; bodies are lower case already, accents included.
    for (const std::string& t : tags) {
      if (std::string_view(t).substr(1) == body) return;
    }
    tags.push_back("#" + std::string(body));
  };
  std::string body;
  auto add = [&](std::string_view phrase) {
    if (tags.size() >= limit) return;
    body = hashtag_body(phrase, accents);
    if (body.size() < 3 || sources.banned.contains(body)) return;
    add_body(body);
  };
  auto applies = [&](const NicheTag& tag) {
    return tag.applies([&](std::string_view word) { return analysis.mentions(word); });
  };
  // Relevance first: what the caller asked for, then the description's own phrases and nouns.
  for (const std::string& k : sources.keywords) add(k);
  for (const NounPhrase& p : analysis.noun_phrases) {
    if (p.compound) add(p.head);
  }
  for (const std::string& noun : analysis.nouns) {
    add(sources.known_word ? without_dative_n(hashtag_body(noun, true), sources.known_word) : noun);
  }
  if (sources.known_word) {
    for (const std::string& noun : analysis.nouns) {
      for (const std::string& part : compound_parts(hashtag_body(noun, true), sources.known_word)) {
        add(part);
      }
    }
  }
  // One step away in WordNet: "puppy" -> #pup, "sneaker" -> #shoe, "wedding" -> #ceremony.
  if (sources.relatives != nullptr) {
    constexpr std::size_t kMaxNounsWithRelatives = 2;
    std::string key;
    for (std::size_t i = 0; i < analysis.nouns.size() && i < kMaxNounsWithRelatives; ++i) {
      key = analysis.nouns[i];
      std::replace(key.begin(), key.end(), ' ', '_');
      for (char& c : key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      auto related = sources.relatives->find(key);
      if (!related) continue;
      for (std::string_view word : split_words(*related)) add(word);
    }
  }
  pick.relevant = tags.size();

  // Then the niche's community tags that fit the description (a dog never gets
  // #catsofinstagram), tags the description spells out first.
  const auto& niche = sources.niche.hashtags[analysis.language];
  std::size_t before_niche = tags.size();
  if (analysis.niche_confidence > 0) {
    for (const NicheTag& tag : niche) {
      if (!tag.needs.empty() && applies(tag)) add_body(tag.tag);
    }
    for (std::size_t i = 0; i < niche.size(); ++i) {
      const NicheTag& tag = niche[(i + rotation) % niche.size()];
      if (tag.needs.empty()) add_body(tag.tag);
    }
  }
  pick.relevant += tags.size() - before_niche;

  // Then the style's and broad reach tags to fill the requested count.
  const auto& style = sources.style.hashtags;
  std::size_t style_first = std::min(kStyleTagsBeforeNiche, style.size());
  for (std::size_t i = 0; i < style_first; ++i) add_body(style[(i + rotation) % style.size()]);
  if (analysis.niche_confidence <= 0) {
    for (std::size_t i = 0; i < niche.size(); ++i) {
      const NicheTag& tag = niche[(i + rotation) % niche.size()];
      if (applies(tag)) add_body(tag.tag);
    }
  }
  for (const NicheTag& tag : sources.reach) {
    if (applies(tag)) add_body(tag.tag);
  }
  for (std::size_t i = style_first; i < style.size(); ++i)
    add_body(style[(i + rotation) % style.size()]);
  return pick;
}

}  // namespace reelgen::captions::detail
