#pragma once
// Word-timed subtitles: cues of at most two lines, exported as SRT and WebVTT, and drawn with
// pango with the current word highlighted (as Reels captions do).

#include <cairo.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "video/avatar.hpp"
#include "video/avatar_style.hpp"
#include "video/video.hpp"

typedef struct _PangoLayout PangoLayout;

namespace reelgen::video::detail {

struct TimedWord {
  std::string text;
  double start = 0, end = 0;  // seconds in the video
  bool sentence_end = false;
  bool pause_after = false;  // silence follows (a pause mark, a new scene): the cue ends here
  bool silent = false;       // shown, not spoken: emoji, #hashtags, URLs
};

struct Cue {
  double start = 0, end = 0;
  std::size_t first = 0, last = 0;  // words [first, last)
  std::vector<std::size_t> breaks;  // word indices that start a new line (at most one)
};

struct CueOptions {
  std::size_t max_line_chars = 22;
  int max_lines = 2;
  double max_gap = 0.7;       // a pause longer than this starts a new cue
  double max_duration = 4.0;  // seconds a cue may stay on screen while words are added
  double hold = 0.4;          // how long a cue lingers after its last word, if nothing follows
  double min_duration = 0.8;  // a cue stays at least this long, unless the next one starts
};

// Ordered, non-overlapping cues covering every word. A sentence (with the emoji, hashtags and
// URLs that follow it) is split into the fewest cues that fit, balanced by length, with at least
// two words in each, and each cue's two lines balanced: no orphan word alone on a line or in a
// cue. A cue lasts at least min_duration (while the next has not started). A cue ends at a word
// with pause_after and does not linger, so the screen is clear during the silence.
std::vector<Cue> build_cues(std::span<const TimedWord> words, const CueOptions& options);
std::string to_srt(std::span<const Cue> cues, std::span<const TimedWord> words);
std::string to_vtt(std::span<const Cue> cues, std::span<const TimedWord> words);

// Where captions may go: clear of the platforms' overlays. 9:16 (Reels, TikTok, Shorts) keeps
// off the bottom 20 % (caption and buttons) and the right 15 % (like, comment, share); 16:9 and
// 1:1 keep a 5 % margin.
Rect caption_safe_zone(int frame_width, int frame_height);

// The band of band_height for position, inside the safe zone and off face: top hugs the face
// from above, bottom sits at the foot of the safe zone, center just under the chin (9:16, 1:1)
// or beside the face (16:9). A band may shrink to 60 % to fit under the face; when even that does
// not fit (a face filling the frame) it goes above the face, and failing that the safe zone
// wins: the band sits at its foot.
// hook, when not empty, is taken as well: the band stays below it.
Rect subtitle_band(int frame_width, int frame_height, SubtitlePosition position, Rect face,
                   int band_height, Rect hook = {});

// Where the hook line goes: the top of the safe zone (in 16:9 beside the face), two lines of
// text high, clear of the face.
Rect hook_band(int frame_width, int frame_height, Rect face);
// Draws hook into band of cr: bold white text on a dark rounded box, centred, at most two lines,
// smaller when it needs to be.
void draw_hook(cairo_t* cr, Rect band, const std::string& hook);

class SubtitleRenderer {
 public:
  // face: the avatar's face_box(), which the band keeps clear of; hook: the hook_band() when
  // there is a hook line, which the band stays below.
  SubtitleRenderer(int frame_width, int frame_height, const SubtitleOptions& options, Rect face,
                   Rect hook = {});
  ~SubtitleRenderer();
  SubtitleRenderer(const SubtitleRenderer&) = delete;
  SubtitleRenderer& operator=(const SubtitleRenderer&) = delete;

  // Where subtitles are drawn in the frame.
  Rect band() const { return band_; }
  // Characters per line that fit the band at the nominal font size (for build_cues).
  std::size_t line_chars() const { return line_chars_; }
  // Picks the highlight for base (the first frame without captions): the spoken word is drawn
  // on a pill of the palette colour that stands out most from the background (the frame's top
  // corners) and the outfit (the foot of the frame below the face), in black or white,
  // whichever contrasts more with the pill (at least 4.5:1, WCAG AA).
  void choose_highlight(cairo_surface_t* base);
  Rgb highlight() const { return pill_; }
  Rgb highlight_text() const { return pill_text_; }
  // The cue drawn with word `current` highlighted, band-sized; owned by the renderer and valid
  // until the next call.
  cairo_surface_t* render(std::span<const TimedWord> words, const Cue& cue,
                          std::optional<std::size_t> current);

 private:
  SubtitleOptions options_;
  Rect band_, face_;
  double font_px_ = 0;
  std::size_t line_chars_ = 22;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoLayout* layout_ = nullptr;
  Rgb pill_{1.0, 0.83, 0.0}, pill_text_{0.07, 0.07, 0.07};
};

// WCAG 2 relative luminance and contrast ratio (1..21) of sRGB colours.
double relative_luminance(const Rgb& c);
double contrast_ratio(const Rgb& a, const Rgb& b);

}  // namespace reelgen::video::detail
