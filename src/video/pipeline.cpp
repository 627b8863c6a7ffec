// render(): script → speech → mouth track, subtitles → frames → encoder, on two threads: this
// one draws and converts frames while a second feeds the encoder (which has its own threads).
// A request without scenes is rendered as a single scene made of its own fields.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/hash.hpp"
#include "core/utf8.hpp"
#include "video/audio.hpp"
#include "video/avatar.hpp"
#include "video/catalog.hpp"
#include "video/compositor.hpp"
#include "video/encoder.hpp"
#include "video/engine.hpp"
#include "video/field_prefix.hpp"
#include "video/lip_sync.hpp"
#include "video/loudness.hpp"
#include "video/narration.hpp"
#include "video/subtitles.hpp"
#include "video/thumbnail.hpp"
#include "video/tts.hpp"
#include "video/video.hpp"

namespace reelgen::video {
namespace {

using namespace detail;

constexpr double kLeadIn = 0.3;  // silence before the first word, so players start cleanly
constexpr double kTail = 0.6;    // the avatar settles before the end
constexpr int kAudioRate = 48000;
constexpr std::size_t kPoolFrames = 6;

// Removes temporary files unless the render commits them.
class TempFiles {
 public:
  TempFiles() = default;
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  ~TempFiles() {
    std::error_code ec;
    for (const auto& p : paths_) std::filesystem::remove(p, ec);
  }
  std::filesystem::path make(const std::filesystem::path& final_path) {
    static std::atomic<unsigned> counter{0};
    auto p =
        final_path.parent_path() / ("." + final_path.filename().string() + ".partial-" +
                                    std::to_string(::getpid()) + "-" + std::to_string(counter++));
    paths_.push_back(p);
    return p;
  }
  core::Result<void> commit(const std::filesystem::path& temp,
                            const std::filesystem::path& final_path) {
    std::error_code ec;
    std::filesystem::rename(temp, final_path, ec);
    if (ec)
      return core::fail(core::ErrorCode::internal,
                        "cannot move the video to " + final_path.string() + ": " + ec.message());
    std::erase(paths_, temp);
    return {};
  }

 private:
  std::vector<std::filesystem::path> paths_;
};

core::Result<void> write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) return core::fail(core::ErrorCode::internal, "cannot write " + path.string());
  return {};
}

core::Result<void> check_writable(const std::filesystem::path& out, TempFiles& temps) {
  auto invalid = [](std::string message) {
    return std::unexpected(core::Error::invalid("output", "writable", std::move(message)));
  };
  if (out.filename().empty()) return invalid("output must name a file");
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec)) return invalid(out.string() + " is a directory");
  const auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  if (!std::filesystem::is_directory(dir, ec))
    return invalid("directory " + dir.string() + " does not exist");
  const auto probe = temps.make(out);
  std::FILE* f = std::fopen(probe.c_str(), "wb");
  if (f == nullptr) return invalid("cannot write in " + dir.string());
  std::fclose(f);
  return {};
}

// Hands frames from the drawing thread to the encoding thread.
class FrameQueue {
 public:
  void push(std::shared_ptr<Yuv420> frame) {
    std::lock_guard lock(mutex_);
    frames_.push_back(std::move(frame));
    ready_.notify_one();
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_one();
  }
  // nullptr once closed and empty.
  std::shared_ptr<Yuv420> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !frames_.empty(); });
    if (frames_.empty()) return nullptr;
    auto f = std::move(frames_.front());
    frames_.pop_front();
    return f;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Yuv420>> frames_;
  bool closed_ = false;
};

// The scenes to render: the request's, or one made of its top-level fields.
std::vector<Scene> scenes_of(const RenderRequest& r) {
  if (!r.scenes.empty()) return r.scenes;
  Scene s;
  s.script = r.script;
  s.avatar_id = r.avatar_id;
  s.voice_id = r.voice_id;
  s.language = r.language;
  s.background = r.background;
  s.portrait_path = r.portrait_path;
  s.mouth_box = r.mouth_box;
  s.eyes_box = r.eyes_box;
  s.face_box = r.face_box;
  return {std::move(s)};
}

