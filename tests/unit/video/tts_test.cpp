#include "video/tts.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "video/catalog.hpp"

namespace reelgen::video::detail {
namespace {

void expect_ordered_timings(const Speech& s, std::size_t tokens) {
  ASSERT_EQ(s.tokens.size(), tokens);
  double last = 0;
  for (const auto& t : s.tokens) {
    EXPECT_GE(t.start, last - 1e-6);
    EXPECT_GE(t.end, t.start);
    EXPECT_LE(t.end, s.duration() + 1e-6);
    last = t.start;
  }
}

TEST(Tts, FliteGivesWordAndPhoneTimings) {
  auto tokens = normalize_text("Hello world, I am 21 today!", "en");
  auto speech = flite_engine().synthesize(tokens, *find_voice("slt"), {});
  ASSERT_TRUE(speech.has_value()) << speech.error().message;
  EXPECT_GT(speech->duration(), 1.0);
  EXPECT_LT(speech->duration(), 5.0);
  for (const auto& t : speech->tokens) EXPECT_GE(t.start, 0) << "every token was spoken";
  expect_ordered_timings(*speech, tokens.size());
}

TEST(Tts, SpeedChangesTheDuration) {
  auto tokens = normalize_text("A short sentence to time.", "en");
  auto normal = flite_engine().synthesize(tokens, *find_voice("kal"), {1.0, 1.0});
  auto fast = flite_engine().synthesize(tokens, *find_voice("kal"), {1.5, 1.0});
  ASSERT_TRUE(normal && fast);
  EXPECT_LT(fast->duration(), normal->duration() * 0.85);
}

TEST(Tts, EspeakSpeaksSpanishWithTimings) {
  auto tokens = normalize_text("Hola, me llamo Pablo y vivo en Madrid.", "es");
  auto speech = espeak_engine().synthesize(tokens, *find_voice("es"), {});
  ASSERT_TRUE(speech.has_value()) << speech.error().message;
  EXPECT_GT(speech->duration(), 1.0);
  EXPECT_FALSE(speech->phones.empty());
  int closed = 0;
  for (const auto& p : speech->phones) closed += p.viseme == Viseme::closed;
  EXPECT_GE(closed, 3);  // m, P(ablo), M(adrid)
  fill_token_gaps(speech->tokens, speech->duration());
  expect_ordered_timings(*speech, tokens.size());
}

// Umlauts and ß take two bytes in UTF-8 and one character in espeak-ng's word events; every word
// must still get its own span, in order, and none may swallow the words after it.
TEST(Tts, EspeakGivesGermanWordsTheirOwnSpans) {
  auto tokens = normalize_text("Heute sprechen wir über Größe, Übung und Geduld.", "de");
  ASSERT_EQ(tokens.size(), 8u);
  auto speech = espeak_engine().synthesize(tokens, *find_voice("de"), {});
  ASSERT_TRUE(speech.has_value()) << speech.error().message;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = speech->tokens[i];
    ASSERT_GE(t.start, 0) << "token " << i << " was spoken";
    EXPECT_GE(t.end - t.start, 0.08) << "token " << i << " lasts long enough to read";
    EXPECT_LE(t.end - t.start, 1.0) << "token " << i << " does not swallow its neighbours";
    if (i + 1 < tokens.size()) {
      EXPECT_LT(t.start, speech->tokens[i + 1].start) << "token " << i;
      EXPECT_LE(t.end, speech->tokens[i + 1].start + 0.05)
          << "token " << i << " ends before the next";
    }
  }
  // "und Geduld." is the last quarter or so of the sentence, not a blip at its end.
  EXPECT_GE(speech->duration() - speech->tokens[6].start, 0.5);
  expect_ordered_timings(*speech, tokens.size());
}

TEST(Tts, RhvoiceSpeaksEveryEnglishVoiceWithWordsAndPhones) {
  auto tokens = normalize_text("Hello, my name is Bob and I make maps!", "en");
  for (const char* id : {"rhv-slt", "rhv-clb", "rhv-bdl", "rhv-alan"}) {
    auto speech = rhvoice_engine().synthesize(tokens, *find_voice(id), {});
    ASSERT_TRUE(speech.has_value()) << id << ": " << speech.error().message;
    EXPECT_GT(speech->duration(), 1.0) << id;
    for (const auto& t : speech->tokens) EXPECT_GE(t.start, 0) << id << ": every token was spoken";
    expect_ordered_timings(*speech, tokens.size());
    // m (my), m (name), B-b (Bob), m (make), m-p (maps): lips close at least six times.
    int closures = 0;
    Viseme last = Viseme::rest;
    for (const auto& p : speech->phones) {
      closures += p.viseme == Viseme::closed && last != Viseme::closed;
      last = p.viseme;
    }
    EXPECT_GE(closures, 6) << id;
  }
}

// RHVoice reports word boundaries only between its 100 ms output chunks; each is moved to the
// quiet moment inside the chunk. In "papa papa ..." every word starts with the silence of a
// closed /p/, so a start must fall inside or at the edge of such a silence.
TEST(Tts, RhvoiceWordStartsLandOnTheClosureOfTheirP) {
  auto tokens = normalize_text("papa papa papa papa papa papa papa papa", "en");
  auto speech = rhvoice_engine().synthesize(tokens, *find_voice("rhv-slt"), {});
  ASSERT_TRUE(speech.has_value()) << speech.error().message;
  const int rate = speech->sample_rate;
  const auto frame = static_cast<std::size_t>(rate / 200);  // 5 ms
  std::vector<double> energy;
  for (std::size_t i = 0; i + frame <= speech->samples.size(); i += frame) {
    double sum = 0;
    for (std::size_t j = i; j < i + frame; ++j)
      sum += static_cast<double>(speech->samples[j]) * speech->samples[j];
    energy.push_back(sum / static_cast<double>(frame));
  }
  const double peak = *std::max_element(energy.begin(), energy.end());
  auto silent = [&](double t) {
    const auto i = static_cast<std::size_t>(t * 200);
    return i < energy.size() && energy[i] < peak * 1e-3;
  };
  for (std::size_t w = 1; w < tokens.size(); ++w) {
    const double start = speech->tokens[w].start;
    bool near_silence = false;
    for (double d = -0.03; d <= 0.03; d += 0.005) near_silence = near_silence || silent(start + d);
    EXPECT_TRUE(near_silence) << "word " << w << " starts at " << start
                              << " s, away from its closure";
  }
}

}  // namespace
}  // namespace reelgen::video::detail
