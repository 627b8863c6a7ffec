#include "video/subtitles.hpp"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

#include "core/utf8.hpp"

namespace reelgen::video::detail {
namespace {

std::string timestamp(double seconds, char separator) {
  const auto ms = static_cast<long long>(std::llround(std::max(0.0, seconds) * 1000));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, separator, ms % 1000);
  return buf;
}

std::size_t length(std::span<const TimedWord> words, std::size_t first, std::size_t last) {
  std::size_t n = 0;
  for (std::size_t i = first; i < last; ++i)
    n += core::utf8_length(words[i].text) + (i > first ? 1 : 0);
  return n;
}

// The line breaks of words [first, last) in at most max_lines lines of max_chars: none when one
// line holds them, else the break that makes the longer of two lines shortest. nullopt when
// they do not fit (a single word longer than a line still fits, alone).
std::optional<std::vector<std::size_t>> wrap(std::span<const TimedWord> words, std::size_t first,
                                             std::size_t last, std::size_t max_chars,
                                             int max_lines) {
  if (length(words, first, last) <= max_chars || last - first == 1)
    return std::vector<std::size_t>{};
  if (max_lines < 2) return std::nullopt;
  std::optional<std::size_t> best;
  std::size_t best_longest = 0;
  for (std::size_t b = first + 1; b < last; ++b) {
    const std::size_t top = length(words, first, b), bottom = length(words, b, last);
    const bool fits =
        (top <= max_chars || b - first == 1) && (bottom <= max_chars || last - b == 1);
    if (fits && (!best || std::max(top, bottom) < best_longest)) {
      best = b;
      best_longest = std::max(top, bottom);
    }
  }
  if (!best) return std::nullopt;
  return std::vector<std::size_t>{*best};
}

// Words [first, last) cut into k pieces of about equal length, each of at least min_words.
std::vector<std::size_t> balanced_cuts(std::span<const TimedWord> words, std::size_t first,
                                       std::size_t last, std::size_t k, std::size_t min_words) {
  std::vector<std::size_t> cuts;
  const double total = static_cast<double>(length(words, first, last));
  std::size_t at = first;
  for (std::size_t piece = 1; piece < k; ++piece) {
    const double target = total * static_cast<double>(piece) / static_cast<double>(k);
    const std::size_t lo = at + min_words, hi = last - (k - piece) * min_words;
    std::size_t cut = lo;
    double best = 1e300;
    for (std::size_t c = lo; c <= hi; ++c) {
      const double d = std::abs(static_cast<double>(length(words, first, c)) - target);
      if (d < best) {
        best = d;
        cut = c;
      }
    }
    cuts.push_back(cut);
    at = cut;
  }
  return cuts;
}

std::string cue_text(std::span<const TimedWord> words, const Cue& cue) {
  std::string text;
  for (std::size_t i = cue.first; i < cue.last; ++i) {
    if (i > cue.first) {
      text += std::find(cue.breaks.begin(), cue.breaks.end(), i) != cue.breaks.end() ? '\n' : ' ';
    }
    text += words[i].text;
  }
  return text;
}

}  // namespace

