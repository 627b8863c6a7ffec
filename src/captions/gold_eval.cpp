#include "captions/gold_eval.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "captions/emojis.hpp"
#include "captions/hashtags.hpp"
#include "captions/tokenizer.hpp"
#include "core/json.hpp"
#include "core/utf8.hpp"

namespace reelgen::captions {
namespace {

// A line longer than this may not repeat under more than a few descriptions.
constexpr std::size_t kReusableLineChars = 40;
constexpr std::size_t kMaxSamples = 16;

std::string without_vs16(std::string_view emoji) {
  std::string out(emoji);
  for (std::size_t at; (at = out.find("\xEF\xB8\x8F")) != std::string::npos;) out.erase(at, 3);
  return out;
}

bool in(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> strings(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v != nullptr && v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

std::string string_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::set<std::string> word_set(std::string_view text) {
  std::vector<detail::Word> words;
  detail::tokenize(text, words);
  std::set<std::string> out;
  for (const detail::Word& w : words) out.insert(w.lower);
  return out;
}

double distance(std::string_view a, std::string_view b) {
  const auto wa = word_set(a), wb = word_set(b);
  std::size_t common = 0;
  for (const auto& w : wa) common += wb.count(w);
  const std::size_t all = wa.size() + wb.size() - common;
  return all == 0 ? 0.0 : 1.0 - double(common) / double(all);
}

// The caption's lines and sentences, as a reader meets them.
std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool end = i == text.size() || text[i] == '\n' ||
                     ((text[i] == '.' || text[i] == '!' || text[i] == '?') &&
                      (i + 1 == text.size() || text[i + 1] == ' '));
    if (!end) continue;
    std::string_view s = text.substr(start, i - start + (i < text.size() && text[i] != '\n'));
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (!s.empty()) out.emplace_back(s);
    start = i + 1;
  }
  return out;
}

void count(GoldCounts& g, const GoldCase& c, const Caption& caption) {
  const std::string text = detail::lower_latin(caption.text);
  const bool accents = c.language != "en";
  ++g.captions;
  if (std::any_of(c.subjects.begin(), c.subjects.end(), [&](const std::string& s) {
        return text.find(detail::lower_latin(s)) != std::string::npos;
      }))
    ++g.subject_named;
  for (const std::string& f : c.facts) {
    ++g.facts;
    if (text.find(detail::lower_latin(f)) != std::string::npos) ++g.facts_kept;
  }
  if (name_of(caption.intent, kIntentNames) == c.intent) ++g.intent_right;
  if (caption.niche == c.niche) ++g.niche_right;
  // Built from the subject and the facts: a tag whose body is one of theirs or part of one.
  std::vector<std::string> built;
  for (const auto* list : {&c.subjects, &c.facts}) {
    for (const std::string& s : *list) built.push_back(detail::hashtag_body(s, accents));
  }
  for (const std::string& tag : caption.hashtags) {
    const std::string body = detail::hashtag_body(tag, accents);
    ++g.hashtags;
    const bool from_entities = std::any_of(built.begin(), built.end(), [&](const std::string& b) {
      return body.size() >= 4 && b.find(body) != std::string::npos;
    });
    if (in(c.hashtags_ok, body) || from_entities) ++g.hashtags_acceptable;
    if (in(c.hashtags_bad, body)) ++g.hashtags_wrong;
  }
  std::vector<std::string> bad, ok;
  for (const std::string& e : c.emojis_bad) bad.push_back(without_vs16(e));
  for (const std::string& e : c.emojis_ok) ok.push_back(without_vs16(e));
  for (const std::string& e : caption.emojis) {
    ++g.emojis;
    if (in(bad, without_vs16(e))) ++g.emojis_wrong;
  }
  if (!caption.emojis.empty() && !ok.empty()) {
    ++g.lead_emoji_checked;
    if (in(ok, without_vs16(caption.emojis.front()))) ++g.lead_emoji_ok;
  }
}

void add(GoldCounts& to, const GoldCounts& from) {
  to.captions += from.captions;
  to.subject_named += from.subject_named;
  to.facts += from.facts;
  to.facts_kept += from.facts_kept;
  to.intent_right += from.intent_right;
  to.niche_right += from.niche_right;
  to.hashtags += from.hashtags;
  to.hashtags_acceptable += from.hashtags_acceptable;
  to.hashtags_wrong += from.hashtags_wrong;
  to.emojis += from.emojis;
  to.emojis_wrong += from.emojis_wrong;
  to.lead_emoji_checked += from.lead_emoji_checked;
  to.lead_emoji_ok += from.lead_emoji_ok;
}

}  // namespace

core::Result<std::vector<GoldCase>> parse_gold_cases(std::string_view jsonl) {
  std::vector<GoldCase> cases;
  std::size_t line_no = 0;
  while (!jsonl.empty()) {
    const std::size_t nl = jsonl.find('\n');
    std::string_view line = jsonl.substr(0, nl);
    jsonl.remove_prefix(nl == std::string_view::npos ? jsonl.size() : nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "line " + std::to_string(line_no);
    auto doc = core::parse_json(line);
    if (!doc || !doc->is_object()) {
      return core::fail(core::ErrorCode::invalid_argument, where + ": not a JSON object");
    }
    const auto& o = doc->get_object();
    GoldCase c;
    c.id = string_of(o, "id");
    c.description = string_of(o, "d");
    c.language = string_of(o, "lang");
    if (c.language.empty()) c.language = "en";
    if (core::utf8_length(c.description) < 5) {
      return core::fail(core::ErrorCode::invalid_argument,
                        where + ": \"d\" must hold a description");
    }
    c.subjects.push_back(string_of(o, "subject"));
    for (std::string& s : strings(o, "subject_alternatives")) c.subjects.push_back(std::move(s));
    c.niche = string_of(o, "niche");
    c.intent = string_of(o, "intent");
    c.facts = strings(o, "facts");
    c.hashtags_ok = strings(o, "hashtags_ok");
    c.hashtags_bad = strings(o, "hashtags_bad");
    c.emojis_ok = strings(o, "emojis_ok");
    c.emojis_bad = strings(o, "emojis_bad");
    cases.push_back(std::move(c));
  }
  return cases;
}

GoldReport evaluate_gold(const Provider& provider, const std::vector<GoldCase>& cases) {
  GoldReport report;
  report.descriptions = cases.size();
  std::map<std::pair<std::string, std::string>, GoldGroup> groups;
  // Per style: the descriptions each long line appears under.
  std::map<std::string, std::map<std::string, std::set<std::size_t>>> line_uses;
  std::map<std::string, std::size_t> per_language;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const GoldCase& c = cases[i];
    ++per_language[c.language];
    std::vector<std::string> texts;
    for (std::size_t s = 0; s < kStyleNames.size(); ++s) {
      CaptionRequest request;
      request.content_description = c.description;
      request.language = c.language;
      request.style = static_cast<Style>(s);
      auto result = provider.generate(request);
      GoldGroup& g = groups[{c.language, std::string(kStyleNames[s])}];
      g.language = c.language;
      g.style = kStyleNames[s];
      if (!result) {
        ++g.captions;
        if (report.samples.size() < kMaxSamples)
          report.samples.push_back(c.id + ": " + result.error().message);
        continue;
      }
      const Caption& caption = result->caption;
      GoldCounts one;
      count(one, c, caption);
      add(g, one);
      if (one.subject_named == 0 && report.samples.size() < kMaxSamples)
        report.samples.push_back(c.id + " subject missing: " + caption.text);
      texts.push_back(caption.text);
      for (const std::string& line : lines_of(caption.text)) {
        if (core::utf8_length(line) > kReusableLineChars) line_uses[g.style][line].insert(i);
      }
    }
    for (std::size_t a = 0; a < texts.size(); ++a) {
      for (std::size_t b = a + 1; b < texts.size(); ++b) {
        report.style_distinct_sum += distance(texts[a], texts[b]);
        ++report.style_pairs;
      }
    }
  }
  for (auto& [key, g] : groups) {
    const std::size_t descriptions = per_language[g.language];
    for (const auto& [line, uses] : line_uses[g.style]) {
      std::size_t here = 0;
      for (std::size_t i : uses) here += cases[i].language == g.language ? 1 : 0;
      const double share = descriptions ? double(here) / descriptions : 0.0;
      if (share > g.max_line_reuse) {
        g.max_line_reuse = share;
        g.most_reused_line = line;
      }
    }
    add(report, g);
    report.groups.push_back(g);
  }
  for (const auto& [style, lines] : line_uses) {
    for (const auto& [line, uses] : lines) {
      report.max_line_reuse = std::max(report.max_line_reuse, double(uses.size()) / cases.size());
    }
  }
  return report;
}

std::string render_gold_text(const GoldReport& r) {
  char buf[1024];
  std::string out;
  std::snprintf(
      buf, sizeof buf,
      "descriptions          %zu\n"
      "captions              %zu\n"
      "subject named         %.3f\n"
      "facts kept            %.3f\n"
      "intent accuracy       %.3f\n"
      "niche accuracy        %.3f\n"
      "acceptable hashtags   %.3f\n"
      "wrong hashtags        %.3f\n"
      "wrong emojis          %zu\n"
      "lead emoji acceptable %.3f\n"
      "max line reuse        %.3f\n"
      "style distinctness    %.3f\n\n"
      "language style           subject facts intent niche ok-tags bad-tags bad-emoji lead reuse\n",
      r.descriptions, r.captions, r.subject(), r.facts_share(), r.intent(), r.niche(),
      r.acceptable(), r.wrong_hashtags(), r.emojis_wrong, r.lead_emoji(), r.max_line_reuse,
      r.style_distinctness());
  out += buf;
  for (const GoldGroup& g : r.groups) {
    std::snprintf(
        buf, sizeof buf, "%-8s %-16s %.2f    %.2f  %.2f   %.2f  %.2f    %.3f    %-9zu %.2f %.2f\n",
        g.language.c_str(), g.style.c_str(), g.subject(), g.facts_share(), g.intent(), g.niche(),
        g.acceptable(), g.wrong_hashtags(), g.emojis_wrong, g.lead_emoji(), g.max_line_reuse);
    out += buf;
  }
  if (!r.samples.empty()) {
    out += "\nsamples:\n";
    for (const std::string& s : r.samples) out += "  " + s + "\n";
  }
  return out;
}

std::string render_gold_json(const GoldReport& r) {
  auto counts = [](const GoldCounts& g) {
    return boost::json::object{{"captions", g.captions},
                               {"subject_named", g.subject()},
                               {"facts_kept", g.facts_share()},
                               {"intent_accuracy", g.intent()},
                               {"niche_accuracy", g.niche()},
                               {"acceptable_hashtags", g.acceptable()},
                               {"wrong_hashtags", g.wrong_hashtags()},
                               {"wrong_emojis", g.emojis_wrong},
                               {"lead_emoji_acceptable", g.lead_emoji()}};
  };
  boost::json::object o = counts(r);
  o["descriptions"] = r.descriptions;
  o["max_line_reuse"] = r.max_line_reuse;
  o["style_distinctness"] = r.style_distinctness();
  boost::json::array groups;
  for (const GoldGroup& g : r.groups) {
    boost::json::object go = counts(g);
    go["language"] = g.language;
    go["style"] = g.style;
    go["max_line_reuse"] = g.max_line_reuse;
    go["most_reused_line"] = g.most_reused_line;
    groups.push_back(std::move(go));
  }
  o["groups"] = std::move(groups);
  return boost::json::serialize(o);
}

}  // namespace reelgen::captions
