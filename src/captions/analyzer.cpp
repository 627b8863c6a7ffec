#include "captions/analyzer.hpp"

#include <algorithm>
#include <array>

#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

constexpr std::size_t kMaxCollocationWords = 3;
constexpr std::size_t kMaxHeadWords = 3;

bool is_determiner(std::string_view w) {
  static constexpr std::array<std::string_view, 13> kDeterminers = {
      "a",   "an",    "the",  "my",   "our",   "your", "his",
      "her", "their", "this", "that", "these", "those"};
  return std::find(kDeterminers.begin(), kDeterminers.end(), w) != kDeterminers.end();
}

bool all_digits(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

double weight_of(Pos pos) {
  switch (pos) {
    case Pos::noun:
      return 3.0;
    case Pos::adjective:
      return 1.5;
    case Pos::verb:
      return 1.2;
    case Pos::adverb:
      return 0.3;
    default:
      return 0.0;
  }
}

std::string lemma_text(std::string_view lemma) {
  std::string out(lemma);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

void add_unique(std::vector<std::string>& list, std::string_view item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.emplace_back(item);
}

}  // namespace

void Analyzer::tag(std::vector<Term>& terms) const {
  for (std::size_t i = 0; i < terms.size(); ++i) {
    Term& t = terms[i];
    if (t.stop || t.pos == Pos::other || t.compound || t.proper) continue;
    const Term* next = i + 1 < terms.size() ? &terms[i + 1] : nullptr;
    const Term* prev = i > 0 ? &terms[i - 1] : nullptr;
    bool next_is_noun = next && !next->stop && next->pos == Pos::noun;
    bool after_determiner = prev && prev->stop && is_determiner(prev->lemma);
    bool after_adjective = prev && !prev->stop && prev->pos == Pos::adjective;
    if (ends_with(t.text, "ing") && !next_is_noun && !after_determiner && !after_adjective) {
      // "golden retriever playing in the snow"; "running shoes" and "my wedding" stay nouns.
      std::string base = lexicon_.verb_lemma(t.text);
      if (!base.empty()) {
        t.pos = Pos::verb;
        t.lemma = std::move(base);
      }
      continue;
    }
    if (t.pos == Pos::verb && (after_determiner || after_adjective) &&
        lexicon_.lookup(t.text).can_be(Pos::noun)) {
      t.pos = Pos::noun;
      t.lemma = lexicon_.singular(t.text);
    }
  }
}

Analysis Analyzer::analyze(std::string_view description, const std::vector<std::string>& keywords,
                           std::string_view audience) const {
  Analysis out;
  thread_local std::vector<Word> words;
  tokenize(description, words);
  std::size_t capitals = 0;
  for (const Word& w : words) capitals += w.capitalized ? 1 : 0;
  // Title Case or ALL CAPS descriptions say nothing about proper nouns.
  bool capitals_mean_names = capitals * 2 <= words.size();

  out.terms.reserve(words.size());
  std::string joined;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    Term t;
    t.stop = stopwords_.contains(w.lower);
    // A collocation: first and last word content words, longest first ("ice cream cone").
    if (!t.stop) {
      bool merged = false;
      for (std::size_t n = std::min(kMaxCollocationWords, words.size() - i); n >= 2 && !merged;
           --n) {
        const Word& last = words[i + n - 1];
        if (stopwords_.contains(last.lower)) continue;
        joined.clear();
        for (std::size_t k = 0; k + 1 < n; ++k) {
          joined += words[i + k].lower;
          joined += '_';
        }
        std::size_t prefix = joined.size();
        joined += last.lower;
        bool found = lexicon_.is_noun(joined);
        if (!found) {
          joined.resize(prefix);
          joined += lexicon_.singular(last.lower);
          found = joined.size() > prefix && lexicon_.is_noun(joined);
        }
        if (!found) continue;
        t.lemma = joined;
        t.text = lemma_text(joined);
        t.pos = Pos::noun;
        t.compound = true;
        i += n - 1;
        merged = true;
      }
      if (merged) {
        out.terms.push_back(std::move(t));
        continue;
      }
    }
    t.text = w.lower;
    if (t.stop) {
      t.lemma = w.lower;
    } else if (all_digits(w.lower)) {
      t.lemma = w.lower;
      t.pos = Pos::other;
    } else {
      WordSense sense = lexicon_.lookup(w.lower);
      t.lemma = std::move(sense.lemma);
      if (sense.known) {
        t.pos = sense.dominant == Pos::adverb && sense.can_be(Pos::adjective) ? Pos::adjective
                                                                              : sense.dominant;
      } else {
        // Unknown words are mostly names, brands and places.
        t.pos = ends_with(w.lower, "ly") ? Pos::adverb : Pos::noun;
      }
      t.proper = capitals_mean_names && w.capitalized && !w.sentence_start;
      if (t.proper) {
        t.text.assign(w.surface);
        t.lemma = w.lower;
      }
    }
    out.terms.push_back(std::move(t));
  }
  tag(out.terms);

  const double n = static_cast<double>(std::max<std::size_t>(out.terms.size(), 1));
  for (std::size_t i = 0; i < out.terms.size(); ++i) {
    Term& t = out.terms[i];
    if (t.stop) continue;
    // Earlier words usually name the subject; compounds and names are specific.
    t.weight = weight_of(t.pos) + 1.0 - static_cast<double>(i) / n + (t.compound ? 1.5 : 0.0) +
               (t.proper ? 0.5 : 0.0);
  }

  // Noun phrases: runs of adjectives and nouns, ending at a noun.
  for (std::size_t i = 0; i < out.terms.size();) {
    auto in_phrase = [&](std::size_t k) {
      const Term& t = out.terms[k];
      return !t.stop && (t.pos == Pos::noun || t.pos == Pos::adjective);
    };
    if (!in_phrase(i)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < out.terms.size() && in_phrase(end)) ++end;
    std::size_t last = end;
    while (last > i && out.terms[last - 1].pos != Pos::noun) --last;
    if (last > i) {
      std::size_t head_start = last;
      while (head_start > i && out.terms[head_start - 1].pos == Pos::noun &&
             last - head_start < kMaxHeadWords) {
        --head_start;
      }
      NounPhrase phrase;
      for (std::size_t k = head_start; k < last; ++k) {
        const Term& t = out.terms[k];
        if (!phrase.head.empty()) phrase.head += ' ';
        // The last noun is the one that takes the plural: "golden retriever puppies".
        phrase.head += (k + 1 == last && !t.proper) ? lemma_text(t.lemma) : t.text;
        phrase.score += t.weight;
        phrase.compound = phrase.compound || t.compound || k > head_start;
      }
      for (std::size_t k = i; k < head_start; ++k) {
        phrase.score += out.terms[k].weight * 0.5;
        if (phrase.modifier.empty() && out.terms[k].pos == Pos::adjective) {
          phrase.modifier = out.terms[k].text;
        }
      }
      out.noun_phrases.push_back(std::move(phrase));
    }
    i = end;
  }
  std::stable_sort(out.noun_phrases.begin(), out.noun_phrases.end(),
                   [](const NounPhrase& a, const NounPhrase& b) { return a.score > b.score; });

  std::vector<const Term*> ranked;
  ranked.reserve(out.terms.size());
  for (const Term& t : out.terms) {
    if (!t.stop && t.pos != Pos::other && t.pos != Pos::adverb) ranked.push_back(&t);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Term* a, const Term* b) { return a->weight > b->weight; });
  for (const Term* t : ranked) {
    std::string text = t->proper ? t->text : lemma_text(t->lemma);
    add_unique(out.keywords, text);
    if (t->pos == Pos::noun) add_unique(out.nouns, text);
  }
  for (const Term& t : out.terms) {
    if (!t.stop && t.pos == Pos::adjective) add_unique(out.adjectives, t.text);
  }
  out.niche = classify(out, keywords, audience);
  return out;
}

