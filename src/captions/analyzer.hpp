#pragma once
// Reads a content description: words, parts of speech, collocations, noun phrases, ranked
// keywords and the niche it belongs to. Pure function of its input and the loaded data.

#include <string>
#include <string_view>
#include <vector>

#include "captions/lexicon.hpp"
#include "captions/niches.hpp"
#include "captions/sorted_lines.hpp"

namespace reelgen::captions::detail {

// One word of the description, or several when they form a WordNet collocation.
struct Term {
  std::string text;   // how to write it: lower case unless a proper noun; words joined by ' '
  std::string lemma;  // base form (singular noun, verb infinitive); '_' joins collocations
  Pos pos = Pos::other;
  bool stop = false;
  bool proper = false;    // capitalized mid-sentence, written as given
  bool compound = false;  // a collocation of two or more words
  double weight = 0;      // relevance, higher first
};

struct NounPhrase {
  std::string head;      // the noun part, last word singular: "golden retriever puppy"
  std::string modifier;  // the first adjective before the head, may be empty
  double score = 0;
  bool compound = false;  // the head has more than one word
};

struct Analysis {
  std::vector<Term> terms;
  std::vector<NounPhrase> noun_phrases;  // best first
  std::vector<std::string> nouns;        // unique, singular, best first
  std::vector<std::string> adjectives;   // unique, in order of appearance
  std::vector<std::string> keywords;     // unique lemmas (nouns, adjectives, verbs), best first
  std::size_t niche = 0;                 // index into the NicheSet
};

class Analyzer {
 public:
  Analyzer(const Lexicon& lexicon, const SortedLines& stopwords, const NicheSet& niches)
      : lexicon_(lexicon), stopwords_(stopwords), niches_(niches) {}

  // keywords and audience only steer the niche; they are not part of the description's terms.
  Analysis analyze(std::string_view description, const std::vector<std::string>& keywords,
                   std::string_view audience) const;

 private:
  void tag(std::vector<Term>& terms) const;
  std::size_t classify(const Analysis& analysis, const std::vector<std::string>& keywords,
                       std::string_view audience) const;

  const Lexicon& lexicon_;
  const SortedLines& stopwords_;
  const NicheSet& niches_;
};

}  // namespace reelgen::captions::detail
