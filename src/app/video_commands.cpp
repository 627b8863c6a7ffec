// reelgen video | avatars | voices: talking-avatar videos from the command line.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>

#include "app/commands.hpp"
#include "video/catalog.hpp"
#include "video/video.hpp"

namespace {

using namespace reelgen;

std::atomic<bool> g_interrupted{false};

int report_error(const core::Error& error) {
  std::fprintf(stderr, "reelgen: %s\n", error.message.c_str());
  for (const auto& f : error.fields) {
    std::fprintf(stderr, "  %s: %s (%s)\n", f.field.c_str(), f.message.c_str(), f.rule.c_str());
  }
  if (error.code == core::ErrorCode::invalid_argument || error.code == core::ErrorCode::malformed)
    return 2;
  if (g_interrupted) return 130;
  return 1;
}

struct VideoOptions {
  std::string script, script_file, avatar = "ava", voice, language = "en";
  std::string aspect = "9:16", resolution = "720p", quality = "medium", format, output;
  std::string background = "#223355", music, portrait, mouth_box, eyes_box, face_box, hook;
  std::string subtitle_position = "bottom", subtitle_style = "outline";
  double speed = 1.0, pitch = 1.0, music_volume = 0.3;
  int fps = 30;
  bool no_subtitles = false, no_highlight = false, draft = false, no_sidecars = false,
       quiet = false;
  bool no_hardware = false;
};

// Draws "render  [#######.....]  58%  ETA 3s" in place on a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled)
      : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(std::string_view stage, double percent) {
    if (!enabled_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (stage != stage_) {
      stage_ = std::string(stage);
      stage_start_ = elapsed;
    }
    const double stage_elapsed = elapsed - stage_start_;
    std::string eta = "";
    if (percent > 2 && percent < 100) {
      eta = "ETA " +
            std::to_string(static_cast<int>(stage_elapsed * (100 - percent) / percent + 0.5)) + "s";
    }
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(percent * kWidth / 100);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r%-7s [%s] %3d%%  %-10s", stage_.c_str(), bar.c_str(),
                 static_cast<int>(percent), eta.c_str());
    std::fflush(stderr);
  }
  void done() {
    if (enabled_) std::fprintf(stderr, "\r%70s\r", "");
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::string stage_;
  double stage_start_ = 0;
};

std::string human_bytes(std::uintmax_t bytes) {
  char buf[32];
  if (bytes >= (1u << 20))
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1048576.0);
  else
    std::snprintf(buf, sizeof buf, "%.1f KB", bytes / 1024.0);
  return buf;
}