std::string prefix_of(const RenderRequest& r, std::size_t scene) {
  return r.scenes.empty() ? std::string() : scene_prefix(scene);
}

const VoiceInfo* voice_of(const Scene& scene) {
  const VoiceInfo* voice = nullptr;
  if (!scene.voice_id.empty()) {
    voice = find_voice(scene.voice_id);
  } else if (const AvatarInfo* a = find_avatar(scene.avatar_id); a && scene.language == "en") {
    voice = find_voice(a->default_voice);
  }
  if (voice == nullptr) voice = default_voice_for(scene.language);
  return voice;
}

PortraitBoxes boxes_of(const Scene& scene) {
  return {scene.mouth_box, scene.eyes_box, scene.face_box};
}

// A drawn avatar stands as framing_for() composes it; a portrait photo covers the whole frame.
core::Result<std::unique_ptr<Avatar>> make_avatar(const Scene& scene, FrameSize size) {
  if (scene.avatar_id == "portrait") {
    return make_portrait_avatar(scene.portrait_path, boxes_of(scene),
                                Rect{0, 0, size.width, size.height});
  }
  const auto& styles = avatar_styles();
  return make_vector_avatar(
      *std::find_if(styles.begin(), styles.end(),
                    [&](const AvatarStyle& s) { return s.id == scene.avatar_id; }),
      framing_for(size.width, size.height));
}

// The faces of every scene's avatar together: the subtitle band stays clear of all of them.
core::Result<Rect> faces_of(const RenderRequest& request, const std::vector<Scene>& scenes,
                            FrameSize size) {
  Rect all;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    if (!seen.insert(scenes[i].avatar_id + "\n" + scenes[i].portrait_path).second) continue;
    auto avatar = make_avatar(scenes[i], size);
    if (!avatar) return std::unexpected(with_field_prefix(avatar.error(), prefix_of(request, i)));
    all = unite(all, (*avatar)->face_box());
  }
  return all;
}

// Each sentence's last spoken word and its punctuation, for nods and raised brows.
std::vector<SentenceEnd> sentence_ends(const std::vector<TimedWord>& words) {
  std::vector<SentenceEnd> out;
  for (const auto& w : words) {
    if (!w.sentence_end || w.silent) continue;
    const auto mark = w.text.find_last_of(".!?");
    out.push_back({w.start, w.end, mark == std::string::npos ? '.' : w.text[mark]});
  }
  return out;
}

// One scene's picture: its background and avatar drawn into a base layer, and the compositor
// that animates them. The compositor refers to the avatar, so it is declared after it.
struct Stage {
  std::unique_ptr<Avatar> avatar;
  std::unique_ptr<Compositor> compositor;
};

// A draft says so in its picture, so a preview is never mistaken for the final video.
void draw_draft_mark(cairo_t* cr, FrameSize size) {
  const double font = std::max(12.0, size.height / 22.0);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, font);
  cairo_move_to(cr, font * 0.6, font * 1.4);
  cairo_text_path(cr, "DRAFT");
  cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
  cairo_set_line_width(cr, font / 8);
  cairo_stroke_preserve(cr);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
  cairo_fill(cr);
}

// What every stage draws besides its scene: where subtitles go, the hook line, the draft mark.
struct Overlays {
  Rect subtitle_band;
  Rect hook_band;
  std::string hook;
  bool draft = false;
};

