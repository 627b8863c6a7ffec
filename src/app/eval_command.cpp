// `reelgen eval FILE`: writes captions for every description of FILE in every style and reports
// hashtag relevance, distinctness, rule violations, length compliance, duplicates and timings.
// Floors given as flags turn the report into a check: the exit code is 1 when one is missed.

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "app/commands.hpp"
#include "captions/evaluation.hpp"
#include "captions/gold_eval.hpp"
#include "captions/provider.hpp"

namespace {

struct EvalFlags {
  std::string file;
  std::string gold;
  double min_subject = 0, min_facts = 0, min_intent = 0, min_acceptable_hashtags = 0;
  double min_lead_emoji = 0;
  double max_wrong_hashtags = 1, max_line_reuse = 1;
  long max_wrong_emojis = -1;
  bool json = false;
  double min_relevance = 0;
  double min_style_distinctness = 0;
  double min_variant_distinctness = 0;
  double min_length_compliance = 0;
  double min_niche_accuracy = 0;
  long max_violations = -1;  // -1: no floor
  long max_duplicates = -1;
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Floors given as flags; each miss is reported and counted.
struct Floors {
  int failed = 0;
  void at_least(const char* what, double value, double limit) {
    if (value >= limit) return;
    std::fprintf(stderr, "reelgen eval: %s %.3f misses the floor %.3f\n", what, value, limit);
    ++failed;
  }
  void at_most(const char* what, double value, double limit) {
    if (value <= limit) return;
    std::fprintf(stderr, "reelgen eval: %s %.3f is over the ceiling %.3f\n", what, value, limit);
    ++failed;
  }
};

// Reads and parses the case file and loads the engine; on failure prints why and returns the
// exit code (2 for a bad file, 1 for an engine that does not load), else 0.
template <typename Cases>
int load(const std::string& path, reelgen::core::Result<Cases> (*parse)(std::string_view),
         Cases& cases, std::unique_ptr<reelgen::captions::Provider>& provider) {
  const auto text = read_file(path);
  if (!text) {
    std::fprintf(stderr, "reelgen eval: cannot read %s\n", path.c_str());
    return 2;
  }
  auto parsed = parse(*text);
  if (!parsed) {
    std::fprintf(stderr, "reelgen eval: %s: %s\n", path.c_str(), parsed.error().message.c_str());
    return 2;
  }
  cases = std::move(*parsed);
  auto made = reelgen::captions::make_builtin_provider();
  if (!made) {
    std::fprintf(stderr, "reelgen eval: %s\n", made.error().message.c_str());
    return 1;
  }
  provider = std::move(*made);
  return 0;
}

int run_gold(const EvalFlags& flags) {
  std::vector<reelgen::captions::GoldCase> cases;
  std::unique_ptr<reelgen::captions::Provider> provider;
  if (int code = load(flags.gold, &reelgen::captions::parse_gold_cases, cases, provider))
    return code;
  const auto r = reelgen::captions::evaluate_gold(*provider, cases);
  const std::string rendered =
      flags.json ? reelgen::captions::render_gold_json(r) : reelgen::captions::render_gold_text(r);
  std::printf("%s\n", rendered.c_str());
  Floors f;
  f.at_least("subject named", r.subject(), flags.min_subject);
  f.at_least("facts kept", r.facts_share(), flags.min_facts);
  f.at_least("intent accuracy", r.intent(), flags.min_intent);
  f.at_least("niche accuracy", r.niche(), flags.min_niche_accuracy);
  f.at_least("acceptable hashtags", r.acceptable(), flags.min_acceptable_hashtags);
  f.at_least("lead emoji acceptable", r.lead_emoji(), flags.min_lead_emoji);
  f.at_most("wrong hashtags", r.wrong_hashtags(), flags.max_wrong_hashtags);
  f.at_most("max line reuse", r.max_line_reuse, flags.max_line_reuse);
  if (flags.max_wrong_emojis >= 0) {
    f.at_most("wrong emojis", static_cast<double>(r.emojis_wrong),
              static_cast<double>(flags.max_wrong_emojis));
  }
  return f.failed == 0 ? 0 : 1;
}

int run_eval(const EvalFlags& flags) {
  if (!flags.gold.empty()) return run_gold(flags);
  if (flags.file.empty()) {
    std::fprintf(stderr, "reelgen eval: give a FILE or --gold FILE\n");
    return 2;
  }
  std::vector<reelgen::captions::EvalCase> cases;
  std::unique_ptr<reelgen::captions::Provider> provider;
  if (int code = load(flags.file, &reelgen::captions::parse_eval_cases, cases, provider))
    return code;
  const auto report = reelgen::captions::evaluate(*provider, cases);
  const std::string rendered = flags.json ? reelgen::captions::render_eval_json(report)
                                          : reelgen::captions::render_eval_text(report);
  std::printf("%s\n", rendered.c_str());

  int failed = 0;
  auto floor = [&](bool ok, const char* what, double value, double limit) {
    if (ok) return;
    std::fprintf(stderr, "reelgen eval: %s %.3f misses the floor %.3f\n", what, value, limit);
    ++failed;
  };
  floor(report.relevance() >= flags.min_relevance, "relevance", report.relevance(),
        flags.min_relevance);
  floor(report.style_distinctness() >= flags.min_style_distinctness, "style distinctness",
        report.style_distinctness(), flags.min_style_distinctness);
  floor(report.variant_distinctness() >= flags.min_variant_distinctness, "variant distinctness",
        report.variant_distinctness(), flags.min_variant_distinctness);
  floor(report.length_compliance() >= flags.min_length_compliance, "length compliance",
        report.length_compliance(), flags.min_length_compliance);
  floor(report.niche_accuracy() >= flags.min_niche_accuracy, "niche accuracy",
        report.niche_accuracy(), flags.min_niche_accuracy);
  if (flags.max_violations >= 0) {
    floor(report.violations <= static_cast<std::size_t>(flags.max_violations), "violations",
          static_cast<double>(report.violations), static_cast<double>(flags.max_violations));
  }
  if (flags.max_duplicates >= 0) {
    floor(report.duplicate_hashtags <= static_cast<std::size_t>(flags.max_duplicates),
          "duplicate hashtags", static_cast<double>(report.duplicate_hashtags),
          static_cast<double>(flags.max_duplicates));
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

void add_eval_command(CLI::App& cli, int& exit_code) {
  auto flags = std::make_shared<EvalFlags>();
  auto* cmd =
      cli.add_subcommand("eval", "Report caption quality over a JSON-lines description file");
  cmd->add_option("file", flags->file,
                  "JSON lines: {\"description\", \"language\", \"topics\", \"niche\"}");
  cmd->add_option("--gold", flags->gold,
                  "Labelled JSON lines (subject, niche, intent, facts, hashtags_ok/bad, "
                  "emojis_ok/bad): report per language and style against the labels");
  cmd->add_option("--min-subject", flags->min_subject, "Gold: floor for subject named (0-1)");
  cmd->add_option("--min-facts", flags->min_facts, "Gold: floor for facts kept (0-1)");
  cmd->add_option("--min-intent", flags->min_intent, "Gold: floor for intent accuracy (0-1)");
  cmd->add_option("--min-acceptable-hashtags", flags->min_acceptable_hashtags,
                  "Gold: floor for the share of acceptable hashtags (0-1)");
  cmd->add_option("--max-wrong-hashtags", flags->max_wrong_hashtags,
                  "Gold: ceiling for the share of wrong hashtags (0-1)");
  cmd->add_option("--max-wrong-emojis", flags->max_wrong_emojis, "Gold: most wrong emojis allowed");
  cmd->add_option("--min-lead-emoji", flags->min_lead_emoji,
                  "Gold: floor for an acceptable first emoji (0-1)");
  cmd->add_option("--max-line-reuse", flags->max_line_reuse,
                  "Gold: ceiling for the share of descriptions one line over 40 characters "
                  "appears under, per style (0-1)");
  cmd->add_flag("--json", flags->json, "Print the report as JSON");
  cmd->add_option("--min-relevance", flags->min_relevance,
                  "Floor for the share of related hashtags (0-1)");
  cmd->add_option("--min-style-distinctness", flags->min_style_distinctness,
                  "Floor for distinctness between styles (0-1)");
  cmd->add_option("--min-variant-distinctness", flags->min_variant_distinctness,
                  "Floor for distinctness between variants (0-1)");
  cmd->add_option("--min-length-compliance", flags->min_length_compliance,
                  "Floor for short captions within 80 characters (0-1)");
  cmd->add_option("--min-niche-accuracy", flags->min_niche_accuracy,
                  "Lowest share of descriptions whose expected niche is detected");
  cmd->add_option("--max-violations", flags->max_violations,
                  "Most leftover-slot and grammar violations allowed");
  cmd->add_option("--max-duplicates", flags->max_duplicates, "Most duplicate hashtags allowed");
  cmd->callback([flags, &exit_code] { exit_code = run_eval(*flags); });
}
