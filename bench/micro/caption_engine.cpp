// Engine time per caption, without HTTP, JSON or cache: the budget is a 20 us median for
// ultra_fast and balanced and 100 us for quality (DESIGN.md section 7).

#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <utility>

#include "captions/provider.hpp"

namespace {

using reelgen::captions::CaptionRequest;
using reelgen::captions::ContentType;
using reelgen::captions::OptimizationLevel;
using reelgen::captions::Provider;
using reelgen::captions::Style;

const Provider& provider() {
  static const std::unique_ptr<Provider> instance = [] {
    auto p = reelgen::captions::make_builtin_provider();
    if (!p) std::abort();
    return std::move(*p);
  }();
  return *instance;
}

constexpr std::array<std::string_view, 6> kDescriptions = {
    "Beautiful sunset over the ocean",
    "My golden retriever playing in the snow",
    "Homemade pizza with fresh basil and mozzarella in my tiny kitchen",
    "Morning yoga session on the beach before work",
    "Launching our new minimalist leather wallet collection this Friday",
    "Cozy coffee shop corner with a good book on a rainy afternoon",
};

void caption(benchmark::State& state, OptimizationLevel level) {
  const Provider& p = provider();
  CaptionRequest r;
  r.optimization_level = level;
  r.hashtag_count = 15;
  r.keywords = {"weekend"};
  std::size_t i = 0;
  for (auto _ : state) {
    r.content_description = kDescriptions[i % kDescriptions.size()];
    r.style = static_cast<Style>(i % 9);
    r.content_type = static_cast<ContentType>(i % 4);
    r.seed = i;
    auto result = p.generate(r);
    benchmark::DoNotOptimize(result);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

// The same across the six languages: the non-English path has no WordNet lookups but its own
// grammar pass (elision, contractions).
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kLocalized = {{
    {"en", "My golden retriever puppy playing in the snow"},
    {"es", "Atardecer en la playa con mi perro"},
    {"fr", "Coucher de soleil sur l'océan avec mon chien"},
    {"de", "Hausgemachtes Brot frisch aus dem Ofen"},
    {"it", "Pizza margherita fatta in casa con basilico fresco"},
    {"pt", "Pôr do sol na praia com a família"},
}};

void caption_languages(benchmark::State& state, OptimizationLevel level) {
  const Provider& p = provider();
  CaptionRequest r;
  r.optimization_level = level;
  r.hashtag_count = 15;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [lang, description] = kLocalized[i % kLocalized.size()];
    r.language = std::string(lang);
    r.content_description = std::string(description);
    r.style = static_cast<Style>(i % 9);
    r.content_type = static_cast<ContentType>(i % 4);
    r.seed = i;
    auto result = p.generate(r);
    benchmark::DoNotOptimize(result);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Caption_UltraFast(benchmark::State& s) { caption(s, OptimizationLevel::ultra_fast); }
void BM_Caption_Balanced(benchmark::State& s) { caption(s, OptimizationLevel::balanced); }
void BM_Caption_Quality(benchmark::State& s) { caption(s, OptimizationLevel::quality); }
void BM_Caption_AllLanguages_Balanced(benchmark::State& s) {
  caption_languages(s, OptimizationLevel::balanced);
}
void BM_Caption_AllLanguages_Quality(benchmark::State& s) {
  caption_languages(s, OptimizationLevel::quality);
}

void BM_LoadBuiltinProvider(benchmark::State& state) {
  for (auto _ : state) {
    auto p = reelgen::captions::make_builtin_provider();
    benchmark::DoNotOptimize(p);
  }
}

BENCHMARK(BM_Caption_UltraFast)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Caption_Balanced)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Caption_Quality)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Caption_AllLanguages_Balanced)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Caption_AllLanguages_Quality)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_LoadBuiltinProvider)->Unit(benchmark::kMillisecond);

}  // namespace