std::vector<Cue> build_cues(std::span<const TimedWord> words, const CueOptions& options) {
  // Runs of words that may share a cue: a sentence and the silent tokens after it (an emoji
  // belongs to its sentence), ended also by a pause or a long silence.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < words.size();) {
    std::size_t j = i + 1;
    bool ended = words[i].sentence_end;
    while (j < words.size()) {
      if (words[j - 1].pause_after) break;
      if (!words[j].silent && (ended || words[j].start - words[j - 1].end > options.max_gap)) break;
      ended = ended || words[j].sentence_end;
      ++j;
    }
    runs.emplace_back(i, j);
    i = j;
  }
  std::vector<Cue> cues;
  for (const auto& [a, b] : runs) {
    const std::size_t n = b - a;
    // The fewest pieces that each fit the lines and the duration.
    for (std::size_t k = 1; k <= n; ++k) {
      const std::size_t min_words = n >= 2 * k ? 2 : 1;
      const auto cuts = balanced_cuts(words, a, b, k, min_words);
      std::vector<Cue> pieces;
      bool fits = true;
      for (std::size_t p = 0; p < k && fits; ++p) {
        const std::size_t first = p == 0 ? a : cuts[p - 1], last = p + 1 < k ? cuts[p] : b;
        auto breaks = wrap(words, first, last, options.max_line_chars, options.max_lines);
        fits =
            breaks.has_value() &&
            (last - first == 1 || words[last - 1].end - words[first].start <= options.max_duration);
        if (!fits) break;
        Cue cue;
        cue.first = first;
        cue.last = last;
        cue.breaks = std::move(*breaks);
        cue.start = words[first].start;
        cue.end = std::max(words[last - 1].end, cue.start + 0.001);
        pieces.push_back(std::move(cue));
      }
      if (fits || k == n) {
        for (auto& c : pieces) cues.push_back(std::move(c));
        break;
      }
    }
  }
  // A cue stays up long enough to read, and lingers a little, but never into the next one.
  for (std::size_t c = 0; c < cues.size(); ++c) {
    if (words[cues[c].last - 1].pause_after) continue;
    const double next = c + 1 < cues.size() ? cues[c + 1].start : 1e300;
    cues[c].end = std::max(cues[c].end, std::min(cues[c].start + options.min_duration, next));
  }
  // Each cue lingers a little, but never into the next one.
  for (std::size_t c = 0; c < cues.size(); ++c) {
    if (words[cues[c].last - 1].pause_after) continue;
    const double limit = c + 1 < cues.size() ? cues[c + 1].start : cues[c].end + options.hold;
    cues[c].end = std::max(cues[c].end, std::min(cues[c].end + options.hold, limit));
    if (c + 1 < cues.size()) cues[c].end = std::min(cues[c].end, cues[c + 1].start);
  }
  return cues;
}

std::string to_srt(std::span<const Cue> cues, std::span<const TimedWord> words) {
  std::string out;
  for (std::size_t c = 0; c < cues.size(); ++c) {
    out += std::to_string(c + 1) + "\n" + timestamp(cues[c].start, ',') + " --> " +
           timestamp(cues[c].end, ',') + "\n" + cue_text(words, cues[c]) + "\n\n";
  }
  return out;
}

std::string to_vtt(std::span<const Cue> cues, std::span<const TimedWord> words) {
  std::string out = "WEBVTT\n\n";
  for (const auto& cue : cues) {
    std::string text = cue_text(words, cue);
    // "-->" may not appear in a WebVTT cue payload.
    for (std::size_t p; (p = text.find("-->")) != std::string::npos;) text.replace(p, 3, "→");
    out += timestamp(cue.start, '.') + " --> " + timestamp(cue.end, '.') + "\n" + text + "\n\n";
  }
  return out;
}

Rect caption_safe_zone(int frame_width, int frame_height) {
  const double w = frame_width, h = frame_height;
  if (frame_height > frame_width) {
    return {static_cast<int>(0.06 * w), static_cast<int>(0.06 * h), static_cast<int>(0.79 * w),
            static_cast<int>(0.74 * h)};
  }
  return {static_cast<int>(0.05 * w), static_cast<int>(0.05 * h), static_cast<int>(0.9 * w),
          static_cast<int>(0.9 * h)};
}

