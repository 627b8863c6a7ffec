#include "captions/analyzer.hpp"

#include <algorithm>
#include <array>
#include <cctype>

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

// Nouns that measure or hold what follows "of": the subject is the thing measured.
bool is_partitive(std::string_view head) {
  static constexpr std::array<std::string_view, 34> kPartitives = {
      "pair",    "plate",   "cup",     "bowl",    "box",     "slice",     "bunch",
      "set",     "couple",  "piece",   "glass",   "bottle",  "jar",       "bag",
      "basket",  "handful", "batch",   "tray",    "stack",   "pot",       "mug",
      "loaf",    "day",     "night",   "evening", "morning", "afternoon", "week",
      "weekend", "version", "edition", "round",   "pitcher", "pint"};
  return std::find(kPartitives.begin(), kPartitives.end(), head) != kPartitives.end();
}

bool all_digits(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
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

void sort_unique(std::vector<std::string>& list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

// "playas" -> "playa", "fleurs" -> "fleur": enough to match triggers and emoji keywords.
std::string_view strip_plural(std::string_view w) {
  if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') return w.substr(0, w.size() - 1);
  return w;
}

// The noun a term stands for: its lemma, or for a gerund ("painting", "surfing") the word itself.
std::string_view noun_form(const Term& t) {
  if (t.pos == Pos::noun) return t.lemma;
  if (t.pos == Pos::verb && t.text.ends_with("ing")) return t.text;
  return {};
}

}  // namespace

bool Analysis::mentions(std::string_view word) const {
  // "~vela": a word of several senses (a candle, a sail) speaks for the niche's sense only
  // beside other words of the niche.
  constexpr int kSenseWitnesses = 2;
  if (word.starts_with('~')) {
    if (niche_witnesses < kSenseWitnesses) return false;
    word.remove_prefix(1);
  }
  return std::binary_search(cues.begin(), cues.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

Analysis Analyzer::analyze(std::string_view description, const std::vector<std::string>& keywords,
                           std::string_view audience, const LanguagePack& language) const {
  if (!language.english()) return analyze_other(description, keywords, audience, language);
  Analysis out = analyze(description, keywords, audience);
  if (out.subject.found) {
    std::string_view head = out.subject.text;
    std::string last(
        head.substr(head.rfind(' ') == std::string_view::npos ? 0 : head.rfind(' ') + 1));
    for (char& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.subject.mass = language.is_mass(last) || language.is_mass(strip_plural(last));
  }
  return out;
}

Analysis Analyzer::analyze_other(std::string_view description,
                                 const std::vector<std::string>& keywords,
                                 std::string_view audience, const LanguagePack& language) const {
  Analysis out;
  out.language = language_index(language.code());
  thread_local std::vector<Word> words;
  tokenize(description, words);
  struct Token {
    std::string lower;
    std::string_view surface;
    bool stop = false;
    bool capitalized = false;
    bool sentence_start = false;
    const ArticleInfo* article = nullptr;
    bool elided_article = false;  // "l'" before the word
    bool quoted = false;          // a title's word: it names, it does not describe
  };
  std::vector<Token> tokens;
  tokens.reserve(words.size());
  for (const Word& w : words) {
    Token t;
    t.lower = w.lower;
    t.surface = w.surface;
    t.capitalized = w.capitalized;
    t.sentence_start = w.sentence_start;
    t.quoted = w.quoted;
    // French and Italian elision: "l'océan", "dell'isola", "d'été" are two words.
    std::size_t apostrophe = w.surface.find('\'');
    std::size_t width = 1;
    if (apostrophe == std::string_view::npos) {
      apostrophe = w.surface.find("\xE2\x80\x99");
      width = 3;
    }
    if (apostrophe != std::string_view::npos && apostrophe > 0 &&
        apostrophe + width < w.surface.size()) {
      std::string prefix = t.lower.substr(0, apostrophe);
      if (language.stopwords().contains(prefix) || prefix == "l" || prefix == "un") {
        t.lower.erase(0, apostrophe);
        t.surface = w.surface.substr(apostrophe + width);
        t.capitalized = false;
        t.elided_article = prefix == "l" || prefix.ends_with("ll") || prefix == "un";
        t.sentence_start = false;
      }
    }
    t.stop = language.stopwords().contains(t.lower) || all_digits(t.lower);
    t.article = language.article(t.lower);
    tokens.push_back(std::move(t));
  }
  const bool german = language.capitalized_nouns();
  auto content = [&](const Token& t) {
    return !t.stop && !t.lower.empty() && !language.is_gerund(t.lower);
  };
  // German capitalizes nouns, and every first word: "Hausgemachtes Brot" starts with an
  // adjective, told by its ending and the capitalized noun after it.
  auto german_adjective_start = [&](std::size_t i) {
    const Token& t = tokens[i];
    if (!t.sentence_start || i + 1 >= tokens.size() || !tokens[i + 1].capitalized ||
        !content(tokens[i + 1])) {
      return false;
    }
    for (std::string_view e : {"e", "er", "es", "en", "em"}) {
      if (ends_with_stem(t.lower, e, 3)) return true;
    }
    return false;
  };
  std::vector<bool> noun_flags(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    noun_flags[i] =
        content(tokens[i]) && (!german || (tokens[i].capitalized && !german_adjective_start(i)));
  }
  auto noun_like = [&](const Token& t) {
    return noun_flags[static_cast<std::size_t>(&t - tokens.data())];
  };

  // The subject: the first noun-like word with what follows it ("puesta de sol", "tarte aux
  // pommes"); in German just the noun, which carries its own compounds.
  std::size_t first = tokens.size();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (noun_like(tokens[i])) {
      first = i;
      break;
    }
  }
  if (first < tokens.size()) {
    Subject& s = out.subject;
    s.found = true;
    std::size_t last = first;
    if (!german) {
      std::size_t content_words = 1;
      for (std::size_t k = first + 1; k < tokens.size() && content_words < 3; ++k) {
        if (content(tokens[k]) && !tokens[k].article) {
          last = k;
          ++content_words;
        } else if (language.is_linker(tokens[k].lower) && k + 1 < tokens.size() &&
                   content(tokens[k + 1]) && !tokens[k + 1].elided_article) {
          // "puesta de sol", "tarte aux pommes": the complement closes the phrase.
          last = k + 1;
          break;
        } else {
          break;
        }
      }
    }
    const Token& head = tokens[first];
    s.proper = !german && head.capitalized && !head.sentence_start;
    for (std::size_t k = first; k <= last; ++k) {
      if (!s.text.empty()) s.text += ' ';
      bool keep_case = german || (tokens[k].capitalized && !tokens[k].sentence_start);
      if (german && k == first) keep_case = true;
      s.text += keep_case ? std::string(tokens[k].surface) : tokens[k].lower;
    }
    if (german && !s.text.empty() && s.text[0] >= 'a' && s.text[0] <= 'z') {
      s.text[0] = static_cast<char>(s.text[0] - 32);
    }
    const ArticleInfo* article = first > 0 ? tokens[first - 1].article : nullptr;
    if (article != nullptr) {
      s.gender = article->gender;
      s.plural = article->plural;
    } else {
      std::string_view single = language.plural_s() ? strip_plural(head.lower) : head.lower;
      s.plural = !head.elided_article && single.size() != head.lower.size();
      s.gender = language.gender_of(single);
    }
    NounPhrase phrase;
    phrase.head = s.text;
    phrase.compound = last > first;
    phrase.score = 1;
    out.noun_phrases.push_back(std::move(phrase));
  }
  for (const Token& t : tokens) {
    if (!content(t) || t.quoted) continue;
    std::string text = german && t.capitalized ? std::string(t.surface) : t.lower;
    add_unique(out.keywords, text);
    if (noun_like(t)) add_unique(out.nouns, text);
    out.cues.push_back(t.lower);
    if (language.plural_s()) out.cues.emplace_back(strip_plural(t.lower));
  }
  thread_local std::vector<Word> extra;
  for (const std::string& k : keywords) {
    tokenize(k, extra);
    for (const Word& w : extra) out.cues.push_back(w.lower);
  }
  sort_unique(out.cues);

  thread_local std::vector<double> scores;
  scores.assign(niches_.size(), 0.0);
  thread_local NicheWitnesses witnesses;
  witnesses.reset(niches_.size());
  const std::size_t lang = out.language;
  const double n = static_cast<double>(std::max<std::size_t>(tokens.size(), 1));
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (!content(t) || t.quoted) continue;
    double weight = (noun_like(t) ? 1.5 : 1.0) * (1.5 - static_cast<double>(i) / n);
    witnesses.mark(scores);
    std::string_view single = language.plural_s() ? strip_plural(t.lower) : t.lower;
    if (niches_.is_trigger(t.lower, lang)) {
      niches_.vote(t.lower, weight, scores, lang);
    } else if (single != t.lower && niches_.is_trigger(single, lang)) {
      niches_.vote(single, weight, scores, lang);
    } else if (german) {
      // Plurals ("Welpen", "Berge") and compounds: "Schokoladenkuchen" is a "kuchen",
      // "Urlaubstag" starts with "urlaub".
      std::string_view w = t.lower;
      bool voted = false;
      for (std::string_view ending : {"en", "n", "e", "s", "er"}) {
        if (ends_with_stem(w, ending, 4)) {
          std::string_view stem = w.substr(0, w.size() - ending.size());
          if (niches_.is_trigger(stem, lang)) {
            niches_.vote(stem, weight, scores, lang);
            voted = true;
            break;
          }
        }
      }
      constexpr std::size_t kMinPart = 4;
      for (std::size_t k = kMinPart; !voted && k + kMinPart <= w.size(); ++k) {
        if (niches_.is_trigger(w.substr(k), lang)) {
          niches_.vote(w.substr(k), weight * 0.75, scores, lang);
          voted = true;
        } else if (niches_.is_trigger(w.substr(0, w.size() - k), lang)) {
          niches_.vote(w.substr(0, w.size() - k), weight * 0.75, scores, lang);
          voted = true;
        }
      }
    }
    witnesses.count(scores, weight);
  }
  for (const std::string& keyword : keywords) {
    tokenize(keyword, extra);
    for (const Word& w : extra) {
      witnesses.mark(scores);
      niches_.vote(w.lower, 1.0, scores, lang);
      witnesses.count(scores, 1.0);
    }
  }
  tokenize(audience, extra);
  for (const Word& w : extra) niches_.vote(w.lower, 0.5, scores, lang);
  decide(out, scores, witnesses);
  return out;
}

void Analyzer::decide(Analysis& out, const std::vector<double>& scores,
                      const NicheWitnesses& witnesses) const {
  std::size_t best = niches_.fallback();
  double best_score = 0.0, second = 0.0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    // The fallback's words ("morning", "weekend") are everyday ones: they count half, so that
    // "morning coffee on the balcony" is about food.
    const double score = i == niches_.fallback() ? scores[i] * 0.5 : scores[i];
    if (score > best_score) {
      second = best_score;
      best_score = score;
      best = i;
    } else if (score > second) {
      second = score;
    }
  }
  // "Spring sale on planters" is about home, "our pup's first birthday" about a pet: a frame
  // niche keeps the post only with clearly more evidence than the best subject niche.
  constexpr double kFrameMargin = 1.6;
  if (niches_.at(best).frame) {
    std::size_t subject = best;
    double subject_score = 0.0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
      if (i == niches_.fallback() || niches_.at(i).frame || scores[i] <= subject_score) continue;
      subject = i;
      subject_score = scores[i];
    }
    if (subject != best && subject_score * kFrameMargin >= best_score) {
      second = best_score;
      best_score = subject_score;
      best = subject;
    }
  }
  out.niche = best;
  out.niche_witnesses = best_score <= 0 ? 0 : witnesses.words[best];
  // Strong and unrivalled evidence approaches 1; one weak vote, or a tie, stays near 0.5.
  out.niche_confidence = best_score <= 0 ? 0.0 : best_score / (best_score + second + 1.0);
}

