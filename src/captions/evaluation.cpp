#include "captions/evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "captions/engine.hpp"
#include "captions/hashtags.hpp"
#include "captions/niches.hpp"
#include "captions/sorted_lines.hpp"
#include "captions/surface.hpp"
#include "captions/tokenizer.hpp"
#include "core/json.hpp"
#include "core/utf8.hpp"

namespace reelgen::embedded {
std::optional<std::string_view> caption_data(std::string_view name);
}  // namespace reelgen::embedded

namespace reelgen::captions {
namespace {

using detail::Word;

constexpr std::size_t kMaxSamples = 12;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::set<std::string> word_set(std::string_view text) {
  thread_local std::vector<Word> words;
  detail::tokenize(text, words);
  std::set<std::string> out;
  for (const Word& w : words) out.insert(w.lower);
  return out;
}

// 1 - Jaccard similarity of the two texts' word sets.
double distance(std::string_view a, std::string_view b) {
  auto wa = word_set(a), wb = word_set(b);
  std::size_t common = 0;
  for (const auto& w : wa) common += wb.count(w);
  std::size_t all = wa.size() + wb.size() - common;
  return all == 0 ? 0.0 : 1.0 - double(common) / double(all);
}

// Word pairs that a careful writer of the language would have merged.
struct Pair {
  std::string_view first;
  std::string_view second;  // "" = any word starting with a vowel
};

bool starts_with_vowel(std::string_view w) {
  if (w.empty()) return false;
  std::size_t i = 0;
  char32_t cp = detail::next_code_point(w, i);
  switch (cp) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 0xE0:
    case 0xE2:
    case 0xE9:
    case 0xE8:
    case 0xEA:
    case 0xEE:
    case 0xF4:
    case 0xFB:
    case 0x153:
      return true;
    default:
      return false;
  }
}

std::string_view grammar_slip(const std::vector<Word>& words, std::string_view language) {
  static const std::vector<Pair> kEs = {{"de", "el"}, {"a", "el"}};
  static const std::vector<Pair> kFr = {{"de", "le"}, {"de", "les"}, {"à", "le"}, {"à", "les"},
                                        {"le", ""},   {"la", ""},    {"je", ""},  {"que", ""}};
  static const std::vector<Pair> kIt = {{"di", "il"},  {"di", "lo"}, {"di", "la"}, {"di", "i"},
                                        {"di", "gli"}, {"di", "le"}, {"in", "il"}, {"in", "la"},
                                        {"a", "il"},   {"su", "il"}, {"lo", ""},   {"la", ""}};
  static const std::vector<Pair> kPt = {{"de", "o"}, {"de", "a"}, {"de", "os"}, {"de", "as"},
                                        {"em", "o"}, {"em", "a"}, {"em", "os"}, {"em", "as"}};
  const std::vector<Pair>* pairs = language == "es"   ? &kEs
                                   : language == "fr" ? &kFr
                                   : language == "it" ? &kIt
                                   : language == "pt" ? &kPt
                                                      : nullptr;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    // Words separated by punctuation do not form a pair: compare surfaces' adjacency.
    const char* end = words[i].surface.data() + words[i].surface.size();
    if (end + 1 != words[i + 1].surface.data() || *end != ' ') continue;
    if (language == "en") {
      const std::string& a = words[i].lower;
      if (a == "a" || a == "an") {
        if (detail::takes_an(words[i + 1].lower) != (a == "an")) return "a/an";
      }
      continue;
    }
    if (pairs == nullptr) continue;
    for (const Pair& p : *pairs) {
      if (words[i].lower != p.first) continue;
      // Elided words keep their apostrophe in the surface ("l'océan"); they are fine, and so is
      // a pronoun after an imperative's hyphen ("partage-le avec").
      if (words[i].surface.find('\'') != std::string_view::npos) continue;
      if (i > 0 && words[i].surface.data()[-1] == '-')
        continue;  // inside the text: a word precedes
      if (p.second.empty() ? starts_with_vowel(words[i + 1].lower)
                           : words[i + 1].lower == p.second) {
        return language == "fr" || language == "it" ? "elision or contraction" : "contraction";
      }
    }
  }
  return {};
}

const detail::SortedLines& banned() {
  static const detail::SortedLines table =
      detail::embedded_table("banned_hashtags.txt").value_or(detail::SortedLines());
  return table;
}

const detail::SortedLines& relatives() {
  static const detail::SortedLines table =
      detail::embedded_table("relatives.tsv").value_or(detail::SortedLines());
  return table;
}

