#pragma once
// Reads a content description: words, parts of speech, collocations, noun phrases, ranked
// keywords and the niche it belongs to. Pure function of its input and the loaded data.

#include <string>
#include <string_view>
#include <vector>

#include "captions/language.hpp"
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
  // A word of a name before its last ("Petal", "Stem" of "Petal & Stem Florist"): it names,
  // it does not describe, so it votes for no niche and asks for no niche tag or emoji.
  bool naming = false;
  double weight = 0;  // relevance, higher first
};

struct NounPhrase {
  std::string head;      // the noun part, last word singular: "golden retriever puppy"
  std::string modifier;  // the first adjective before the head, may be empty
  double score = 0;
  bool compound = false;  // the head has more than one word
  std::size_t start = 0;  // index of its first term: the first phrase is what a post is about
};

// What the caption talks about, with what the grammar of its language needs to write it.
struct Subject {
  std::string text;  // "golden retriever", "puesta de sol", "Sonnenuntergang"
  Gender gender = Gender::masculine;
  bool plural = false;
  bool proper = false;  // a name: no article ("this Paris" reads wrong)
  bool mass = false;    // English mass noun: no "a" ("a cozy coffee" reads wrong)
  bool found = false;   // false when the description has no noun
};

struct Analysis {
  std::vector<Term> terms;
  std::vector<NounPhrase> noun_phrases;  // best first
  std::vector<std::string> nouns;        // unique, singular, best first
  std::vector<std::string> adjectives;   // unique, in order of appearance
  std::vector<std::string> keywords;     // unique lemmas (nouns, adjectives, verbs), best first
  std::size_t niche = 0;                 // index into the NicheSet
  double niche_confidence = 0;           // 0..1; 0 when the fallback niche was taken
  int niche_witnesses = 0;               // the description's words (and keywords) that voted for it
  Subject subject;
  std::vector<std::string> cues;  // sorted lower-case words and lemmas, keywords included
  std::size_t language = 0;       // index into kLanguages

  // True when word is among the cues; "~word" (a word of several senses in data/captions/
  // niches.txt) only when the niche has at least two witnesses.
  bool mentions(std::string_view word) const;
};

// Counts, per niche, the words whose vote gave it real evidence (a third of the word's weight).
struct NicheWitnesses {
  std::vector<double> before;
  std::vector<int> words;
  void reset(std::size_t niches) { words.assign(niches, 0); }
  void mark(const std::vector<double>& scores) { before = scores; }
  void count(const std::vector<double>& scores, double weight) {
    for (std::size_t i = 0; i < words.size(); ++i) words[i] += scores[i] - before[i] >= weight / 3;
  }
};

class Analyzer {
 public:
  Analyzer(const Lexicon& lexicon, const SortedLines& stopwords, const NicheSet& niches,
           const SortedLines& topics)
      : lexicon_(lexicon), stopwords_(stopwords), niches_(niches), topics_(topics) {}

  // English, through WordNet. keywords and audience only steer the niche; they are not part of
  // the description's terms.
  Analysis analyze(std::string_view description, const std::vector<std::string>& keywords,
                   std::string_view audience) const;

  // Any language: English goes through WordNet, the others through their language pack (stop
  // words, articles, gender rules) and the niche triggers of that language.
  Analysis analyze(std::string_view description, const std::vector<std::string>& keywords,
                   std::string_view audience, const LanguagePack& language) const;

 private:
  void tag(std::vector<Term>& terms) const;
  Analysis analyze_other(std::string_view description, const std::vector<std::string>& keywords,
                         std::string_view audience, const LanguagePack& language) const;
  void classify(Analysis& analysis, const std::vector<std::string>& keywords,
                std::string_view audience) const;
  // Adds weight times the evidence for each niche (at most 1 per niche) to scores: lemma's
  // triggers and, unless noun is empty, noun's WordNet topics. False when there is none.
  bool vote_word(std::string_view lemma, std::string_view noun, double weight,
                 std::vector<double>& scores) const;
  // Picks the best niche from scores and fills analysis.niche, niche_confidence and
  // niche_witnesses.
  void decide(Analysis& analysis, const std::vector<double>& scores,
              const NicheWitnesses& witnesses) const;

  const Lexicon& lexicon_;
  const SortedLines& stopwords_;
  const NicheSet& niches_;
  const SortedLines& topics_;  // WordNet noun lemma -> niche scores
};

}  // namespace reelgen::captions::detail