void Analyzer::tag(std::vector<Term>& terms) const {
  for (std::size_t i = 0; i < terms.size(); ++i) {
    Term& t = terms[i];
    if (t.stop || t.pos == Pos::other || t.compound || t.proper) continue;
    const Term* next = i + 1 < terms.size() ? &terms[i + 1] : nullptr;
    const Term* prev = i > 0 ? &terms[i - 1] : nullptr;
    bool next_is_noun = next && !next->stop && next->pos == Pos::noun;
    bool after_determiner = prev && prev->stop && is_determiner(prev->lemma);
    bool after_adjective = prev && !prev->stop && prev->pos == Pos::adjective;
    if (ends_with_stem(t.text, "ing") && !next_is_noun && !after_determiner && !after_adjective) {
      // "golden retriever playing in the snow"; "running shoes" and "my wedding" stay nouns.
      std::string base = lexicon_.verb_lemma(t.text);
      if (!base.empty()) {
        t.pos = Pos::verb;
        t.lemma = std::move(base);
      }
      continue;
    }
    // "bar launches Friday", "shop opens Monday", "studio closes early at 3pm": a third-person
    // verb after a noun, before a function word, an adverb or the end, is the sentence's verb,
    // not part of the noun phrase.
    const bool after_noun = prev && !prev->stop && prev->pos == Pos::noun;
    const bool modifier_ends = next != nullptr &&
                               (next->pos == Pos::adverb || next->pos == Pos::adjective) &&
                               (i + 2 >= terms.size() || terms[i + 2].stop);
    const bool before_break = next == nullptr || next->stop || modifier_ends;
    const bool before_number =
        next != nullptr && !next->text.empty() && next->text[0] >= '0' && next->text[0] <= '9';
    std::string verb = lexicon_.verb_lemma(t.text);
    // "opens", "closes": the base is mostly an adjective, but a verb too.
    if (verb.empty() && ends_with_stem(t.text, "s", 3)) {
      const WordSense base = lexicon_.lookup(std::string_view(t.text).substr(0, t.text.size() - 1));
      if (base.known && base.dominant == Pos::adjective && base.can_be(Pos::verb))
        verb = base.lemma;
    }
    const bool inflected = !verb.empty() && verb != t.text;  // "opens", "won", "launched"
    if ((t.pos == Pos::noun || t.pos == Pos::adjective) && after_noun &&
        (before_break || before_number) && inflected &&
        (ends_with_stem(t.text, "s", 3) || !lexicon_.lookup(t.text).can_be(Pos::noun))) {
      t.pos = Pos::verb;
      t.lemma = verb;
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
    t.naming = w.quoted;
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
        // Most words start no collocation: one search says so before the whole phrase is tried.
        if (!lexicon_.starts_collocation(joined)) continue;
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
        t.pos = ends_with_stem(w.lower, "ly") ? Pos::adverb : Pos::noun;
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
  for (std::size_t i = 0; i + 1 < out.terms.size(); ++i) {
    const std::size_t next =
        out.terms[i + 1].text == "&" && i + 2 < out.terms.size() ? i + 2 : i + 1;
    if (out.terms[i].proper && !out.terms[i].compound && out.terms[next].proper)
      out.terms[i].naming = true;
  }

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
      phrase.start = i;
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
  if (!out.noun_phrases.empty()) {
    // The subject is the first noun phrase ("Fresh bagels from the corner bakery" is about
    // bagels), not the best scored one.
    std::vector<const NounPhrase*> in_order;
    for (const NounPhrase& p : out.noun_phrases) in_order.push_back(&p);
    std::stable_sort(in_order.begin(), in_order.end(),
                     [](const NounPhrase* a, const NounPhrase* b) { return a->start < b->start; });
    // "A pair of sandhill cranes", "a plate of gnocchi": the measure is not the subject, what it
    // measures is.
    const NounPhrase* first = in_order.front();
    if (in_order.size() > 1 && is_partitive(first->head) && first->start + 2 < out.terms.size() &&
        out.terms[in_order[1]->start - 1].lemma == "of") {
      first = in_order[1];
    }
    out.subject.found = true;
    out.subject.text = first->head;
    // A name keeps its own capital and takes no article.
    for (const Term& t : out.terms) {
      if (t.proper && out.subject.text.ends_with(t.text)) out.subject.proper = true;
    }
  }
  out.cues.reserve(out.terms.size() + 4);
  for (const Term& t : out.terms) {
    if (t.stop || t.naming) continue;
    out.cues.push_back(t.lemma);
    if (t.compound) {
      std::string_view rest = t.lemma;
      for (std::size_t us = rest.find('_'); us != std::string_view::npos; us = rest.find('_')) {
        out.cues.emplace_back(rest.substr(0, us));
        rest.remove_prefix(us + 1);
      }
      out.cues.emplace_back(rest);
    }
  }
  thread_local std::vector<Word> kw;
  for (const std::string& k : keywords) {
    tokenize(k, kw);
    for (const Word& w : kw) out.cues.emplace_back(strip_plural(w.lower));
  }
  sort_unique(out.cues);
  classify(out, keywords, audience);
  return out;
}

bool Analyzer::vote_word(std::string_view lemma, std::string_view noun, double weight,
                         std::vector<double>& scores) const {
  // Triggers count in full: verbs and adjectives ("bake", "cozy") and nouns whose usual sense is
  // elsewhere ("sunset" is mostly a time of day) are known to them alone.
  std::array<std::size_t, 4> triggered{};
  std::size_t n = 0;
  bool found = niches_.each_trigger(lemma, 0, [&](std::size_t niche) {
    scores[niche] += weight;
    if (n < triggered.size()) triggered[n++] = niche;
  });
  // A noun is placed by WordNet: the niches whose anchors are among the hypernyms of its senses,
  // closer and more usual senses counting more ("croissant": food 0.73). A niche its triggers
  // already gave the full weight gets no more.
  if (noun.empty()) return found;
  auto row = topics_.find(noun);
  if (!row) return found;
  niches_.each_topic(*row, [&](std::size_t niche, double score) {
    if (std::find(triggered.begin(), triggered.begin() + n, niche) == triggered.begin() + n) {
      scores[niche] += weight * std::min(score, 1.0);
    }
  });
  return true;
}

void Analyzer::classify(Analysis& analysis, const std::vector<std::string>& keywords,
                        std::string_view audience) const {
  thread_local std::vector<double> scores;
  scores.assign(niches_.size(), 0.0);
  thread_local NicheWitnesses witnesses;
  witnesses.reset(niches_.size());
  thread_local std::vector<Word> words;
  const double n = static_cast<double>(std::max<std::size_t>(analysis.terms.size(), 1));
  for (std::size_t i = 0; i < analysis.terms.size(); ++i) {
    const Term& t = analysis.terms[i];
    if (t.stop || t.naming) continue;
    // The subject usually comes first: "yoga on the beach" is about yoga, not the beach.
    const double weight = (t.pos == Pos::noun ? 1.5 : 1.0) * (1.5 - static_cast<double>(i) / n);
    witnesses.mark(scores);
    if (!vote_word(t.lemma, noun_form(t), weight, scores) && t.compound) {
      // A collocation that says nothing itself speaks through its words: "wedding_day" for
      // "wedding" (and "day"), while "olive_tree" is only a tree.
      std::string_view rest = t.lemma;
      for (std::size_t us = rest.find('_'); us != std::string_view::npos; us = rest.find('_')) {
        vote_word(rest.substr(0, us), rest.substr(0, us), weight, scores);
        rest.remove_prefix(us + 1);
      }
      vote_word(rest, rest, weight, scores);
    }
    witnesses.count(scores, weight);
  }
  // The subject's head names what the post is about: "sunset yoga" is yoga.
  if (analysis.subject.found) {
    std::string head =
        analysis.subject.text.substr(analysis.subject.text.rfind(' ') == std::string::npos
                                         ? 0
                                         : analysis.subject.text.rfind(' ') + 1);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // A collocation votes whole ("latte art" is coffee, not art); a single head by its
    // triggers only, since WordNet's first sense of it is often not the post's.
    std::string whole = analysis.subject.text;
    for (char& c : whole)
      c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string last = lexicon_.singular(head);
    if (whole.find('_') != std::string::npos && lexicon_.is_noun(whole)) {
      vote_word(whole, whole, 1.5, scores);
    } else {
      // The head, and less its modifiers: "latte art" leans to coffee through "latte".
      niches_.vote(last, 1.0, scores);
      std::size_t start = 0;
      for (std::size_t space = whole.find('_'); space != std::string::npos;
           space = whole.find('_', start)) {
        niches_.vote(std::string_view(whole).substr(start, space - start), 0.75, scores);
        start = space + 1;
      }
    }
  }
  for (const std::string& keyword : keywords) {
    tokenize(keyword, words);
    for (const Word& w : words) {
      const std::string noun = lexicon_.singular(w.lower);
      witnesses.mark(scores);
      vote_word(noun, noun, 1.0, scores);
      witnesses.count(scores, 1.0);
    }
  }
  tokenize(audience, words);
  for (const Word& w : words) {
    const std::string noun = lexicon_.singular(w.lower);
    vote_word(noun, noun, 0.5, scores);
  }
  decide(analysis, scores, witnesses);
}

}  // namespace reelgen::captions::detail
