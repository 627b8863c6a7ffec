#pragma once
// The talking-avatar video pipeline: a script becomes speech, a lip-synced 2D avatar speaks it,
// word-timed subtitles follow, and the result is encoded to MP4 (H.264 + AAC) or WebM.
// This header is the module's public surface; everything else in src/video is implementation.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::video {

enum class Aspect { landscape, portrait, square };  // 16:9, 9:16 (Reels), 1:1
enum class Resolution { p360, p720, p1080 };        // the short side in pixels
enum class Quality { low, medium, high };           // encoder preset/CRF, see docs/video.md
enum class Format { mp4, webm };                    // H.264 + AAC, or VP9 + Opus
enum class SubtitlePosition { top, center, bottom };
enum class SubtitleStyle { outline, box };

// Limits checked by validate(); named so docs, the CLI and the API agree.
inline constexpr std::size_t kMaxScriptChars = 5000;  // per request, over all scenes together
inline constexpr std::size_t kMaxScenes = 50;
inline constexpr std::size_t kMaxHookChars = 80;  // the hook line, in code points
// The silence between two scenes; the picture changes halfway through it.
inline constexpr double kSceneGapSeconds = 0.3;
// A script may hold pause marks, "[pause 0.5s]", "[pause 2s]" or "[pause 500ms]": that much
// silence at that point, with the mouth at rest and no subtitle. They are never spoken or shown.
inline constexpr double kMinPauseSeconds = 0.05;
inline constexpr double kMaxPauseSeconds = 10;
inline constexpr std::uintmax_t kMaxImageBytes = 20u << 20;  // portrait and background images
inline constexpr int kMaxImageSide = 4096;

struct SubtitleOptions {
  bool enabled = true;
  SubtitlePosition position = SubtitlePosition::bottom;
  SubtitleStyle style = SubtitleStyle::outline;
  bool highlight = true;  // the word being spoken in another colour, as in Reels captions
};

// A rectangle in the portrait image's own pixels (x, y, width, height).
struct ImageBox {
  int x = 0, y = 0, width = 0, height = 0;
};
using MouthBox = ImageBox;

// One part of a video with its own speaker and setting. The fields mean what the RenderRequest
// fields of the same names mean.
struct Scene {
  std::string script;
  std::string avatar_id = "ava";
  std::string voice_id;
  std::string language = "en";
  std::string background = "#223355";
  std::string portrait_path;
  std::optional<MouthBox> mouth_box;
  std::optional<ImageBox> eyes_box;
  std::optional<ImageBox> face_box;
};

struct RenderRequest {
  // script, avatar_id, voice_id, language, background, portrait_path and mouth_box describe a
  // single scene; they are ignored when scenes is not empty.
  std::string script;             // 1..kMaxScriptChars code points, pause marks included
  std::string avatar_id = "ava";  // catalog() id, or "portrait" with portrait_path
  std::string voice_id;           // empty: the avatar's voice, or the language's first voice
  std::string language = "en";    // ISO 639-1 code of a catalog() language
  double speed = 1.0;             // 0.5..2.0, 1 = the voice's natural rate
  double pitch = 1.0;             // 0.5..2.0, multiplies the voice's base pitch
  Resolution resolution = Resolution::p720;
  Aspect aspect = Aspect::portrait;
  Quality quality = Quality::medium;
  Format format = Format::mp4;
  int fps = 30;                        // 15..60
  std::string background = "#223355";  // "#rrggbb", "gradient:#rrggbb:#rrggbb" or an image path
  std::string music_path;              // optional music under the speech, ducked while speaking
  double music_volume = 0.3;           // 0..1, the music's gain between sentences
  std::string portrait_path;           // PNG/JPEG face for avatar "portrait"
  std::optional<MouthBox> mouth_box;   // portrait mouth; detected by a simple rule when absent
  std::optional<ImageBox> eyes_box;    // portrait eyes (both); from the mouth box when absent
  std::optional<ImageBox> face_box;    // portrait face for captions to avoid; from the mouth box
                                       // when absent (see docs/video.md)
  SubtitleOptions subtitles;
  // A line shown for the whole video in the top safe area ("3 habits for calmer mornings"), as
  // Reels open with; empty for none. At most kMaxHookChars code points of text, no line breaks
  // or other control characters. /api/v1/reels fills it from the caption's first line.
  std::string hook;
  bool draft = false;          // fastest settings (low quality) for previews and tests
  bool write_sidecars = true;  // thumbnail .jpg, .srt and .vtt beside the output
  bool allow_hardware = true;  // h264_nvenc when the GPU has an encoder
  // 1..kMaxScenes scenes rendered in order as one video: one soundtrack and one subtitle track,
  // with the avatar, voice and background changing between scenes (kSceneGapSeconds apart).
  std::vector<Scene> scenes;
};

// Totals over the whole video, scenes included.
struct RenderSummary {
  std::filesystem::path output, thumbnail, srt, vtt;  // sidecar paths empty when not written
  double duration_s = 0;                              // of the video (speech + padding)
  double speech_s = 0;  // of the speech with its pauses and the gaps between scenes
  std::int64_t frames = 0;
  int fps = 0, width = 0, height = 0;
  std::uintmax_t bytes = 0;
  double elapsed_s = 0;  // wall time of render()
  // Busy seconds of the drawing thread (without its waits for the encoder) and of the encoding
  // thread: they run side by side, so each is that stage's cost, not a share of elapsed_s.
  double drawing_s = 0, encoding_s = 0;
  double realtime_factor = 0;                                 // duration_s / elapsed_s
  std::string video_codec, audio_codec, voice_id, avatar_id;  // ids of the first scene
  std::size_t words = 0, cues = 0;
};

// Called from the rendering thread with a stage ("speech", "render", "finish") and 0..100.
using ProgressCallback = std::function<void(std::string_view stage, double percent)>;

// Checks every field against the catalog and limits; invalid_argument with one FieldError per
// broken rule (field names as in the HTTP API: script, avatar_id, voice_id, language, ...;
// scenes[2].voice_id for a scene's field). A malformed or out-of-range pause mark breaks the
// rule "pause" of its script.
core::Result<void> validate(const RenderRequest& request);

// Renders request into out, in a child process: reelgen-render, found beside the running
// program or at $REELGEN_RENDER_BIN. The video is written to a temporary file in out's directory
// and renamed, so a failure, a cancel or a crashed renderer never leaves a partial file. Sidecars
// go beside out (same stem: .jpg, .srt, .vtt). cancel, when set, stops the render within one
// frame, or within one piece of speech (a few sentences) while speaking, and never waits for the
// encoder to flush. Progress is reported between pieces of speech and several times a second
// while drawing, so a caller may set cancel from its progress callback.
// Thread-safe: concurrent renders are separate processes.
core::Result<RenderSummary> render(const RenderRequest& request, const std::filesystem::path& out,
                                   const ProgressCallback& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

// Parsers for the names used by the CLI and the API ("9:16", "720p", "medium", ...).
core::Result<Aspect> parse_aspect(std::string_view text);
core::Result<Resolution> parse_resolution(std::string_view text);
core::Result<Quality> parse_quality(std::string_view text);
core::Result<Format> parse_format(std::string_view text);
core::Result<SubtitlePosition> parse_subtitle_position(std::string_view text);
core::Result<SubtitleStyle> parse_subtitle_style(std::string_view text);

// Frame size for a resolution and aspect (even numbers, as H.264 4:2:0 needs).
struct FrameSize {
  int width = 0, height = 0;
};
FrameSize frame_size(Resolution resolution, Aspect aspect);

}  // namespace reelgen::video