const detail::NicheSet* niches() {
  static const std::optional<detail::NicheSet> set = []() -> std::optional<detail::NicheSet> {
    auto blob = embedded::caption_data("niches.txt");
    if (!blob) return std::nullopt;
    auto parsed = detail::NicheSet::parse(*blob);
    if (!parsed) return std::nullopt;
    return std::move(*parsed);
  }();
  return set ? &*set : nullptr;
}

// A tag is related when it shares a word with the description, a keyword or an expected topic
// ("goldenretriever" contains "retriever"), or belongs to the community tags of the niche the
// description is about.
bool related(std::string_view tag, const std::vector<std::string>& words,
             const std::vector<std::string_view>& niche_tags) {
  for (const std::string& w : words) {
    if (w.size() < 3) continue;
    std::string_view stem(w);
    if (stem.size() > 5) stem = stem.substr(0, stem.size() - 2);  // "playas" ~ "playa"
    if (tag.find(stem) != std::string_view::npos) return true;
    if (tag.size() >= 4 && std::string_view(w).find(tag) != std::string_view::npos) return true;
  }
  return std::find(niche_tags.begin(), niche_tags.end(), tag) != niche_tags.end();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::size_t k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
  return values[k];
}

}  // namespace

core::Result<std::vector<EvalCase>> parse_eval_cases(std::string_view jsonl) {
  std::vector<EvalCase> cases;
  std::size_t line_no = 0;
  while (!jsonl.empty()) {
    std::size_t nl = jsonl.find('\n');
    std::string_view line = jsonl.substr(0, nl);
    jsonl.remove_prefix(nl == std::string_view::npos ? jsonl.size() : nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto where = "line " + std::to_string(line_no);
    auto doc = core::parse_json(line);
    if (!doc || !doc->is_object()) {
      return core::fail(core::ErrorCode::invalid_argument, where + ": not a JSON object");
    }
    const auto& o = doc->get_object();
    EvalCase c;
    const auto* d = o.if_contains("description");
    if (d == nullptr || !d->is_string() || core::utf8_length(d->get_string()) < 5) {
      return core::fail(core::ErrorCode::invalid_argument,
                        where + ": description must be a string of 5 or more characters");
    }
    c.description = core::normalize_space(std::string_view(d->get_string()));
    if (const auto* l = o.if_contains("language")) {
      if (!l->is_string() || std::find(kLanguages.begin(), kLanguages.end(),
                                       std::string_view(l->get_string())) == kLanguages.end()) {
        return core::fail(core::ErrorCode::invalid_argument, where + ": unknown language");
      }
      c.language = std::string(l->get_string());
    }
    if (const auto* t = o.if_contains("topics"); t != nullptr && t->is_array()) {
      for (const auto& v : t->get_array()) {
        if (v.is_string()) c.topics.emplace_back(v.get_string());
      }
    }
    if (const auto* n = o.if_contains("niche"); n != nullptr && n->is_string()) {
      c.niche = std::string(n->get_string());
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string caption_violation(const Caption& c, std::string_view language) {
  const std::string& t = c.text;
  if (t.empty()) return "empty caption";
  if (t.find_first_of("{}") != std::string::npos) return "leftover slot or brace";
  if (t.find("  ") != std::string::npos) return "doubled space";
  for (std::string_view bad : {" .", " ,", " !", " ?", " ;", " :", ",,", ".."}) {
    if (t.find(bad) != std::string::npos) return "space or doubled mark before punctuation";
  }
  thread_local std::vector<Word> words;
  detail::tokenize(t, words);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const char* end = words[i].surface.data() + words[i].surface.size();
    if (end + 1 == words[i + 1].surface.data() && *end == ' ' &&
        words[i].lower == words[i + 1].lower && words[i].lower.size() > 1) {
      return "doubled word: " + words[i].lower;
    }
  }
  for (const Word& w : words) {
    // A sentence that starts with a lower-case letter.
    if (w.sentence_start && !w.capitalized && !w.surface.empty() && w.surface[0] >= 'a' &&
        w.surface[0] <= 'z' && language != "de") {
      return "lower-case sentence start: " + std::string(w.surface);
    }
  }
  if (auto slip = grammar_slip(words, language); !slip.empty()) return std::string(slip);
  if (c.hashtags.size() > static_cast<std::size_t>(kMaxHashtags)) return "more than 30 hashtags";
  std::set<std::string> seen;
  for (const std::string& tag : c.hashtags) {
    if (!detail::valid_hashtag(tag)) return "invalid hashtag " + tag;
    std::string body = lower_ascii(std::string_view(tag).substr(1));
    if (banned().contains(body)) return "banned hashtag " + tag;
  }
  std::size_t block = core::utf8_length(t);
  for (const std::string& tag : c.hashtags) block += tag.size() + 1;
  if (block + 1 > kMaxCaptionChars + 1) return "over 2,200 characters";
  return {};
}

EvalReport evaluate(const Provider& provider, const std::vector<EvalCase>& cases) {
  EvalReport report;
  report.descriptions = cases.size();
  std::vector<double> micros;
  micros.reserve(cases.size() * kStyleNames.size() * 2);
  auto group_of = [&](std::string_view style, std::string_view lang) -> EvalGroup& {
    for (EvalGroup& g : report.groups) {
      if (g.style == style && g.language == lang) return g;
    }
    EvalGroup g;
    g.style = style;
    g.language = lang;
    report.groups.push_back(std::move(g));
    return report.groups.back();
  };
  // A count goes to the caption's group and to the whole report alike.
  auto count = [&](EvalGroup& g, auto EvalCounts::*field, auto amount) {
    g.*field += amount;
    report.*field += amount;
  };
  constexpr std::size_t one = 1;
  auto note = [&](EvalGroup& g, const std::string& what, std::string_view text) {
    count(g, &EvalCounts::violations, one);
    if (report.violation_samples.size() < kMaxSamples) {
      report.violation_samples.push_back(g.language + "/" + g.style + ": " + what + " | " +
                                         std::string(text.substr(0, 160)));
    }
  };

  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    const EvalCase& ec = cases[ci];
    std::vector<std::string> words;
    for (const auto& w : word_set(ec.description)) words.push_back(detail::hashtag_body(w, true));
    for (const auto& w : word_set(ec.description)) words.push_back(detail::hashtag_body(w));
    for (const std::string& topic : ec.topics) {
      words.push_back(detail::hashtag_body(topic, true));
      words.push_back(detail::hashtag_body(topic));
    }
    // WordNet's synonyms and hypernyms of English words are related by definition.
    if (ec.language == "en") {
      for (const auto& w : word_set(ec.description)) {
        std::string single = w.size() > 3 && w.back() == 's' ? w.substr(0, w.size() - 1) : w;
        for (const std::string& key : {w, single}) {
          auto rel = relatives().find(key);
          if (!rel) continue;
          std::string_view rest = *rel;
          while (!rest.empty()) {
            std::size_t sp = rest.find(' ');
            words.emplace_back(rest.substr(0, sp));
            if (sp == std::string_view::npos) break;
            rest.remove_prefix(sp + 1);
          }
        }
      }
    }
    std::vector<std::string> main_texts;
    for (std::size_t s = 0; s < kStyleNames.size(); ++s) {
      CaptionRequest r;
      r.content_description = ec.description;
      r.language = ec.language;
      r.style = static_cast<Style>(s);
      r.content_type = static_cast<ContentType>((ci + s) % kContentTypeNames.size());
      r.variants = 2;
      r.seed = ci;
      EvalGroup& g = group_of(kStyleNames[s], ec.language);
      const auto start = std::chrono::steady_clock::now();
      auto result = provider.generate(r);
      const double us =
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count();
      if (!result) {
        note(g, "provider error: " + result.error().message, ec.description);
        continue;
      }
      micros.push_back(us / 2.0);
      if (s == 0 && !ec.niche.empty()) {
        ++report.niche_expected;
        if (result->caption.niche == ec.niche) ++report.niche_matched;
      }
      std::vector<std::string_view> niche_tags;
      if (const detail::NicheSet* set = niches()) {
        std::size_t lang = 0;
        for (std::size_t i = 0; i < kLanguages.size(); ++i) {
          if (kLanguages[i] == ec.language) lang = i;
        }
        for (std::size_t i = 0; i < set->size(); ++i) {
          const detail::Niche& n = set->at(i);
          bool expected = ec.niche.empty() ? (n.name == result->caption.niche &&
                                              result->caption.niche_confidence > 0)
                                           : n.name == ec.niche;
          if (!expected) continue;
          for (const detail::NicheTag& tag : n.hashtags[lang]) niche_tags.push_back(tag.tag);
        }
      }
      main_texts.push_back(result->caption.text);
      std::vector<const Caption*> all{&result->caption};
      for (const Caption& v : result->variants) all.push_back(&v);
      for (const Caption* c : all) {
        count(g, &EvalCounts::captions, one);
        if (auto why = caption_violation(*c, ec.language); !why.empty()) note(g, why, c->text);
        std::set<std::string> seen;
        for (const std::string& tag : c->hashtags) {
          std::string body = detail::hashtag_body(std::string_view(tag).substr(1), true);
          if (!seen.insert(body).second) {
            count(g, &EvalCounts::duplicate_hashtags, one);
          }
          count(g, &EvalCounts::hashtags, one);
          std::string folded = detail::hashtag_body(std::string_view(tag).substr(1));
          if (related(body, words, niche_tags) || related(folded, words, niche_tags)) {
            count(g, &EvalCounts::related_hashtags, one);
          }
        }
      }
      for (const Caption& v : result->variants) {
        count(g, &EvalCounts::variant_distinct_sum, distance(result->caption.text, v.text));
        count(g, &EvalCounts::variant_pairs, one);
      }

      // Short captions stay within 80 characters.
      CaptionRequest short_request = r;
      short_request.length = Length::short_;
      short_request.variants = 1;
      short_request.content_type = ContentType::post;
      auto short_result = provider.generate(short_request);
      if (short_result) {
        count(g, &EvalCounts::short_checked, one);
        if (core::utf8_length(short_result->caption.text) <= kShortCaptionChars) {
          count(g, &EvalCounts::short_within, one);
        }
        if (auto why = caption_violation(short_result->caption, ec.language); !why.empty()) {
          note(g, why, short_result->caption.text);
        }
      }
    }
    for (std::size_t a = 0; a < main_texts.size(); ++a) {
      for (std::size_t b = a + 1; b < main_texts.size(); ++b) {
        report.style_distinct_sum += distance(main_texts[a], main_texts[b]);
        ++report.style_pairs;
      }
    }
  }
  report.median_us = percentile(micros, 0.5);
  report.p95_us = percentile(micros, 0.95);
  std::sort(report.groups.begin(), report.groups.end(), [](const EvalGroup& a, const EvalGroup& b) {
    return a.language != b.language ? a.language < b.language : a.style < b.style;
  });
  return report;
}

std::string render_eval_text(const EvalReport& r) {
  std::string out;
  char line[1024];
  std::snprintf(line, sizeof line,
                "descriptions %zu, captions %zu, hashtags %zu\n"
                "hashtag relevance     %.3f\n"
                "style distinctness    %.3f\n"
                "variant distinctness  %.3f\n"
                "violations            %zu\n"
                "duplicate hashtags    %zu\n"
                "short length ok       %.3f (%zu of %zu)\n"
                "niche accuracy        %.3f (%zu of %zu)\n"
                "engine us/caption     median %.1f, p95 %.1f\n\n",
                r.descriptions, r.captions, r.hashtags, r.relevance(), r.style_distinctness(),
                r.variant_distinctness(), r.violations, r.duplicate_hashtags, r.length_compliance(),
                r.short_within, r.short_checked, r.niche_accuracy(), r.niche_matched,
                r.niche_expected, r.median_us, r.p95_us);
  out += line;
  std::snprintf(line, sizeof line, "%-4s %-16s %8s %9s %9s %10s %6s %8s\n", "lang", "style",
                "captions", "relevance", "variants", "violations", "dups", "short_ok");
  out += line;
  for (const EvalGroup& g : r.groups) {
    std::snprintf(line, sizeof line, "%-4s %-16s %8zu %9.3f %9.3f %10zu %6zu %8.3f\n",
                  g.language.c_str(), g.style.c_str(), g.captions, g.relevance(),
                  g.variant_distinctness(), g.violations, g.duplicate_hashtags,
                  g.length_compliance());
    out += line;
  }
  if (!r.violation_samples.empty()) {
    out += "\nviolations (first ones):\n";
    for (const std::string& s : r.violation_samples) out += "  " + s + "\n";
  }
  return out;
}

std::string render_eval_json(const EvalReport& r) {
  boost::json::object o;
  o["descriptions"] = r.descriptions;
  o["captions"] = r.captions;
  o["hashtags"] = r.hashtags;
  o["relevance"] = r.relevance();
  o["style_distinctness"] = r.style_distinctness();
  o["variant_distinctness"] = r.variant_distinctness();
  o["violations"] = r.violations;
  o["duplicate_hashtags"] = r.duplicate_hashtags;
  o["length_compliance"] = r.length_compliance();
  o["niche_accuracy"] = r.niche_accuracy();
  o["median_us"] = r.median_us;
  o["p95_us"] = r.p95_us;
  boost::json::array groups;
  for (const EvalGroup& g : r.groups) {
    groups.push_back(boost::json::object{{"style", g.style},
                                         {"language", g.language},
                                         {"captions", g.captions},
                                         {"relevance", g.relevance()},
                                         {"variant_distinctness", g.variant_distinctness()},
                                         {"violations", g.violations},
                                         {"duplicate_hashtags", g.duplicate_hashtags},
                                         {"length_compliance", g.length_compliance()}});
  }
  o["groups"] = std::move(groups);
  boost::json::array samples;
  for (const std::string& s : r.violation_samples) samples.emplace_back(s);
  o["violation_samples"] = std::move(samples);
  return boost::json::serialize(o);
}

}  // namespace reelgen::captions
