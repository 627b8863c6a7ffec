// `reelgen eval FILE`: writes captions for every description of FILE in every style and reports
// hashtag relevance, distinctness, rule violations, length compliance, duplicates and timings.
// Floors given as flags turn the report into a check: the exit code is 1 when one is missed.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "app/commands.hpp"
#include "captions/evaluation.hpp"
#include "captions/provider.hpp"

namespace {

struct EvalFlags {
  std::string file;
  bool json = false;
  double min_relevance = 0;
  double min_style_distinctness = 0;
  double min_variant_distinctness = 0;
  double min_length_compliance = 0;
  double min_niche_accuracy = 0;
  long max_violations = -1;  // -1: no floor
  long max_duplicates = -1;
};

int run_eval(const EvalFlags& flags) {
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "reelgen eval: cannot read %s\n", flags.file.c_str());
    return 2;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto cases = reelgen::captions::parse_eval_cases(buffer.str());
  if (!cases) {
    std::fprintf(stderr, "reelgen eval: %s: %s\n", flags.file.c_str(),
                 cases.error().message.c_str());
    return 2;
  }
  auto provider = reelgen::captions::make_builtin_provider();
  if (!provider) {
    std::fprintf(stderr, "reelgen eval: %s\n", provider.error().message.c_str());
    return 1;
  }
  const auto report = reelgen::captions::evaluate(**provider, *cases);
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
                  "JSON lines: {\"description\", \"language\", \"topics\", \"niche\"}")
      ->required();
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
