#include "video/subtitles.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "video/avatar.hpp"
#include "video/avatar_style.hpp"

namespace reelgen::video::detail {
namespace {

std::vector<TimedWord> sample_words() {
  std::vector<TimedWord> words;
  const char* text[] = {"Hello",  "there,",   "this",  "is",   "a",
                        "longer", "sentence", "that",  "must", "wrap",
                        "across", "several",  "cues.", "Next", "one."};
  double t = 0.3;
  for (const char* w : text) {
    words.push_back({w, t, t + 0.25, std::string(w).back() == '.'});
    t += 0.3;
  }
  return words;
}

TEST(Subtitles, CuesAreOrderedDisjointAndCoverEveryWord) {
  const auto words = sample_words();
  CueOptions options;
  options.max_line_chars = 14;
  const auto cues = build_cues(words, options);
  ASSERT_GE(cues.size(), 3u);
  for (std::size_t i = 0; i < cues.size(); ++i) {
    EXPECT_LT(cues[i].start, cues[i].end);
    EXPECT_LE(cues[i].breaks.size(), 1u);  // at most two lines
    if (i > 0) {
      EXPECT_LE(cues[i - 1].end, cues[i].start);
      EXPECT_EQ(cues[i - 1].last, cues[i].first);
    }
    for (std::size_t w = cues[i].first; w < cues[i].last; ++w) {
      EXPECT_GE(words[w].start, cues[i].start);
      EXPECT_LE(words[w].end, cues[i].end);
    }
  }
  EXPECT_EQ(cues.front().first, 0u);
  EXPECT_EQ(cues.back().last, words.size());
  // A sentence end closes a cue.
  for (const auto& c : cues) {
    for (std::size_t w = c.first; w + 1 < c.last; ++w) EXPECT_FALSE(words[w].sentence_end);
  }
}

// Words of a script at 0.3 s each, ending sentences at ".", "!" and "?"; tokens that are only
// emoji, hashtags or URLs are silent and share the time of the word before them.
std::vector<TimedWord> timed(std::initializer_list<const char*> text) {
  std::vector<TimedWord> words;
  double t = 0.3;
  for (const char* w : text) {
    const std::string s(w);
    const bool silent = s.rfind("#", 0) == 0 || static_cast<unsigned char>(s[0]) >= 0xE2;
    if (silent && !words.empty()) {
      words.push_back({s, words.back().end, words.back().end});
      words.back().silent = true;
      continue;
    }
    words.push_back({s, t, t + 0.25, s.back() == '.' || s.back() == '!' || s.back() == '?'});
    t += 0.3;
  }
  return words;
}

std::vector<std::string> cue_texts(const std::vector<TimedWord>& words,
                                   const std::vector<Cue>& cues) {
  std::vector<std::string> out;
  for (const auto& c : cues) {
    std::string text;
    for (std::size_t w = c.first; w < c.last; ++w) {
      if (w > c.first)
        text += std::find(c.breaks.begin(), c.breaks.end(), w) != c.breaks.end() ? " / " : " ";
      text += words[w].text;
    }
    out.push_back(text);
  }
  return out;
}

// The issue's orphans: "stays" alone on a line, "you." alone in a cue.
TEST(Subtitles, NoOrphanWordOnALineOrInACue) {
  CueOptions options;
  options.max_line_chars = 18;
  for (const auto& words :
       {timed({"Hello", "there,", "this", "is", "a", "talk", "over", "music."}),
        timed({"The", "calm", "you", "build", "in", "the", "morning", "stays", "with", "you."}),
        timed({"Drink", "water", "first,", "then", "stretch", "for", "five", "minutes", "before",
               "you", "check", "your", "phone", "or", "read", "any", "news."})}) {
    const auto cues = build_cues(words, options);
    const auto texts = cue_texts(words, cues);
    for (std::size_t c = 0; c < cues.size(); ++c) {
      const auto& cue = cues[c];
      EXPECT_GE(cue.last - cue.first, 2u) << texts[c];
      if (!cue.breaks.empty()) {
        EXPECT_GE(cue.breaks[0] - cue.first, 2u) << texts[c];
        EXPECT_GE(cue.last - cue.breaks[0], 2u) << texts[c];
      }
    }
  }
  // A cue's lines are balanced rather than filled: not "Hello there, this is a / talk over music."
  options.max_line_chars = 22;
  const auto words = timed({"Hello", "there,", "this", "is", "a", "talk", "over", "music."});
  EXPECT_EQ(cue_texts(words, build_cues(words, options)),
            (std::vector<std::string>{"Hello there, this is / a talk over music."}));
}

TEST(Subtitles, EmojiAndHashtagsStayInTheCueOfTheirSentence) {
  const auto words =
      timed({"What", "a", "day!", "🎉", "Tomorrow", "we", "rest.", "#selfcare", "#calm"});
  const auto cues = build_cues(words, {});
  EXPECT_EQ(cue_texts(words, cues),
            (std::vector<std::string>{"What a day! 🎉", "Tomorrow we rest. / #selfcare #calm"}));
}

TEST(Subtitles, EveryCueStaysUpLongEnoughToRead) {
  // Fast speech: 0.12 s a word, sentences of two words.
  std::vector<TimedWord> words;
  for (int i = 0; i < 12; ++i)
    words.push_back({"word", 0.3 + 0.12 * i, 0.4 + 0.12 * i, i % 2 == 1});
  const CueOptions options;
  const auto cues = build_cues(words, options);
  for (std::size_t c = 0; c + 1 < cues.size(); ++c) {
    // Either its minimum, or up to the next cue.
    EXPECT_GE(cues[c].end - cues[c].start + 1e-9,
              std::min(options.min_duration, cues[c + 1].start - cues[c].start));
    EXPECT_LE(cues[c].end, cues[c + 1].start);
  }
  EXPECT_GE(cues.back().end - cues.back().start + 1e-9, options.min_duration);
}

TEST(Subtitles, TheHookIsDrawnInsideItsBandOnly) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 720, 1280);
  cairo_t* cr = cairo_create(s);
  const Rect band = hook_band(720, 1280, Rect{140, 360, 440, 500});
  draw_hook(cr, band, "3 habits for calmer mornings, and a long tail that has to wrap ☀️");
  cairo_destroy(cr);
  cairo_surface_flush(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  int inside_band = 0, outside = 0;
  for (int y = 0; y < 1280; ++y) {
    for (int x = 0; x < 720; ++x) {
      if (data[y * stride + x * 4 + 3] == 0) continue;
      const bool in = x >= band.x && x < band.x + band.w && y >= band.y && y < band.y + band.h;
      (in ? inside_band : outside) += 1;
    }
  }
  cairo_surface_destroy(s);
  EXPECT_GT(inside_band, band.w * band.h / 4) << "the box and its text";
  EXPECT_EQ(outside, 0);
}

TEST(Subtitles, APauseEndsTheCueWithoutLingering) {
  // "Hello there [pause 1s] friends": the silence is 1.0..2.0.
  std::vector<TimedWord> words = {{"Hello", 0.3, 0.6}, {"there", 0.6, 0.9}, {"friends", 2.1, 2.5}};
  words[1].pause_after = true;
  const auto cues = build_cues(words, {});
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].last, 2u);
  EXPECT_DOUBLE_EQ(cues[0].end, 0.9);  // no 0.4 s hold into the pause
  EXPECT_DOUBLE_EQ(cues[1].start, 2.1);
  // Even a pause shorter than max_gap starts a new cue.
  words[2].start = 1.0;
  words[2].end = 1.3;
  EXPECT_EQ(build_cues(words, {}).size(), 2u);
}

