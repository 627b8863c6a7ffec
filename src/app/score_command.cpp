// `reelgen score --file F`: scores given captions with the builtin engine's checks. Each line
// of F is {"description", "caption", "hashtags", "language"?, "style"?, "content_type"?,
// "your_rating"?, "sentiment"?}; each output line carries the scores. When lines are rated, the
// rank correlation of quality_score with the ratings is printed (--min-spearman makes it a
// check); when they carry a sentiment label, the share the engine agrees with.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "captions/provider.hpp"
#include "core/json.hpp"

namespace {

using namespace reelgen;

struct ScoreFlags {
  std::string file;
  double min_spearman = -2;  // below any correlation: no floor
  double min_sentiment_agreement = 0;
};

// Ranks with ties sharing their mean rank.
std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = mean;
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  return va == 0 || vb == 0 ? 0.0 : cov / std::sqrt(va * vb);
}

std::string string_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

template <std::size_t N>
bool set_choice(const boost::json::object& o, std::string_view key,
                const std::array<std::string_view, N>& names, std::size_t& out) {
  const std::string value = string_of(o, key);
  if (value.empty()) return true;
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == value) {
      out = i;
      return true;
    }
  }
  return false;
}

int run_score(const ScoreFlags& flags) {
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "reelgen score: cannot read %s\n", flags.file.c_str());
    return 2;
  }
  auto provider = captions::make_builtin_provider();
  if (!provider) {
    std::fprintf(stderr, "reelgen score: %s\n", provider.error().message.c_str());
    return 1;
  }
  std::vector<double> scores, ratings;
  std::size_t labelled = 0, agreeing = 0;
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto doc = core::parse_json(line);
    if (!doc || !doc->is_object()) {
      std::fprintf(stderr, "reelgen score: line %zu: not a JSON object\n", line_no);
      return 2;
    }
    const auto& o = doc->get_object();
    captions::CaptionRequest request;
    request.content_description = string_of(o, "description");
    request.language = string_of(o, "language");
    if (request.language.empty()) request.language = "en";
    std::size_t style = 0, type = 0;
    if (!set_choice(o, "style", captions::kStyleNames, style) ||
        !set_choice(o, "content_type", captions::kContentTypeNames, type) ||
        request.content_description.empty()) {
      std::fprintf(stderr, "reelgen score: line %zu: needs a description and known style\n",
                   line_no);
      return 2;
    }
    request.style = static_cast<captions::Style>(style);
    request.content_type = static_cast<captions::ContentType>(type);
    captions::Caption caption;
    caption.text = string_of(o, "caption");
    if (const auto* tags = o.if_contains("hashtags"); tags != nullptr && tags->is_array()) {
      for (const auto& t : tags->get_array()) {
        if (t.is_string()) caption.hashtags.emplace_back(t.get_string());
      }
    }
    request.hashtag_count = static_cast<int>(caption.hashtags.size());
    auto scored = (*provider)->score(request, std::move(caption));
    if (!scored) {
      std::fprintf(stderr, "reelgen score: line %zu: %s\n", line_no,
                   scored.error().message.c_str());
      return 1;
    }
    // Written by hand so numbers read 84.2, not 8.42E1.
    const captions::Caption& c = *scored;
    const captions::QualityChecks& k = c.checks;
    char numbers[512];
    std::snprintf(numbers, sizeof numbers,
                  "{\"line\":%zu,\"quality_score\":%.1f,\"engagement_score\":%.1f,"
                  "\"readability_score\":%.1f,\"checks\":{\"subject\":%.2f,\"facts\":%.2f,"
                  "\"specific\":%.2f,\"cta\":%.2f,\"lint\":%.2f,\"length\":%.2f,"
                  "\"hashtags\":%.2f,\"emojis\":%.2f,\"findings\":%d},",
                  line_no, c.quality_score, c.engagement_score, c.readability_score, k.subject,
                  k.facts, k.specific, k.cta, k.lint, k.length, k.hashtags, k.emojis, k.findings);
    std::string out = numbers;
    boost::json::array omitted;
    for (const auto& f : c.facts_omitted) omitted.emplace_back(f.text);
    out += "\"sentiment\":" + boost::json::serialize(boost::json::value(c.sentiment));
    out += ",\"intent\":\"" + std::string(captions::name_of(c.intent, captions::kIntentNames));
    out += "\",\"niche\":" + boost::json::serialize(boost::json::value(c.niche));
    out += ",\"facts_omitted\":" + boost::json::serialize(omitted);
    if (const std::string label = string_of(o, "sentiment"); !label.empty()) {
      ++labelled;
      agreeing += label == c.sentiment ? 1 : 0;
    }
    if (const auto* r = o.if_contains("your_rating"); r != nullptr && r->is_number()) {
      scores.push_back(c.quality_score);
      ratings.push_back(r->to_number<double>());
      out += ",\"your_rating\":" + std::to_string(static_cast<int>(ratings.back()));
    }
    out += '}';
    std::printf("%s\n", out.c_str());
  }
  int failed = 0;
  if (labelled > 0) {
    const double agreement = static_cast<double>(agreeing) / static_cast<double>(labelled);
    std::printf("sentiment agreement with labels: %.3f (%zu of %zu)\n", agreement, agreeing,
                labelled);
    if (agreement < flags.min_sentiment_agreement) {
      std::fprintf(stderr, "reelgen score: sentiment agreement %.3f misses the floor %.3f\n",
                   agreement, flags.min_sentiment_agreement);
      ++failed;
    }
  }
  if (ratings.size() < 2) return failed == 0 ? 0 : 1;
  const double rho = pearson(ranks(scores), ranks(ratings));
  std::printf("spearman quality_score vs your_rating: %.3f (n=%zu)\n", rho, ratings.size());
  if (rho < flags.min_spearman) {
    std::fprintf(stderr, "reelgen score: spearman %.3f misses the floor %.3f\n", rho,
                 flags.min_spearman);
    ++failed;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

void add_score_command(CLI::App& cli, int& exit_code) {
  auto flags = std::make_shared<ScoreFlags>();
  auto* cmd = cli.add_subcommand("score", "Score given captions with the engine's quality checks");
  cmd->add_option("--file", flags->file,
                  "JSON lines: {\"description\", \"caption\", \"hashtags\", \"language\", "
                  "\"style\", \"your_rating\"}")
      ->required();
  cmd->add_option("--min-spearman", flags->min_spearman,
                  "Floor for the rank correlation of quality_score with your_rating");
  cmd->add_option("--min-sentiment-agreement", flags->min_sentiment_agreement,
                  "Floor for the share of lines whose \"sentiment\" label the engine agrees with");
  cmd->callback([flags, &exit_code] { exit_code = run_score(*flags); });
}