core::Result<Stage> build_stage(const Scene& scene, FrameSize size, const Overlays& overlays) {
  cairo_surface_t* base = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.width, size.height);
  {
    cairo_t* cr = cairo_create(base);
    auto bg = draw_background(cr, size.width, size.height, scene.background);
    cairo_destroy(cr);
    if (!bg) {
      cairo_surface_destroy(base);
      return std::unexpected(bg.error());
    }
  }
  auto avatar = make_avatar(scene, size);
  if (!avatar) {
    cairo_surface_destroy(base);
    return std::unexpected(avatar.error());
  }
  {
    cairo_t* cr = cairo_create(base);
    (*avatar)->draw_static(cr);
    draw_hook(cr, overlays.hook_band, overlays.hook);
    if (overlays.draft) draw_draft_mark(cr, size);
    cairo_destroy(cr);
    cairo_surface_flush(base);
  }
  Stage stage;
  stage.avatar = std::move(*avatar);
  stage.compositor = std::make_unique<Compositor>(size.width, size.height, base, *stage.avatar,
                                                  overlays.subtitle_band);
  return stage;
}

// The later scenes' images are read before anything is encoded, so a bad one fails the render
// at once instead of after minutes of drawing. Each distinct image is read once; the first
// scene's were read when its stage was built.
core::Result<void> check_scene_images(const RenderRequest& request,
                                      const std::vector<Scene>& scenes) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    const Scene& s = scenes[i];
    const std::string prefix = prefix_of(request, i);
    if (seen.insert("background\n" + s.background).second && i > 0) {
      cairo_surface_t* tiny = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
      cairo_t* cr = cairo_create(tiny);
      auto bg = draw_background(cr, 8, 8, s.background);
      cairo_destroy(cr);
      cairo_surface_destroy(tiny);
      if (!bg) return std::unexpected(with_field_prefix(bg.error(), prefix));
    }
    if (s.avatar_id != "portrait") continue;
    std::string key = "portrait\n" + s.portrait_path;
    for (const auto& b : {s.mouth_box, s.eyes_box, s.face_box}) {
      key += b ? "\n" + std::to_string(b->x) + "," + std::to_string(b->y) + "," +
                     std::to_string(b->width) + "," + std::to_string(b->height)
               : "\n-";
    }
    if (seen.insert(key).second && i > 0) {
      if (auto a = make_portrait_avatar(s.portrait_path, boxes_of(s), Rect{0, 0, 16, 16}); !a) {
        return std::unexpected(with_field_prefix(a.error(), prefix));
      }
    }
  }
  return {};
}