Rect subtitle_band(int frame_width, int frame_height, SubtitlePosition position, Rect face,
                   int band_height, Rect hook) {
  Rect safe = caption_safe_zone(frame_width, frame_height);
  if (!hook.empty()) {
    const int below_hook = hook.y + hook.h + std::max(4, frame_height / 100);
    safe.h -= below_hook - safe.y;
    safe.y = below_hook;
  }
  const int gap = std::max(4, frame_height / 100);
  const int safe_bottom = safe.y + safe.h;
  const int above_face = face.y - gap, below_face = face.y + face.h + gap;
  Rect band{safe.x, 0, safe.w, band_height};
  // Between the face and the foot of the safe zone the band may shrink to 60 % (smaller text)
  // rather than cover the face or the platform's overlay.
  auto under_the_face = [&](bool at_foot) {
    // A face that fills the frame (a portrait photo) leaves no room below it: then the band goes
    // above the face, or if that does not fit either, to the foot of the safe zone rather than
    // under the platform's overlay.
    if (safe_bottom - below_face < band_height * 3 / 5) {
      return above_face - band_height >= safe.y ? above_face - band_height
                                                : safe_bottom - band_height;
    }
    band.h = std::clamp(safe_bottom - below_face, band_height * 3 / 5, band_height);
    return at_foot ? std::max(below_face, safe_bottom - band.h) : below_face;
  };
  int y = 0;
  if (face.empty()) {
    y = position == SubtitlePosition::top      ? safe.y
        : position == SubtitlePosition::bottom ? safe_bottom - band_height
                                               : (frame_height - band_height) / 2;
  } else if (position == SubtitlePosition::top) {
    y = above_face - band_height;
    if (y < safe.y) y = under_the_face(false);
  } else if (position == SubtitlePosition::bottom) {
    y = under_the_face(true);
  } else if (frame_width > frame_height && face.x - gap - safe.x >= frame_width / 4) {
    // Beside the face, in the free side of a landscape frame, vertically centred.
    band.w = face.x - gap - safe.x;
    y = (frame_height - band_height) / 2;
  } else {
    y = under_the_face(false);
  }
  band.h &= ~1;
  band.y = std::clamp(y, 0, frame_height - band.h) & ~1;
  band.w &= ~1;
  return band;
}

namespace {

std::string hex(const Rgb& c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", static_cast<unsigned>(std::lround(c.r * 255)),
                static_cast<unsigned>(std::lround(c.g * 255)),
                static_cast<unsigned>(std::lround(c.b * 255)));
  return buf;
}

void rounded_rectangle(cairo_t* cr, double x, double y, double w, double h, double r) {
  r = std::min({r, w / 2, h / 2});
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

}  // namespace

Rect hook_band(int frame_width, int frame_height, Rect face) {
  const Rect safe = caption_safe_zone(frame_width, frame_height);
  const double font =
      std::min(frame_width, frame_height) * (frame_width == frame_height ? 0.048 : 0.055);
  const int gap = std::max(4, frame_height / 100);
  Rect band{safe.x, safe.y, safe.w, static_cast<int>(std::ceil(font * (2 * 1.3 + 0.8))) & ~1};
  if (frame_width > frame_height && !face.empty() && face.x - gap - safe.x >= frame_width / 4) {
    band.w = face.x - gap - safe.x;  // beside the face
  } else if (!face.empty() && band.y + band.h > face.y - gap) {
    band.h = std::max(0, face.y - gap - band.y) & ~1;  // never over the face
  }
  band.w &= ~1;
  return band;
}

