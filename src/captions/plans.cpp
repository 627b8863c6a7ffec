#include "captions/plans.hpp"

#include <algorithm>

#include "captions/section_reader.hpp"
#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

template <std::size_t N>
int index_in(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string_view> split_bar(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t bar = text.find('|');
    out.push_back(trim(text.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return out;
}

core::Error bad(std::string_view where, std::string_view what) {
  return core::Error::make(core::ErrorCode::internal,
                           "plans: " + std::string(what) + " in '" + std::string(where) + "'");
}

template <std::size_t N>
core::Result<std::uint16_t> mask_of(std::string_view list,
                                    const std::array<std::string_view, N>& names,
                                    std::string_view line) {
  if (list == "*") return static_cast<std::uint16_t>((1u << N) - 1);
  std::uint16_t mask = 0;
  for (std::string_view item : split_list(list)) {
    const int i = index_in(names, item);
    if (i < 0) return std::unexpected(bad(line, "unknown name '" + std::string(item) + "'"));
    mask |= static_cast<std::uint16_t>(1u << i);
  }
  return mask;
}

core::Result<void> parse_conditions(std::string_view text, PlanLine& line, std::string_view where) {
  for (std::string_view c : split_list(text)) {
    ++line.conditions;
    if (c == "fragment" || c == "!fragment") {
      line.fragment = c == "fragment" ? 1 : 0;
    } else if (c == "past" || c == "!past") {
      line.past = c == "past" ? 1 : 0;
    } else if (c == "formal" || c == "informal") {
      line.formal = c == "formal" ? 1 : 0;
    } else if (c == "first_person") {
      line.first_person = true;
    } else if (c.starts_with("niche=") || c.starts_with("!niche=")) {
      line.niches_excluded = c.starts_with('!');
      line.niches = split_bar(c.substr(c.find('=') + 1));
    } else if (c.starts_with("voice=")) {
      line.voices = split_bar(c.substr(6));
    } else if (c.starts_with("cue=") || c.starts_with("!cue=")) {
      (c.starts_with('!') ? line.no_cues : line.cues) = split_bar(c.substr(c.find('=') + 1));
    } else if (c.starts_with("fact=") || c.starts_with("!fact=")) {
      std::uint16_t& mask = c.starts_with('!') ? line.no_facts : line.facts;
      for (std::string_view kind : split_bar(c.substr(c.find('=') + 1))) {
        const int k = index_in(kFactKindNames, kind);
        if (k < 0) return std::unexpected(bad(where, "unknown fact kind"));
        mask |= static_cast<std::uint16_t>(1u << k);
      }
    } else {
      return std::unexpected(bad(where, "unknown condition '" + std::string(c) + "'"));
    }
  }
  return {};
}

core::Result<void> parse_text(std::string_view text, PlanLine& line, std::string_view where) {
  while (!text.empty()) {
    const std::size_t open = text.find('{');
    if (open == std::string_view::npos) {
      line.pieces.push_back({text, -1});
      break;
    }
    if (open > 0) line.pieces.push_back({text.substr(0, open), -1});
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) return std::unexpected(bad(where, "unclosed '{'"));
    const int slot = index_in(kPlanSlotNames, text.substr(open + 1, close - open - 1));
    if (slot < 0) return std::unexpected(bad(where, "unknown slot"));
    line.pieces.push_back({{}, slot});
    line.slots |= static_cast<std::uint16_t>(1u << slot);
    text.remove_prefix(close + 1);
  }
  return {};
}

core::Result<PlanLine> parse_line(std::string_view text) {
  std::vector<std::string_view> fields;
  std::string_view rest = text;
  for (int i = 0; i < 3; ++i) {
    // Fields end at " |"; a bar inside a field ("niche=food|drink") has no space before it.
    const std::size_t bar = rest.find(" |");
    if (bar == std::string_view::npos) return std::unexpected(bad(text, "expected 4 fields"));
    fields.push_back(trim(rest.substr(0, bar)));
    rest.remove_prefix(bar + 2);
  }
  fields.push_back(trim(rest));
  PlanLine line;
  auto intents = mask_of(fields[0], kIntentNames, text);
  if (!intents) return std::unexpected(intents.error());
  auto styles = mask_of(fields[1], kStyleNames, text);
  if (!styles) return std::unexpected(styles.error());
  line.intents = *intents;
  line.styles = *styles;
  if (auto c = parse_conditions(fields[2], line, text); !c) return std::unexpected(c.error());
  if (fields[3].empty()) return std::unexpected(bad(text, "empty text"));
  if (auto t = parse_text(fields[3], line, text); !t) return std::unexpected(t.error());
  return line;
}

bool points_to_bio(const PlanLine& line, const std::vector<std::string_view>* phrases) {
  if (phrases == nullptr) return false;
  return std::any_of(line.pieces.begin(), line.pieces.end(), [&](const PlanPiece& piece) {
    return piece.slot < 0 && std::any_of(phrases->begin(), phrases->end(), [&](std::string_view p) {
             return piece.text.find(p) != std::string_view::npos;
           });
  });
}

// "We're moving" opens no caption whose description starts "We're moving!".
bool says_already(const PlanLine& line, std::string_view lower_description) {
  if (line.pieces.size() != 1 || line.pieces[0].slot >= 0 || lower_description.empty())
    return false;
  // The line up to its last letter: without its closing punctuation and emoji.
  const std::string_view line_text = line.pieces[0].text;
  std::size_t letters_end = 0;
  for (std::size_t i = 0; i < line_text.size();) {
    if (is_word_code_point(next_code_point(line_text, i))) letters_end = i;
  }
  const std::string lower = lower_latin(line_text.substr(0, letters_end));
  if (lower.size() > 3 && lower_description.find(lower) != std::string_view::npos) return true;
  // Nor does "Introducing the latest" open "Introducing the Trailblazer 2", nor "Gracias de
  // corazón" "Gracias a todos": the same first word, said twice in a row.
  auto first_word = [](std::string_view t) {
    const std::size_t start = t.find_first_not_of(" ¡¿\"'");
    if (start == std::string_view::npos) return std::string_view{};
    t.remove_prefix(start);
    return t.substr(0, t.find_first_of(" ,.!?:;"));
  };
  const std::string_view word = first_word(lower);
  return word.size() > 4 && word == first_word(lower_description);
}

bool holds(const PlanLine& line, const PlanContext& c) {
  if ((line.intents & (1u << static_cast<unsigned>(c.intent))) == 0) return false;
  if ((line.styles & (1u << static_cast<unsigned>(c.style))) == 0) return false;
  if (!line.niches.empty()) {
    const bool listed =
        std::find(line.niches.begin(), line.niches.end(), c.niche) != line.niches.end();
    if (listed == line.niches_excluded) return false;
  }
  if (!line.cues.empty() && std::none_of(line.cues.begin(), line.cues.end(),
                                         [&](std::string_view w) { return c.mentions(w); }))
    return false;
  if (std::any_of(line.no_cues.begin(), line.no_cues.end(),
                  [&](std::string_view w) { return c.mentions(w); }))
    return false;
  if (c.post->contact && points_to_bio(line, c.bio_phrases)) return false;
  bool any_fact = line.facts == 0;
  for (std::size_t k = 0; k < kFactKindNames.size(); ++k) {
    const bool present = c.post->has(static_cast<FactKind>(k));
    if ((line.facts & (1u << k)) != 0 && present) any_fact = true;
    if ((line.no_facts & (1u << k)) != 0 && present) return false;
  }
  if (!any_fact) return false;
  if (line.fragment >= 0 && (line.fragment == 1) != c.post->fragment) return false;
  if (line.first_person && !c.post->first_person) return false;
  if (line.past >= 0 && (line.past == 1) != c.post->past) return false;
  if (line.formal >= 0 && (line.formal == 1) != c.formal) return false;
  if (!line.voices.empty() &&
      std::none_of(line.voices.begin(), line.voices.end(), [&](std::string_view v) {
        return std::find(c.voices.begin(), c.voices.end(), v) != c.voices.end();
      }))
    return false;
  for (std::size_t s = 0; s < kPlanSlotNames.size(); ++s) {
    if ((line.slots & (1u << s)) != 0 && c.values[s].empty()) return false;
  }
  return !says_already(line, c.lower_description);
}

}  // namespace

core::Result<PlanBank> parse_plan_bank(std::string_view text, const PlanBank* base) {
  PlanBank bank;
  if (base != nullptr) bank.styles = base->styles;
  core::Result<void> status;
  read_sections(text, [&](std::string_view section, std::string_view line) {
    if (!status) return;
    if (section == "styles") {
      std::string_view key, value;
      if (!split_key_value(line, key, value)) {
        status = std::unexpected(bad(line, "expected 'style = ...'"));
        return;
      }
      const int style = index_in(kStyleNames, key);
      const auto items = split_list(value);
      if (style < 0 || items.size() != 4) {
        status = std::unexpected(bad(line, "expected a style, emojis and three tones"));
        return;
      }
      StyleVoice& v = bank.styles[static_cast<std::size_t>(style)];
      v.emojis = items[0][0] - '0';
      v.tone_positive = items[1];
      v.tone_neutral = items[2];
      v.tone_negative = items[3];
      return;
    }
    std::vector<PlanLine>* target = section == "hooks"      ? &bank.hooks
                                    : section == "bodies"   ? &bank.bodies
                                    : section == "ctas"     ? &bank.ctas
                                    : section == "keywords" ? &bank.keywords
                                    : section == "carousel" ? &bank.carousel
                                                            : nullptr;
    if (target == nullptr) {
      status =
          std::unexpected(bad(line, "line outside a known section [" + std::string(section) + "]"));
      return;
    }
    auto parsed = parse_line(line);
    if (!parsed) {
      status = std::unexpected(parsed.error());
      return;
    }
    target->push_back(std::move(*parsed));
  });
  if (!status) return std::unexpected(status.error());
  // Every intent needs a hook and a call to action in every style; keywords and swipes any line.
  for (std::size_t i = 0; i < kIntentNames.size(); ++i) {
    for (std::size_t s = 0; s < kStyleNames.size(); ++s) {
      for (const auto* lines : {&bank.hooks, &bank.ctas}) {
        const bool covered = std::any_of(lines->begin(), lines->end(), [&](const PlanLine& l) {
          return (l.intents & (1u << i)) && (l.styles & (1u << s)) && l.conditions == 0 &&
                 l.slots == 0;
        });
        if (!covered) {
          return std::unexpected(
              bad(std::string(kIntentNames[i]) + "/" + std::string(kStyleNames[s]),
                  lines == &bank.hooks ? "no unconditional hook" : "no unconditional cta"));
        }
      }
    }
  }
  if (bank.keywords.empty() || bank.carousel.empty()) {
    return std::unexpected(bad("[keywords] [carousel]", "missing section"));
  }
  return bank;
}

int choose_line(const std::vector<PlanLine>& lines, const PlanContext& context, Rng& rng,
                const std::vector<int>& avoid) {
  // Specific lines (they name the niche, a word, a fact) are drawn twice as often.
  std::vector<int> fresh, used;
  auto for_the_kind = [&](const PlanLine& line) { return !line.cues.empty(); };
  const bool kind_fits = std::any_of(lines.begin(), lines.end(), [&](const PlanLine& line) {
    return for_the_kind(line) && holds(line, context);
  });
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (kind_fits && !for_the_kind(lines[i])) continue;
    if (!holds(lines[i], context)) continue;
    const int index = static_cast<int>(i);
    auto& pool = std::find(avoid.begin(), avoid.end(), index) == avoid.end() ? fresh : used;
    pool.push_back(index);
    if (lines[i].conditions > 0 || lines[i].slots != 0) pool.push_back(index);
    if (!lines[i].voices.empty()) pool.insert(pool.end(), 2, index);
    // A thank-you or a recap ends with thanks far more often than with anything else.
    if (lines[i].past == 1) pool.insert(pool.end(), 3, index);
  }
  const auto& pool = fresh.empty() ? used : fresh;
  if (pool.empty()) return -1;
  return pool[rng.below(pool.size())];
}

std::string render_line(const PlanLine& line, const PlanContext& context) {
  std::string out;
  for (const PlanPiece& p : line.pieces) {
    out.append(p.slot < 0 ? p.text : context.values[static_cast<std::size_t>(p.slot)]);
  }
  return out;
}

}  // namespace reelgen::captions::detail