TEST(Subtitles, SrtAndVttFormats) {
  const auto words = sample_words();
  const auto cues = build_cues(words, {});
  const auto srt = to_srt(cues, words);
  EXPECT_EQ(srt.rfind("1\n00:00:00,300 --> ", 0), 0u) << srt;
  const auto vtt = to_vtt(cues, words);
  EXPECT_EQ(vtt.rfind("WEBVTT\n\n00:00:00.300 --> ", 0), 0u) << vtt;
}

TEST(Subtitles, RendererDrawsIntoItsBand) {
  SubtitleOptions options;
  SubtitleRenderer renderer(720, 1280, options, Rect{200, 300, 320, 550});
  EXPECT_GE(renderer.band().y, 850);
  EXPECT_LE(renderer.band().y + renderer.band().h, 1024);
  const auto words = sample_words();
  const auto cues = build_cues(words, {});
  cairo_surface_t* s = renderer.render(words, cues[0], 1);
  ASSERT_NE(s, nullptr);
  // Some pixels are opaque text.
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  int opaque = 0;
  for (int y = 0; y < renderer.band().h; ++y) {
    for (int x = 0; x < renderer.band().w; ++x) opaque += data[y * stride + x * 4 + 3] == 255;
  }
  EXPECT_GT(opaque, 1000);
}