void draw_hook(cairo_t* cr, Rect band, const std::string& hook) {
  if (band.empty() || hook.empty()) return;
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans Bold");
  const double pad = band.h * 0.09;
  double size = (band.h - 2 * pad) / (2 * 1.3);
  pango_layout_set_text(layout, hook.c_str(), -1);
  pango_layout_set_width(layout, static_cast<int>((band.w - 4 * pad) * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
  for (;; size *= 0.92) {
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, font);
    if (pango_layout_get_line_count(layout) <= 2 || size < band.h * 0.12) break;
  }
  pango_font_description_free(font);
  PangoRectangle ink, logical;
  pango_layout_get_pixel_extents(layout, &ink, &logical);
  const double x = band.x + 2 * pad, y = band.y + (band.h - logical.height) / 2.0;
  rounded_rectangle(cr, x + logical.x - 1.5 * pad, y + logical.y - pad * 0.7,
                    logical.width + 3 * pad, logical.height + 1.4 * pad, size * 0.35);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
  cairo_fill(cr);
  cairo_move_to(cr, x, y);
  cairo_set_source_rgb(cr, 1, 1, 1);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
}

SubtitleRenderer::SubtitleRenderer(int frame_width, int frame_height,
                                   const SubtitleOptions& options, Rect face, Rect hook)
    : options_(options), face_(face) {
  const int short_side = std::min(frame_width, frame_height);
  font_px_ = short_side * (frame_height > frame_width ? 0.064 : 0.058);
  const int h = static_cast<int>(std::ceil(font_px_ * (2 * 1.35 + 0.5))) & ~1;
  band_ = subtitle_band(frame_width, frame_height, options.position, face, h, hook);
  font_px_ *= static_cast<double>(band_.h) / h;  // a band squeezed under the face has smaller text
  // DejaVu Sans Bold averages about 0.62 em per character.
  line_chars_ =
      std::max<std::size_t>(8, static_cast<std::size_t>((band_.w - font_px_) / (font_px_ * 0.62)));
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, band_.w, band_.h);
  cr_ = cairo_create(surface_);
  layout_ = pango_cairo_create_layout(cr_);
  PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans Bold");
  pango_font_description_set_absolute_size(font, font_px_ * PANGO_SCALE);
  pango_layout_set_font_description(layout_, font);
  pango_font_description_free(font);
  pango_layout_set_width(layout_, static_cast<int>((band_.w - font_px_ * 0.6) * PANGO_SCALE));
  pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout_, PANGO_ALIGN_CENTER);
}