int run_video(const VideoOptions& o) {
  video::RenderRequest r;
  if (!o.script.empty() && !o.script_file.empty()) {
    return report_error(
        core::Error::invalid("script", "one_of", "give --script or --script-file, not both"));
  }
  r.script = o.script;
  if (!o.script_file.empty()) {
    std::ifstream in(o.script_file, std::ios::binary);
    if (!in)
      return report_error(
          core::Error::invalid("script_file", "readable", "cannot read " + o.script_file));
    std::ostringstream text;
    text << in.rdbuf();
    r.script = text.str();
  }
  r.avatar_id = o.avatar;
  r.voice_id = o.voice;
  r.language = o.language;
  r.speed = o.speed;
  r.pitch = o.pitch;
  r.fps = o.fps;
  r.background = o.background;
  r.music_path = o.music;
  r.music_volume = o.music_volume;
  r.portrait_path = o.portrait;
  r.draft = o.draft;
  r.write_sidecars = !o.no_sidecars;
  r.allow_hardware = !o.no_hardware;
  r.subtitles.enabled = !o.no_subtitles;
  r.subtitles.highlight = !o.no_highlight;
  if (!o.portrait.empty() && o.avatar == "ava") r.avatar_id = "portrait";
  // The portrait's boxes, "x,y,width,height" in image pixels; the renderer checks their ranges.
  for (auto [text, box, field] : {std::tuple{&o.mouth_box, &r.mouth_box, "mouth_box"},
                                  std::tuple{&o.eyes_box, &r.eyes_box, "eyes_box"},
                                  std::tuple{&o.face_box, &r.face_box, "face_box"}}) {
    if (text->empty()) continue;
    video::ImageBox b;
    if (std::sscanf(text->c_str(), "%d,%d,%d,%d", &b.x, &b.y, &b.width, &b.height) != 4) {
      return report_error(core::Error::invalid(field, "format", "must look like x,y,width,height"));
    }
    *box = b;
  }
  r.hook = o.hook;
  std::string format = o.format;
  if (format.empty()) format = o.output.ends_with(".webm") ? "webm" : "mp4";
  auto aspect = video::parse_aspect(o.aspect);
  if (!aspect) return report_error(aspect.error());
  auto resolution = video::parse_resolution(o.resolution);
  if (!resolution) return report_error(resolution.error());
  auto quality = video::parse_quality(o.quality);
  if (!quality) return report_error(quality.error());
  auto fmt = video::parse_format(format);
  if (!fmt) return report_error(fmt.error());
  auto position = video::parse_subtitle_position(o.subtitle_position);
  if (!position) return report_error(position.error());
  auto style = video::parse_subtitle_style(o.subtitle_style);
  if (!style) return report_error(style.error());
  r.aspect = *aspect;
  r.resolution = *resolution;
  r.quality = *quality;
  r.format = *fmt;
  r.subtitles.position = *position;
  r.subtitles.style = *style;

  // Ctrl-C cancels the render cleanly: no partial file is left behind.
  g_interrupted = false;
  std::signal(SIGINT, [](int) { g_interrupted = true; });
  ProgressBar bar(!o.quiet && ::isatty(STDERR_FILENO));
  auto result = video::render(
      r, o.output, [&bar](std::string_view stage, double p) { bar.update(stage, p); },
      &g_interrupted);
  bar.done();
  std::signal(SIGINT, SIG_DFL);
  if (!result) return report_error(result.error());
  const auto& s = *result;
  std::printf("wrote %s (%dx%d %s + %s, %s)\n", s.output.c_str(), s.width, s.height,
              s.video_codec.c_str(), s.audio_codec.c_str(), human_bytes(s.bytes).c_str());
  std::printf("duration %.2f s (speech %.2f s), %lld frames at %d fps, voice %s, avatar %s\n",
              s.duration_s, s.speech_s, static_cast<long long>(s.frames), s.fps, s.voice_id.c_str(),
              s.avatar_id.c_str());
  std::printf("took %.2f s, %.1fx realtime, %zu words in %zu subtitle cues\n", s.elapsed_s,
              s.realtime_factor, s.words, s.cues);
  if (!s.thumbnail.empty()) {
    std::printf("thumbnail %s, subtitles %s %s\n", s.thumbnail.c_str(), s.srt.c_str(),
                s.vtt.c_str());
  }
  return 0;
}

int run_avatars(const std::string& preview_dir) {
  const auto& c = video::catalog();
  std::printf("%-10s %-8s %-6s %s\n", "ID", "NAME", "VOICE", "DESCRIPTION");
  for (const auto& a : c.avatars) {
    std::printf("%-10s %-8s %-6s %s\n", a.id.c_str(), a.name.c_str(), a.default_voice.c_str(),
                a.description.c_str());
  }
  std::printf("%-10s %-8s %-6s %s\n", "portrait", "-", "-", "your own photo (--portrait face.jpg)");
  if (preview_dir.empty()) return 0;
  for (const auto& a : c.avatars) {
    auto png = video::avatar_preview_png(a.id, 256);
    if (!png) return report_error(png.error());
    const std::string path = preview_dir + "/" + a.id + ".png";
    std::ofstream f(path, std::ios::binary);
    f << *png;
    if (!f)
      return report_error(core::Error::invalid("preview_dir", "writable", "cannot write " + path));
  }
  std::printf("previews written to %s\n", preview_dir.c_str());
  return 0;
}

int run_voices(const std::string& language) {
  std::printf("%-6s %-8s %-6s %-7s %s\n", "ID", "LANGUAGE", "ENGINE", "GENDER", "NAME");
  for (const auto& v : video::catalog().voices) {
    if (!language.empty() && v.language != language) continue;
    std::printf("%-6s %-8s %-6s %-7s %s\n", v.id.c_str(), v.language.c_str(),
                std::string(video::engine_name(v.engine)).c_str(), v.gender.c_str(),
                v.name.c_str());
  }
  return 0;
}

}  // namespace