std::size_t Analyzer::classify(const Analysis& analysis, const std::vector<std::string>& keywords,
                               std::string_view audience) const {
  thread_local std::vector<double> scores;
  scores.assign(niches_.size(), 0.0);
  thread_local std::vector<Word> words;
  for (const Term& t : analysis.terms) {
    if (t.stop) continue;
    double weight = t.pos == Pos::noun ? 1.5 : 1.0;
    niches_.vote(t.lemma, weight, scores);
    if (t.compound) {
      // "beach_towel" also speaks for "beach".
      std::string_view rest = t.lemma;
      for (std::size_t us = rest.find('_'); us != std::string_view::npos; us = rest.find('_')) {
        niches_.vote(rest.substr(0, us), 0.5, scores);
        rest.remove_prefix(us + 1);
      }
      niches_.vote(rest, 0.5, scores);
    }
  }
  for (const std::string& keyword : keywords) {
    tokenize(keyword, words);
    for (const Word& w : words) niches_.vote(lexicon_.singular(w.lower), 1.0, scores);
  }
  tokenize(audience, words);
  for (const Word& w : words) niches_.vote(lexicon_.singular(w.lower), 0.5, scores);
  std::size_t best = niches_.fallback();
  double best_score = 0.0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] > best_score) {
      best_score = scores[i];
      best = i;
    }
  }
  return best;
}

}  // namespace reelgen::captions::detail