SubtitleRenderer::~SubtitleRenderer() {
  g_object_unref(layout_);
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

double relative_luminance(const Rgb& c) {
  auto linear = [](double v) {
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double contrast_ratio(const Rgb& a, const Rgb& b) {
  const double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void SubtitleRenderer::choose_highlight(cairo_surface_t* base) {
  // The background at the frame's top corners, the outfit at the foot of the frame below the
  // face (a little off the middle, clear of ties and zips).
  const int stride = cairo_image_surface_get_stride(base);
  const unsigned char* data = cairo_image_surface_get_data(base);
  const int width = cairo_image_surface_get_width(base),
            height = cairo_image_surface_get_height(base);
  auto at = [&](int x, int y) {
    const unsigned char* p =
        data + std::clamp(y, 0, height - 1) * stride + std::clamp(x, 0, width - 1) * 4;
    return Rgb{p[2] / 255.0, p[1] / 255.0, p[0] / 255.0};
  };
  const int below_face = face_.empty() ? width / 2 : face_.x + face_.w / 2;
  const Rgb shades[] = {at(2, 2), at(width - 3, 2), at(below_face + width / 12, height - 4)};
  // Bright yellow, mint, pink, violet and white: a pill stands out from one of them on any
  // background and outfit.
  static constexpr Rgb palette[] = {{1.0, 0.83, 0.0},
                                    {0.15, 0.88, 0.76},
                                    {1.0, 0.36, 0.66},
                                    {0.416, 0.298, 0.961},
                                    {1.0, 1.0, 1.0}};
  double best = -1;
  for (const Rgb& c : palette) {
    double worst = 1e9;
    for (const Rgb& shade : shades) worst = std::min(worst, contrast_ratio(c, shade));
    if (worst > best + 0.05) {
      best = worst;
      pill_ = c;
    }
  }
  const Rgb black{0.07, 0.07, 0.07}, white{1, 1, 1};
  pill_text_ = contrast_ratio(pill_, black) >= contrast_ratio(pill_, white) ? black : white;
}

cairo_surface_t* SubtitleRenderer::render(std::span<const TimedWord> words, const Cue& cue,
                                          std::optional<std::size_t> current) {
  const bool box = options_.style == SubtitleStyle::box;
  std::string markup;
  // Where the spoken word lies in the layout's text (bytes), for its pill.
  std::size_t plain = 0, word_begin = 0, word_end = 0;
  const bool lit = options_.highlight && current && *current >= cue.first && *current < cue.last;
  for (std::size_t i = cue.first; i < cue.last; ++i) {
    if (i > cue.first) {
      markup += std::find(cue.breaks.begin(), cue.breaks.end(), i) != cue.breaks.end() ? "\n" : " ";
      ++plain;
    }
    char* escaped = g_markup_escape_text(words[i].text.c_str(), -1);
    if (lit && *current == i) {
      markup += "<span foreground=\"" + hex(pill_text_) + "\">";
      markup += escaped;
      markup += "</span>";
      word_begin = plain;
      word_end = plain + words[i].text.size();
    } else {
      markup += escaped;
    }
    plain += words[i].text.size();
    g_free(escaped);
  }
  pango_layout_set_markup(layout_, markup.c_str(), -1);
  // Long words can still wrap into a third line: shrink until two fit.
  PangoFontDescription* font =
      pango_font_description_copy(pango_layout_get_font_description(layout_));
  double size = font_px_;
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  pango_layout_set_font_description(layout_, font);
  while (pango_layout_get_line_count(layout_) > 2 && size > font_px_ * 0.5) {
    size *= 0.9;
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_layout_set_font_description(layout_, font);
  }
  pango_font_description_free(font);

  cairo_save(cr_);
  cairo_set_operator(cr_, CAIRO_OPERATOR_CLEAR);
  cairo_paint(cr_);
  cairo_restore(cr_);
  PangoRectangle ink, logical;
  pango_layout_get_pixel_extents(layout_, &ink, &logical);
  const double x = font_px_ * 0.3;
  const double y = (band_.h - logical.height) / 2.0;
  if (box) {
    const double pad = size * 0.3;
    rounded_rectangle(cr_, x + logical.x - pad, y + logical.y - pad * 0.6, logical.width + 2 * pad,
                      logical.height + 1.2 * pad, size * 0.25);
    cairo_set_source_rgba(cr_, 0, 0, 0, 0.62);
    cairo_fill(cr_);
  }
  if (!box) {
    cairo_move_to(cr_, x, y);
    pango_cairo_layout_path(cr_, layout_);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(cr_, size * 0.16);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_stroke(cr_);
  }
  if (lit && word_end > word_begin) {
    // The spoken word on its pill, over the outline and under the text.
    PangoRectangle first, last;
    pango_layout_index_to_pos(layout_, static_cast<int>(word_begin), &first);
    const char* text = pango_layout_get_text(layout_);
    const int last_char = static_cast<int>(g_utf8_prev_char(text + word_end) - text);
    pango_layout_index_to_pos(layout_, last_char, &last);
    const double left = x + std::min(first.x, last.x) / static_cast<double>(PANGO_SCALE);
    const double right =
        x + std::max(first.x + first.width, last.x + last.width) / static_cast<double>(PANGO_SCALE);
    const double top = y + first.y / static_cast<double>(PANGO_SCALE);
    const double height = first.height / static_cast<double>(PANGO_SCALE);
    const double pad = size * 0.14;
    rounded_rectangle(cr_, left - pad, top + height * 0.06, right - left + 2 * pad, height * 0.92,
                      size * 0.22);
    cairo_set_source_rgb(cr_, pill_.r, pill_.g, pill_.b);
    cairo_fill(cr_);
  }
  cairo_move_to(cr_, x, y);
  cairo_set_source_rgb(cr_, 1, 1, 1);
  pango_cairo_show_layout(cr_, layout_);
  cairo_surface_flush(surface_);
  return surface_;
}

}  // namespace reelgen::video::detail