core::Result<RenderSummary> render_checked(const RenderRequest& request,
                                           const std::filesystem::path& out,
                                           const ProgressCallback& progress,
                                           const std::atomic<bool>* cancel) {
  const auto& clock = core::SystemClock::instance();
  const auto started = clock.now();
  auto report = [&progress](std::string_view stage, double percent) {
    if (progress) progress(stage, percent);
  };
  auto cancelled = [cancel] {
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
  };
  auto cancel_error = [] { return core::fail(core::ErrorCode::unavailable, "render cancelled"); };

  if (auto v = validate(request); !v) return std::unexpected(v.error());
  TempFiles temps;
  if (auto w = check_writable(out, temps); !w) return std::unexpected(w.error());

  // Speech.
  report("speech", 0);
  const std::vector<Scene> scenes = scenes_of(request);
  std::vector<NarrationScene> speakers;
  std::string all_scripts;
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    speakers.push_back(
        {scenes[i].script, voice_of(scenes[i]), scenes[i].language, prefix_of(request, i)});
    all_scripts += scenes[i].script;
  }
  NarrationOptions narration_options;
  narration_options.speech = {request.speed, request.pitch};
  narration_options.audio_rate = kAudioRate;
  narration_options.scene_gap = kSceneGapSeconds;
  auto narration = narrate(speakers, narration_options, [&](double done) {
    report("speech", 100 * done);
    return !cancelled();
  });
  if (!narration) return std::unexpected(narration.error());
  if (cancelled()) return cancel_error();
  report("speech", 100);

  // Timing of the whole video: whole frames, audio cut to the same length.
  const int fps = request.fps;
  const double speech_s = narration->duration;
  const std::int64_t frames =
      static_cast<std::int64_t>(std::ceil((kLeadIn + speech_s + kTail) * fps));
  const double duration = static_cast<double>(frames) / fps;

  std::vector<float> audio(static_cast<std::size_t>(std::llround(duration * kAudioRate)), 0.0f);
  const auto lead_samples = static_cast<std::size_t>(kLeadIn * kAudioRate);
  std::copy_n(narration->audio.begin(),
              std::min(narration->audio.size(), audio.size() - lead_samples),
              audio.begin() + static_cast<std::ptrdiff_t>(lead_samples));
  narration->audio.clear();
  narration->audio.shrink_to_fit();
  // Every scene's voice at one loudness, the whole at the platforms' -14 LUFS; again after the
  // music is mixed in, since it adds loudness between phrases.
  {
    std::vector<std::size_t> scene_samples;
    for (const double start : narration->scene_starts) {
      scene_samples.push_back(lead_samples + static_cast<std::size_t>(start * kAudioRate));
    }
    normalize_loudness(audio, kAudioRate, scene_samples);
  }
  if (!request.music_path.empty()) {
    auto music = load_audio(request.music_path, kAudioRate, "music_path");
    if (!music) return std::unexpected(music.error());
    if (cancelled()) return cancel_error();
    mix_music(audio, *music, kAudioRate, request.music_volume);
    normalize_loudness(audio, kAudioRate, {});
  }

  std::vector<TimedWord> words = std::move(narration->words);
  for (auto& w : words) {
    w.start += kLeadIn;
    w.end += kLeadIn;
  }
  std::vector<Phone> phones = std::move(narration->phones);
  for (auto& p : phones) {
    p.start += kLeadIn;
    p.end += kLeadIn;
  }
  const auto track = build_mouth_track(phones, duration);
  // The same scripts blink and sway the same way in every render.
  const auto seed = static_cast<std::uint32_t>(core::fast_hash(all_scripts));
  const auto blinks = blink_times(duration, seed);
  const auto expressions = build_expressions(sentence_ends(words), duration, seed);
  // The picture changes halfway through the silence between two scenes.
  std::vector<double> scene_switch;
  for (std::size_t i = 1; i < scenes.size(); ++i) {
    scene_switch.push_back(kLeadIn + narration->scene_starts[i] - kSceneGapSeconds / 2);
  }

  // Drawing.
  const Resolution resolution = request.draft ? Resolution::p360 : request.resolution;
  const Quality quality = request.draft ? Quality::low : request.quality;
  const FrameSize size = frame_size(resolution, request.aspect);
  auto faces = faces_of(request, scenes, size);
  if (!faces) return std::unexpected(faces.error());
  Overlays overlays;
  overlays.hook = core::normalize_space(request.hook);
  if (!overlays.hook.empty()) overlays.hook_band = hook_band(size.width, size.height, *faces);
  overlays.draft = request.draft;
  SubtitleRenderer subtitles(size.width, size.height, request.subtitles, *faces,
                             overlays.hook_band);
  overlays.subtitle_band = request.subtitles.enabled ? subtitles.band() : Rect{};
  auto stage = build_stage(scenes.front(), size, overlays);
  if (!stage) return std::unexpected(with_field_prefix(stage.error(), prefix_of(request, 0)));
  // The first scene's picture, before any caption, decides the highlight colour.
  subtitles.choose_highlight(stage->compositor->frame());
  if (auto r = check_scene_images(request, scenes); !r) return std::unexpected(r.error());
  if (cancelled()) return cancel_error();
  CueOptions cue_options;
  cue_options.max_line_chars = subtitles.line_chars();
  auto cues = build_cues(words, cue_options);
  for (auto& c : cues) c.end = std::min(c.end, duration);

  // Encoding. The pool outlives the encoder, which may still hold pooled frames when it closes.
  FramePool pool(size.width, size.height, kPoolFrames);
  const auto temp_video = temps.make(out);
  EncoderSettings settings;
  settings.path = temp_video;
  settings.width = size.width;
  settings.height = size.height;
  settings.fps = fps;
  settings.quality = quality;
  settings.format = request.format;
  settings.allow_hardware = request.allow_hardware;
  settings.audio_rate = kAudioRate;
  settings.audio = std::move(audio);
  auto encoder = open_ffmpeg_encoder(std::move(settings));
  if (!encoder) return std::unexpected(encoder.error());

  FrameQueue queue;
  std::optional<core::Error> encode_error;
  std::atomic<bool> encode_failed{false};
  std::atomic<bool> drawing_failed{false};
  bool encode_abandoned = false;
  std::chrono::steady_clock::duration encoding_busy{};  // written by the encode thread only
  std::thread encode_thread([&] {
    auto abandon = [&] { return cancelled() || drawing_failed; };
    auto timed = [&](auto&& step) {
      const auto begin = clock.now();
      auto r = step();
      encoding_busy += clock.now() - begin;
      return r;
    };
    while (auto frame = queue.pop()) {
      // After a failure or a cancel the queue is only drained, so the drawing thread never
      // blocks; such a video is not finished either, since flushing could take seconds.
      if (encode_failed || abandon()) continue;
      if (auto r = timed([&] { return (*encoder)->write_video(std::move(frame)); }); !r) {
        encode_error = r.error();
        encode_failed = true;
      }
    }
    if (encode_failed) return;
    if (abandon()) {
      encode_abandoned = true;
      return;
    }
    if (auto r = timed([&] { return (*encoder)->finish(); }); !r) {
      encode_error = r.error();
      encode_failed = true;
    }
  });

  const bool want_sidecars = request.write_sidecars;
  const auto thumb_path = std::filesystem::path(out).replace_extension(".jpg");
  const auto thumb_temp = temps.make(thumb_path);
  const std::int64_t thumb_frame =
      std::min<std::int64_t>(frames - 1, static_cast<std::int64_t>(frames * 0.35));
  std::optional<core::Error> draw_error;

  std::size_t cue = 0, scene = 0;
  std::ptrdiff_t shown_cue = -2, shown_word = -2;
  cairo_surface_t* subtitle_surface = nullptr;
  int last_percent = -1;
  // Besides each new percent, progress is reported this often, so that a caller that cancels
  // from its progress callback is heard within a second even on long, slow renders.
  constexpr auto kReportEvery = std::chrono::milliseconds(250);
  auto last_report = clock.now();
  const auto drawing_started = last_report;
  std::chrono::steady_clock::duration drawing_waits{};  // for a free frame or a queue slot
  bool stopped = false;
  for (std::int64_t i = 0; i < frames; ++i) {
    if (cancelled() || encode_failed) {
      stopped = true;
      break;
    }
    const double t = static_cast<double>(i) / fps;
    bool new_stage = false;
    while (scene < scene_switch.size() && t >= scene_switch[scene]) {
      ++scene;
      new_stage = true;
    }
    if (new_stage) {
      // The old stage goes first: only one scene's layers are in memory at a time.
      stage->compositor.reset();
      stage->avatar.reset();
      auto next = build_stage(scenes[scene], size, overlays);
      if (!next) {
        draw_error = with_field_prefix(next.error(), prefix_of(request, scene));
        drawing_failed = true;
        stopped = true;
        break;
      }
      stage = std::move(next);
    }
    AvatarPose pose;
    pose.mouth = mouth_at(track, t);
    pose.eyes_open = eye_openness(blinks, t);
    pose.motion = idle_motion(t, seed);
    pose.expression = expression_at(expressions, t);

    // The cue on screen and its word being spoken.
    while (cue < cues.size() && cues[cue].end <= t) ++cue;
    std::ptrdiff_t cue_now = -1, word_now = -1;
    if (request.subtitles.enabled && cue < cues.size() && cues[cue].start <= t) {
      cue_now = static_cast<std::ptrdiff_t>(cue);
      for (std::size_t w = cues[cue].first; w < cues[cue].last; ++w) {
        if (words[w].start <= t) word_now = static_cast<std::ptrdiff_t>(w);
      }
    }
    const bool changed = cue_now != shown_cue || word_now != shown_word;
    if (changed) {
      subtitle_surface =
          cue_now < 0
              ? nullptr
              : subtitles.render(
                    words, cues[static_cast<std::size_t>(cue_now)],
                    word_now < 0 ? std::nullopt
                                 : std::optional<std::size_t>(static_cast<std::size_t>(word_now)));
      shown_cue = cue_now;
      shown_word = word_now;
    }
    // A new stage starts from its bare base, so the subtitle band is drawn again.
    Compositor& compositor = *stage->compositor;
    compositor.compose(pose, subtitle_surface, changed || new_stage);
    if (want_sidecars && i == thumb_frame) {
      if (auto r = write_jpeg(compositor.frame(), thumb_temp); !r) draw_error = r.error();
    }
    const auto acquiring = clock.now();
    auto slot = pool.acquire();
    const auto acquired = clock.now();
    slot->copy_from(compositor.yuv());
    const auto pushing = clock.now();
    queue.push(std::move(slot));
    drawing_waits += (acquired - acquiring) + (clock.now() - pushing);

    const int percent = static_cast<int>(100 * (i + 1) / frames);
    const auto now = clock.now();
    if (percent != last_percent || now - last_report >= kReportEvery) {
      last_percent = percent;
      last_report = now;
      report("render", percent);
    }
  }
  const auto drawing_busy = clock.now() - drawing_started - drawing_waits;
  queue.close();
  encode_thread.join();
  if (encode_error) return std::unexpected(*encode_error);
  if (draw_error) return std::unexpected(*draw_error);
  if (stopped || encode_abandoned) return cancel_error();

  report("finish", 0);
  RenderSummary summary;
  summary.video_codec = (*encoder)->video_codec();
  summary.audio_codec = (*encoder)->audio_codec();
  encoder->reset();
  if (auto r = temps.commit(temp_video, out); !r) return std::unexpected(r.error());
  summary.output = out;
  if (want_sidecars) {
    if (auto r = temps.commit(thumb_temp, thumb_path); !r) return std::unexpected(r.error());
    summary.thumbnail = thumb_path;
    const auto srt = std::filesystem::path(out).replace_extension(".srt");
    const auto vtt = std::filesystem::path(out).replace_extension(".vtt");
    for (const auto& [path, text] :
         {std::pair{srt, to_srt(cues, words)}, std::pair{vtt, to_vtt(cues, words)}}) {
      const auto temp = temps.make(path);
      if (auto r = write_text(temp, text); !r) return std::unexpected(r.error());
      if (auto r = temps.commit(temp, path); !r) return std::unexpected(r.error());
    }
    summary.srt = srt;
    summary.vtt = vtt;
  }
  report("finish", 100);

  std::error_code ec;
  summary.bytes = std::filesystem::file_size(out, ec);
  summary.duration_s = duration;
  summary.speech_s = speech_s;
  summary.frames = frames;
  summary.fps = fps;
  summary.width = size.width;
  summary.height = size.height;
  summary.elapsed_s = std::chrono::duration<double>(clock.now() - started).count();
  summary.drawing_s = std::chrono::duration<double>(drawing_busy).count();
  summary.encoding_s = std::chrono::duration<double>(encoding_busy).count();
  summary.realtime_factor = summary.elapsed_s > 0 ? duration / summary.elapsed_s : 0;
  summary.voice_id = speakers.front().voice->id;
  summary.avatar_id = scenes.front().avatar_id;
  summary.words = words.size();
  summary.cues = cues.size();
  return summary;
}

}  // namespace

core::Result<RenderSummary> engine::render(const RenderRequest& request,
                                           const std::filesystem::path& out,
                                           const ProgressCallback& progress,
                                           const std::atomic<bool>* cancel) {
  try {
    return render_checked(request, out, progress, cancel);
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string("render failed: ") + e.what());
  } catch (...) {
    return core::fail(core::ErrorCode::internal, "render failed");
  }
}

}  // namespace reelgen::video