void add_video_commands(CLI::App& cli, int& exit_code) {
  auto o = std::make_shared<VideoOptions>();
  auto* cmd =
      cli.add_subcommand("video", "Render a talking-avatar video (MP4 or WebM) from a script");
  cmd->add_option("--script", o->script, "What the avatar says (up to 5,000 characters)");
  cmd->add_option("--script-file", o->script_file, "Read the script from a UTF-8 text file");
  cmd->add_option("-o,--output", o->output,
                  "Output file (.mp4 or .webm); .jpg, .srt, .vtt go beside it")
      ->required();
  cmd->add_option("--avatar", o->avatar, "Avatar id (see 'reelgen avatars') or portrait")
      ->capture_default_str();
  cmd->add_option("--voice", o->voice,
                  "Voice id (see 'reelgen voices'); default: the avatar's or the language's");
  cmd->add_option("--language", o->language, "Language code: en, es, fr, de, it, pt, ...")
      ->capture_default_str();
  cmd->add_option("--speed", o->speed, "Speaking rate, 0.5-2.0")->capture_default_str();
  cmd->add_option("--pitch", o->pitch, "Pitch factor, 0.5-2.0")->capture_default_str();
  cmd->add_option("--aspect", o->aspect, "16:9, 9:16 or 1:1")->capture_default_str();
  cmd->add_option("--resolution", o->resolution, "360p, 720p or 1080p")->capture_default_str();
  cmd->add_option("--quality", o->quality, "low, medium or high")->capture_default_str();
  cmd->add_option("--format", o->format, "mp4 (H.264 + AAC) or webm (VP9 + Opus); default from -o");
  cmd->add_option("--fps", o->fps, "Frames per second, 15-60")->capture_default_str();
  cmd->add_option("--background", o->background,
                  "#rrggbb, gradient:#rrggbb:#rrggbb or an image file")
      ->capture_default_str();
  cmd->add_option("--music", o->music, "Background music file, ducked under the speech");
  cmd->add_option("--music-volume", o->music_volume, "Music gain between phrases, 0-1")
      ->capture_default_str();
  cmd->add_option("--portrait", o->portrait, "A PNG/JPEG face to animate (avatar portrait)");
  cmd->add_option("--mouth-box", o->mouth_box,
                  "The portrait's mouth as x,y,width,height in image pixels");
  cmd->add_option("--eyes-box", o->eyes_box,
                  "The portrait's eyes (both) as x,y,width,height in image pixels");
  cmd->add_option("--face-box", o->face_box,
                  "The portrait's face, which captions avoid, as x,y,width,height");
  cmd->add_option("--hook", o->hook, "A line shown in the top safe area for the whole video");
  cmd->add_option("--subtitle-position", o->subtitle_position, "top, center or bottom")
      ->capture_default_str();
  cmd->add_option("--subtitle-style", o->subtitle_style, "outline or box")->capture_default_str();
  cmd->add_flag("--no-subtitles", o->no_subtitles, "Do not burn subtitles into the video");
  cmd->add_flag("--no-highlight", o->no_highlight, "Do not highlight the word being spoken");
  cmd->add_flag("--draft", o->draft, "Fastest settings: 360p, low quality");
  cmd->add_flag("--no-sidecars", o->no_sidecars, "Do not write the thumbnail and subtitle files");
  cmd->add_flag("--no-hardware", o->no_hardware, "Never use the GPU encoder");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress bar");
  cmd->callback([o, &exit_code] { exit_code = run_video(*o); });

  auto preview_dir = std::make_shared<std::string>();
  auto* avatars = cli.add_subcommand("avatars", "List the avatars");
  avatars->add_option("--preview-dir", *preview_dir,
                      "Write a PNG preview of each avatar into this directory");
  avatars->callback([preview_dir, &exit_code] { exit_code = run_avatars(*preview_dir); });

  auto language = std::make_shared<std::string>();
  auto* voices = cli.add_subcommand("voices", "List the voices");
  voices->add_option("--language", *language, "Only voices for this language");
  voices->callback([language, &exit_code] { exit_code = run_voices(*language); });
}
