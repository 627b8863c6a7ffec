#pragma once
// Video jobs: the Runner that renders a job's stored request (jobs/video_request.hpp) into the
// videos directory.

#include <array>
#include <atomic>
#include <filesystem>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "jobs/video_request.hpp"
#include "jobs/worker_pool.hpp"
#include "video/video.hpp"

namespace reelgen::jobs {

// Where a job's files live: <dir>/<job id>.<mp4|webm> plus .jpg, .srt and .vtt beside it.
struct VideoFiles {
  std::filesystem::path video, thumbnail, srt, vtt;
};
VideoFiles video_files(const std::filesystem::path& dir, std::string_view job_id,
                       video::Format format);

// The container a completed job wrote, as its runner recorded it in the result.
video::Format format_of(const store::Job& job);

// Deletes every file named after the job in dir: the video, its sidecars and temporary files.
void remove_job_files(const std::filesystem::path& dir, std::string_view job_id);

// Where render time goes, summed over completed renders: the stages as the renderer reports them
// (speech; render = drawing and encoding, interleaved frame by frame; finish = muxing and
// sidecars), against the seconds of video they produced.
struct RenderStats {
  // Drawing and encoding run side by side: their seconds are each thread's busy time.
  static constexpr std::array<std::string_view, 4> kStages{"speech", "drawing", "encoding",
                                                           "finish"};
  std::array<std::atomic<std::uint64_t>, 4> stage_us{};
  std::atomic<std::uint64_t> video_ms{0};
  std::atomic<std::uint64_t> elapsed_us{0};
  std::atomic<std::uint64_t> renders{0};
};

class VideoRunner final : public Runner {
 public:
  VideoRunner(std::filesystem::path dir, std::filesystem::path uploads_dir,
              const core::Clock& clock = core::SystemClock::instance())
      : dir_(std::move(dir)), uploads_dir_(std::move(uploads_dir)), clock_(clock) {}
  // Renders the payload; the result JSON has duration, file_size, frames, width, height, fps,
  // codecs, voice_id and avatar_id.
  core::Result<std::string> run(const store::Job& job, ProgressSink& progress) override;
  // Deletes every file of the job (finished or partial).
  void remove_outputs(const store::Job& job) override;
  const RenderStats& stats() const { return stats_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path uploads_dir_;
  const core::Clock& clock_;
  RenderStats stats_;
};

}  // namespace reelgen::jobs