bool inside(const Rect& inner, const Rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
         inner.y + inner.h <= outer.y + outer.h;
}

// Every avatar, aspect, resolution and position: the band is inside the platform's safe zone
// and clear of the face; in 9:16 the head is 35-40 % of the frame height, in the lower two
// thirds with its shoulders.
TEST(Layout, BandsStayInTheSafeZoneAndOffTheFace) {
  for (const Resolution r : {Resolution::p360, Resolution::p720, Resolution::p1080}) {
    for (const Aspect a : {Aspect::portrait, Aspect::landscape, Aspect::square}) {
      const FrameSize size = frame_size(r, a);
      const Rect safe = caption_safe_zone(size.width, size.height);
      if (a == Aspect::portrait) {
        EXPECT_LE(safe.y + safe.h, size.height * 0.8 + 1);
        EXPECT_LE(safe.x + safe.w, size.width * 0.85 + 1);
      }
      for (const auto& style : avatar_styles()) {
        auto avatar = make_vector_avatar(style, framing_for(size.width, size.height));
        const Rect face = avatar->face_box();
        SCOPED_TRACE(style.id + " " + std::to_string(size.width) + "x" +
                     std::to_string(size.height));
        if (a == Aspect::portrait) {
          const Framing f = framing_for(size.width, size.height);
          EXPECT_GE(f.head, 0.35 * size.height - 1);
          EXPECT_LE(f.head, 0.40 * size.height);
          EXPECT_GE(face.y, size.height / 4) << "room above the face for a hook and captions";
        }
        for (const SubtitlePosition p :
             {SubtitlePosition::top, SubtitlePosition::center, SubtitlePosition::bottom}) {
          SubtitleOptions options;
          options.position = p;
          SubtitleRenderer renderer(size.width, size.height, options, face);
          const Rect band = renderer.band();
          EXPECT_TRUE(inside(band, safe))
              << "position " << static_cast<int>(p) << " band " << band.x << "," << band.y << " "
              << band.w << "x" << band.h;
          EXPECT_TRUE(intersect(band, face).empty())
              << "position " << static_cast<int>(p) << " band y " << band.y << ".."
              << band.y + band.h << " face y " << face.y << ".." << face.y + face.h;
          EXPECT_GE(renderer.line_chars(), 12u);
          // With a hook line: the hook is in the safe zone, off the face, and captions stay below
          // it.
          const Rect hook = hook_band(size.width, size.height, face);
          EXPECT_TRUE(inside(hook, safe));
          EXPECT_TRUE(intersect(hook, face).empty());
          EXPECT_GE(hook.h, size.height / 12) << "room for two lines";
          SubtitleRenderer under_hook(size.width, size.height, options, face, hook);
          EXPECT_GE(under_hook.band().y, hook.y + hook.h) << "position " << static_cast<int>(p);
          EXPECT_TRUE(intersect(under_hook.band(), face).empty());
        }
      }
    }
  }
}

}  // namespace
}  // namespace reelgen::video::detail
