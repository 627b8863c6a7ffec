#include "captions/lexicon.hpp"

#include <array>

#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

Pos pos_of(char c) {
  switch (c) {
    case 'n':
      return Pos::noun;
    case 'v':
      return Pos::verb;
    case 'a':
      return Pos::adjective;
    case 'r':
      return Pos::adverb;
    default:
      return Pos::other;
  }
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace

bool Lexicon::sense_of(std::string_view lemma, WordSense& out) const {
  auto flags = words_.find(lemma);
  if (!flags || flags->empty()) return false;
  out.lemma.assign(lemma);
  out.dominant = pos_of((*flags)[0]);
  out.mask = 0;
  for (char c : *flags)
    out.mask |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(pos_of(c)));
  out.known = true;
  return true;
}

bool Lexicon::is_noun(std::string_view lemma) const {
  WordSense sense;
  return sense_of(lemma, sense) && sense.can_be(Pos::noun);
}

std::string Lexicon::singular(std::string_view word) const {
  if (auto base = noun_exc_.find(word)) return std::string(*base);
  if (words_.contains(word) && !ends_with_stem(word, "s", 2)) return std::string(word);
  std::string candidate;
  // Ordered from the most specific ending to the least, as WordNet's morphy does.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kRules = {{
      {"ies", "y"},
      {"ves", "f"},
      {"ves", "fe"},
      {"ches", "ch"},
      {"shes", "sh"},
      {"xes", "x"},
      {"ses", "s"},
      {"s", ""},
  }};
  for (const auto& [suffix, replacement] : kRules) {
    if (!ends_with_stem(word, suffix, 2) || ends_with_stem(word, "ss", 2)) continue;
    candidate.assign(word.substr(0, word.size() - suffix.size()));
    candidate.append(replacement);
    if (is_noun(candidate)) return candidate;
  }
  if (words_.contains(word)) return std::string(word);
  // Unknown words (names, brands, new coinages): strip a plain plural 's' and hope.
  if (ends_with_stem(word, "s", 2) && !ends_with_stem(word, "ss", 2) &&
      !ends_with_stem(word, "us", 2) && !ends_with_stem(word, "is", 2)) {
    return std::string(word.substr(0, word.size() - 1));
  }
  return std::string(word);
}

bool Lexicon::verb_base(std::string_view word, WordSense& out) const {
  if (auto base = verb_exc_.find(word)) return sense_of(*base, out);
  std::string stem;
  auto try_stem = [&](std::string_view s) {
    WordSense sense;
    if (sense_of(s, sense) && sense.can_be(Pos::verb)) {
      out = std::move(sense);
      out.dominant = Pos::verb;
      return true;
    }
    return false;
  };
  for (std::string_view suffix : {std::string_view("ing"), std::string_view("ed")}) {
    if (!ends_with_stem(word, suffix, 2)) continue;
    stem.assign(word.substr(0, word.size() - suffix.size()));
    if (try_stem(stem)) return true;
    if (try_stem(stem + "e")) return true;
    // "running" -> "run": an undoubled final consonant.
    if (stem.size() >= 3 && stem.back() == stem[stem.size() - 2] && !is_vowel(stem.back())) {
      stem.pop_back();
      if (try_stem(stem)) return true;
    }
  }
  if (ends_with_stem(word, "es", 2)) {
    stem.assign(word.substr(0, word.size() - 2));
    if (try_stem(stem)) return true;
  }
  if (ends_with_stem(word, "s", 2)) {
    stem.assign(word.substr(0, word.size() - 1));
    if (try_stem(stem)) return true;
  }
  return false;
}

std::string Lexicon::verb_lemma(std::string_view word) const {
  WordSense sense;
  if (!verb_base(word, sense)) return {};
  // "evening" is not a form of "even": the base must be mostly a verb itself.
  WordSense base;
  if (!sense_of(sense.lemma, base) || base.dominant != Pos::verb) return {};
  return sense.lemma;
}

WordSense Lexicon::lookup(std::string_view word) const {
  WordSense sense;
  if (sense_of(word, sense)) return sense;
  std::string single = singular(word);
  if (single != word && sense_of(single, sense) && sense.can_be(Pos::noun)) {
    sense.dominant = Pos::noun;
    return sense;
  }
  if (verb_base(word, sense)) return sense;
  sense = WordSense{};
  sense.lemma = single;
  return sense;
}

}  // namespace reelgen::captions::detail
