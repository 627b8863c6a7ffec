#include "jobs/video_job.hpp"

#include <atomic>
#include <boost/json.hpp>

#include "core/json.hpp"

namespace reelgen::jobs {
namespace {

using core::ErrorCode;

// The format's codec name (as ffprobe says it) for an encoder name: libx264 and h264_nvenc are
// h264.
std::string codec_name(std::string_view encoder) {
  if (encoder.find("264") != std::string_view::npos) return "h264";
  if (encoder.find("vp9") != std::string_view::npos) return "vp9";
  if (encoder.find("opus") != std::string_view::npos) return "opus";
  if (encoder.find("aac") != std::string_view::npos) return "aac";
  return std::string(encoder);
}

// One progress for the whole job, never going back: the renderer counts each stage from 0 to 100,
// and speech takes roughly the first 15 % of a render's time, drawing and encoding the rest.
double job_progress(std::string_view stage, double percent) {
  if (stage == "speech") return percent * 0.15;
  if (stage == "render") return 15 + percent * 0.83;
  if (stage == "finish") return 98 + percent * 0.02;
  return percent;
}

// Time spent in each stage of one render, from the progress callbacks' stage changes.
class StageTimer {
 public:
  explicit StageTimer(const core::Clock& clock) : clock_(clock), started_(clock.now()) {}
  void enter(std::string_view stage) {
    if (stage == current_) return;
    const auto now = clock_.now();
    for (std::size_t i = 0; i < RenderStats::kStages.size(); ++i) {
      if (RenderStats::kStages[i] == current_) spent_[i] += now - since_;
    }
    current_ = std::string(stage);
    since_ = now;
  }
  // Speech and finish from the progress reports; drawing and encoding from the renderer, whose
  // two threads overlap.
  void add_to(RenderStats& stats, const video::RenderSummary& summary) const {
    using std::chrono::duration_cast;
    using std::chrono::microseconds;
    auto seconds_us = [](double s) { return static_cast<std::uint64_t>(s * 1e6); };
    stats.stage_us[0].fetch_add(duration_cast<microseconds>(spent_[0]).count());
    stats.stage_us[1].fetch_add(seconds_us(summary.drawing_s));
    stats.stage_us[2].fetch_add(seconds_us(summary.encoding_s));
    stats.stage_us[3].fetch_add(duration_cast<microseconds>(spent_[3]).count());
    stats.elapsed_us.fetch_add(duration_cast<microseconds>(clock_.now() - started_).count());
    stats.video_ms.fetch_add(static_cast<std::uint64_t>(summary.duration_s * 1000));
    stats.renders.fetch_add(1);
  }

 private:
  const core::Clock& clock_;
  std::chrono::steady_clock::time_point started_;
  std::string current_;
  std::chrono::steady_clock::time_point since_{};
  std::array<std::chrono::steady_clock::duration, RenderStats::kStages.size()> spent_{};
};

}  // namespace

VideoFiles video_files(const std::filesystem::path& dir, std::string_view job_id,
                       video::Format format) {
  const std::string stem = std::string(job_id);
  VideoFiles f;
  f.video = dir / (stem + (format == video::Format::webm ? ".webm" : ".mp4"));
  f.thumbnail = dir / (stem + ".jpg");
  f.srt = dir / (stem + ".srt");
  f.vtt = dir / (stem + ".vtt");
  return f;
}

core::Result<std::string> VideoRunner::run(const store::Job& job, ProgressSink& progress) {
  auto doc = core::parse_json(job.payload);
  if (!doc || !doc->is_object()) {
    return core::fail(ErrorCode::invalid_argument, "the stored request is not a JSON object");
  }
  auto request = parse_video_request(doc->get_object(), [&](std::string_view id) {
    return find_upload(uploads_dir_, job.key_id, id);
  });
  if (!request) return std::unexpected(request.error());
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  const VideoFiles files = video_files(dir_, job.id, request->format);
  std::atomic<bool> cancel{false};
  StageTimer timer(clock_);
  auto summary = video::render(
      *request, files.video,
      [&](std::string_view stage, double percent) {
        timer.enter(stage);
        progress.report(stage, job_progress(stage, percent));
        if (progress.cancelled()) cancel.store(true);
      },
      &cancel);
  if (!summary) return std::unexpected(summary.error());
  timer.enter("");
  timer.add_to(stats_, *summary);
  boost::json::object result{{"duration", summary->duration_s},
                             {"speech_duration", summary->speech_s},
                             {"file_size", summary->bytes},
                             {"frames", summary->frames},
                             {"fps", summary->fps},
                             {"width", summary->width},
                             {"height", summary->height},
                             {"video_codec", codec_name(summary->video_codec)},
                             {"audio_codec", codec_name(summary->audio_codec)},
                             {"video_encoder", summary->video_codec},
                             {"voice_id", summary->voice_id},
                             {"avatar_id", summary->avatar_id},
                             {"format", request->format == video::Format::webm ? "webm" : "mp4"},
                             {"render_seconds", summary->elapsed_s}};
  return core::to_json(result);
}

void remove_job_files(const std::filesystem::path& dir, std::string_view job_id) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  const std::string id(job_id);
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(id + ".") || name.starts_with("." + id)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

video::Format format_of(const store::Job& job) {
  auto result = core::parse_json(job.result);
  if (result && result->is_object()) {
    if (const auto* f = result->get_object().if_contains("format"); f && f->is_string()) {
      return f->get_string() == "webm" ? video::Format::webm : video::Format::mp4;
    }
  }
  return video::Format::mp4;
}

void VideoRunner::remove_outputs(const store::Job& job) { remove_job_files(dir_, job.id); }

}  // namespace reelgen::jobs
