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

}  // namespace

std::string hashtag_body(std::string_view phrase) {
  std::string out;
  std::size_t i = 0;
  while (i < phrase.size() && out.size() < kMaxTagBody) {
    char32_t cp = next_code_point(phrase, i);
    char c = 0;
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_') {
      c = static_cast<char>(cp);
    } else if (cp >= 'A' && cp <= 'Z') {
      c = static_cast<char>(cp + 32);
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

HashtagPick pick_hashtags(const HashtagSources& sources, int count, std::size_t rotation) {
  HashtagPick pick;
  std::vector<std::string>& tags = pick.tags;
  if (count <= 0) return pick;
  auto limit = static_cast<std::size_t>(std::min(count, 30));
  tags.reserve(limit);
  auto add = [&](std::string_view phrase) {
    if (tags.size() >= limit) return;
    std::string body = hashtag_body(phrase);
    if (body.empty() || sources.banned.contains(body)) return;
    for (const std::string& t : tags) {
      if (std::string_view(t).substr(1) == body) return;
    }
    tags.push_back("#" + body);
  };
  for (const std::string& k : sources.keywords) add(k);
  for (const NounPhrase& p : sources.analysis.noun_phrases) {
    if (p.compound) add(p.head);
  }
  for (const std::string& noun : sources.analysis.nouns) add(noun);
  pick.relevant = tags.size();

  const auto& style = sources.style.hashtags;
  const auto& niche = sources.niche.hashtags;
  std::size_t style_first = std::min(kStyleTagsBeforeNiche, style.size());
  for (std::size_t i = 0; i < style_first; ++i) add(style[(i + rotation) % style.size()]);
  std::size_t before_niche = tags.size();
  for (std::size_t i = 0; i < niche.size(); ++i) add(niche[(i + rotation) % niche.size()]);
  pick.relevant += tags.size() - before_niche;
  for (std::string_view tag : sources.reach) add(tag);
  for (std::size_t i = style_first; i < style.size(); ++i)
    add(style[(i + rotation) % style.size()]);
  return pick;
}

}  // namespace reelgen::captions::detail
