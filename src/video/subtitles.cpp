#include "video/subtitles.hpp"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

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

// Greedy wrapping of words [first, last) into lines of max_chars; returns line-start indices
// after the first line.
std::vector<std::size_t> wrap(std::span<const TimedWord> words, std::size_t first, std::size_t last,
                              std::size_t max_chars) {
  std::vector<std::size_t> breaks;
  std::size_t line = 0;
  for (std::size_t i = first; i < last; ++i) {
    const std::size_t len = core::utf8_length(words[i].text);
    if (line > 0 && line + 1 + len > max_chars) {
      breaks.push_back(i);
      line = len;
    } else {
      line += (line > 0 ? 1 : 0) + len;
    }
  }
  return breaks;
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
  std::vector<Cue> cues;
  std::size_t i = 0;
  while (i < words.size()) {
    Cue cue;
    cue.first = i;
    std::size_t j = i + 1;
    while (j < words.size()) {
      if (words[j - 1].sentence_end || words[j - 1].pause_after) break;
      if (words[j].start - words[j - 1].end > options.max_gap) break;
      if (words[j].end - words[i].start > options.max_duration) break;
      if (wrap(words, i, j + 1, options.max_line_chars).size() >= static_cast<std::size_t>(options.max_lines)) break;
      ++j;
    }
    cue.last = j;
    cue.breaks = wrap(words, i, j, options.max_line_chars);
    cue.start = words[i].start;
    cue.end = std::max(words[j - 1].end, cue.start + 0.001);
    cues.push_back(std::move(cue));
    i = j;
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

SubtitleRenderer::SubtitleRenderer(int frame_width, int frame_height, const SubtitleOptions& options)
    : options_(options) {
  const int short_side = std::min(frame_width, frame_height);
  font_px_ = short_side * (frame_height > frame_width ? 0.064 : 0.058);
  const int margin = static_cast<int>(frame_width * 0.06);
  const int h = static_cast<int>(std::ceil(font_px_ * 2 * 1.35 + font_px_ * 0.8)) & ~1;
  int y = 0;
  switch (options.position) {
    case SubtitlePosition::top: y = static_cast<int>(frame_height * 0.07); break;
    case SubtitlePosition::center: y = (frame_height - h) / 2; break;
    case SubtitlePosition::bottom: y = static_cast<int>(frame_height * 0.92) - h; break;
  }
  band_ = {margin, y & ~1, frame_width - 2 * margin, h};
  // DejaVu Sans Bold averages about 0.62 em per character.
  line_chars_ = std::max<std::size_t>(8, static_cast<std::size_t>((band_.w - font_px_) / (font_px_ * 0.62)));
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

cairo_surface_t* SubtitleRenderer::render(std::span<const TimedWord> words, const Cue& cue,
                                          std::optional<std::size_t> current) {
  const bool box = options_.style == SubtitleStyle::box;
  std::string markup;
  for (std::size_t i = cue.first; i < cue.last; ++i) {
    if (i > cue.first) {
      markup += std::find(cue.breaks.begin(), cue.breaks.end(), i) != cue.breaks.end() ? "\n" : " ";
    }
    char* escaped = g_markup_escape_text(words[i].text.c_str(), -1);
    if (options_.highlight && current && *current == i) {
      markup += box ? "<span foreground=\"#111111\" background=\"#FFD400\">" : "<span foreground=\"#FFD400\">";
      markup += escaped;
      markup += "</span>";
    } else {
      markup += escaped;
    }
    g_free(escaped);
  }
  pango_layout_set_markup(layout_, markup.c_str(), -1);
  // Long words can still wrap into a third line: shrink until two fit.
  PangoFontDescription* font = pango_font_description_copy(pango_layout_get_font_description(layout_));
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
    const double pad = size * 0.3, r = size * 0.25;
    const double bx = x + logical.x - pad, by = y + logical.y - pad * 0.6;
    const double bw = logical.width + 2 * pad, bh = logical.height + 1.2 * pad;
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, bx + bw - r, by + r, r, -M_PI / 2, 0);
    cairo_arc(cr_, bx + bw - r, by + bh - r, r, 0, M_PI / 2);
    cairo_arc(cr_, bx + r, by + bh - r, r, M_PI / 2, M_PI);
    cairo_arc(cr_, bx + r, by + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr_);
    cairo_set_source_rgba(cr_, 0, 0, 0, 0.62);
    cairo_fill(cr_);
  }
  cairo_move_to(cr_, x, y);
  if (!box) {
    pango_cairo_layout_path(cr_, layout_);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(cr_, size * 0.16);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_stroke(cr_);
    cairo_move_to(cr_, x, y);
  }
  cairo_set_source_rgb(cr_, 1, 1, 1);
  pango_cairo_show_layout(cr_, layout_);
  cairo_surface_flush(surface_);
  return surface_;
}

}  // namespace reelgen::video::detail
