#pragma once
// English words from WordNet 3.0: parts of speech, base forms and collocations
// ("golden_retriever"). Backed by tables generated at build time (scripts/gen-lexicon.py).

#include <cstdint>
#include <string>
#include <string_view>

#include "captions/sorted_lines.hpp"

namespace reelgen::captions::detail {

enum class Pos : std::uint8_t { other, noun, verb, adjective, adverb };

struct WordSense {
  std::string lemma;          // base form, '_' joins the words of a collocation
  Pos dominant = Pos::other;  // the most frequent part of speech in tagged text
  std::uint8_t mask = 0;      // every part of speech the lemma has, bit (1 << Pos)
  bool known = false;         // found in WordNet (directly or through a base form)

  bool can_be(Pos pos) const { return (mask & (1u << static_cast<unsigned>(pos))) != 0; }
};

class Lexicon {
 public:
  Lexicon(SortedLines words, SortedLines noun_exceptions, SortedLines verb_exceptions)
      : words_(std::move(words)),
        noun_exc_(std::move(noun_exceptions)),
        verb_exc_(std::move(verb_exceptions)) {}

  // word must be lower case. Tries the word itself, then its singular, then its verb base form.
  WordSense lookup(std::string_view word) const;

  // The singular of a lower-case noun ("puppies" -> "puppy", "geese" -> "goose"); the word
  // itself when it is not a known plural.
  std::string singular(std::string_view word) const;

  // The base form when word is an inflected verb ("running" -> "run") whose base is used
  // mostly as a verb, else "".
  std::string verb_lemma(std::string_view word) const;

  // True when the '_'-joined lemma is a WordNet noun, e.g. "ice_cream".
  bool is_noun(std::string_view lemma) const;
  // True when some WordNet lemma starts with prefix, e.g. "ice_" (ice_cream, ice_skating).
  bool starts_collocation(std::string_view prefix) const { return words_.has_prefix(prefix); }

  std::size_t memory_bytes() const {
    return words_.memory_bytes() + noun_exc_.memory_bytes() + verb_exc_.memory_bytes();
  }

 private:
  bool sense_of(std::string_view lemma, WordSense& out) const;
  bool verb_base(std::string_view word, WordSense& out) const;

  SortedLines words_;
  SortedLines noun_exc_;
  SortedLines verb_exc_;
};

}  // namespace reelgen::captions::detail
