// Every output is at the platforms' loudness: -14 LUFS integrated (within 1 LU) with true peaks
// at or under -1 dBTP, measured on the encoded file by ffmpeg's ebur128 filter, for every voice.

#include "video/loudness.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <string>

#include "video/catalog.hpp"
#include "video/engine.hpp"

namespace reelgen::video::detail {
namespace {

// Bursts of noise with a loud click in each: a crest factor far above speech's.
std::vector<float> bursts(int rate, double seconds, float level) {
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0, level);
  std::vector<float> x(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool on = (i / (rate / 4)) % 3 != 2;
    x[i] = on ? noise(random) : 0;
    if (i % (rate / 2) == 100) x[i] = level * 12;
  }
  return x;
}

TEST(Loudness, NormalizesQuietAndLoudTracksAndHoldsPeaks) {
  constexpr int rate = 48000;
  for (const float level : {0.005f, 0.05f, 0.4f}) {
    auto x = bursts(rate, 6, level);
    normalize_loudness(x, rate, {});
    const auto m = measure_loudness(x, rate);
    EXPECT_NEAR(m.integrated_lufs, -14, 0.3) << level;
    EXPECT_LE(m.true_peak_dbtp, -1.7 + 0.05) << level;
  }
}

TEST(Loudness, ScenesOfDifferentLevelsEndAlike) {
  constexpr int rate = 48000;
  auto quiet = bursts(rate, 4, 0.01f), loud = bursts(rate, 4, 0.2f);
  std::vector<float> x = quiet;
  x.insert(x.end(), loud.begin(), loud.end());
  const std::size_t starts[] = {0, quiet.size()};
  normalize_loudness(x, rate, starts);
  const auto a = measure_loudness(std::span(x).first(quiet.size()), rate);
  const auto b = measure_loudness(std::span(x).subspan(quiet.size()), rate);
  EXPECT_NEAR(a.integrated_lufs, b.integrated_lufs, 1.0);
  EXPECT_NEAR(measure_loudness(x, rate).integrated_lufs, -14, 0.3);
}

TEST(Loudness, SilenceStaysSilent) {
  std::vector<float> x(48000, 0.0f);
  normalize_loudness(x, 48000, {});
  for (const float s : x) ASSERT_EQ(s, 0.0f);
}

struct Measured {
  double integrated = NAN, true_peak = NAN;
};

// ffmpeg's own EBU R 128 meter on the decoded file.
Measured ebur128_of(const std::filesystem::path& file) {
  const std::string command =
      "ffmpeg -nostats -hide_banner -i " + file.string() + " -af ebur128=peak=true -f null - 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  ::pclose(pipe);
  Measured m;
  // The summary comes last: "I: -14.0 LUFS" and, under "True peak:", "Peak: -1.9 dBFS".
  const auto summary = output.rfind("Summary:");
  if (summary == std::string::npos) return m;
  const std::string tail = output.substr(summary);
  std::smatch match;
  if (std::regex_search(tail, match, std::regex(R"(I:\s+(-?[0-9.]+) LUFS)")))
    m.integrated = std::stod(match[1]);
  if (std::regex_search(tail, match, std::regex(R"(Peak:\s+(-?[0-9.]+|-inf) dBFS)"))) {
    m.true_peak = match[1] == "-inf" ? -INFINITY : std::stod(match[1]);
  }
  return m;
}

TEST(Loudness, EveryVoiceIsAtMinus14LufsInTheFile) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("reelgen-loudness-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::string> voices;
  for (const auto& v : catalog().voices) {
    // Every English voice; of the espeak-ng ones, one male and one female.
    if (v.language == "en" || v.id == "de" || v.id == "es-f") voices.push_back(v.id);
  }
  for (const auto& id : voices) {
    const VoiceInfo* voice = find_voice(id);
    RenderRequest r;
    r.draft = true;
    r.allow_hardware = false;
    r.write_sidecars = false;
    r.voice_id = id;
    r.language = voice->language;
    r.script =
        voice->language == "en"
            ? "Hello and welcome back! Today I will show you three calm ways to start your morning."
        : voice->language == "de"
            ? "Heute sprechen wir über Größe, Übung und Geduld. Los geht's!"
            : "Hola a todos. Hoy les enseño tres maneras de empezar el día con calma.";
    const auto out = dir / (id + ".mp4");
    auto summary = video::engine::render(r, out);
    ASSERT_TRUE(summary.has_value()) << id << ": " << summary.error().message;
    const Measured m = ebur128_of(out);
    std::printf("%-8s I %.1f LUFS, true peak %.1f dBTP\n", id.c_str(), m.integrated, m.true_peak);
    EXPECT_NEAR(m.integrated, -14, 1.0) << id;
    EXPECT_LE(m.true_peak, -1.0) << id;
  }
  // Two scenes, a quiet voice and a loud one, at one loudness: each half measured alone.
  RenderRequest r;
  r.draft = true;
  r.allow_hardware = false;
  r.write_sidecars = false;
  Scene quiet, loud;
  quiet.script = "This first part is spoken by a quiet voice, slowly and calmly.";
  quiet.voice_id = "rms";
  loud.script = "And this second part is spoken by a brighter voice, just as long.";
  loud.voice_id = "slt";
  r.scenes = {quiet, loud};
  const auto out = dir / "scenes.mp4";
  auto summary = video::engine::render(r, out);
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  const Measured whole = ebur128_of(out);
  EXPECT_NEAR(whole.integrated, -14, 1.0);
  EXPECT_LE(whole.true_peak, -1.0);
  const double half = summary->duration_s / 2;
  for (const auto& [name, args] : {std::pair{"first", " -t " + std::to_string(half - 0.5)},
                                   std::pair{"second", " -ss " + std::to_string(half + 0.5)}}) {
    const auto part = dir / (std::string(name) + ".wav");
    const std::string cut = "ffmpeg -v error -y -i " + out.string() + args + " " + part.string();
    ASSERT_EQ(std::system(cut.c_str()), 0);
    const Measured m = ebur128_of(part);
    std::printf("%s scene I %.1f LUFS\n", name, m.integrated);
    EXPECT_NEAR(m.integrated, -14, 1.5) << name;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace reelgen::video::detail
