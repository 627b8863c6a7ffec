#pragma once
// Video jobs: the Runner that renders a job's stored request (jobs/video_request.hpp) into the
// videos directory.

#include <filesystem>
#include <string>

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

class VideoRunner final : public Runner {
 public:
  VideoRunner(std::filesystem::path dir, std::filesystem::path uploads_dir)
      : dir_(std::move(dir)), uploads_dir_(std::move(uploads_dir)) {}
  // Renders the payload; the result JSON has duration, file_size, frames, width, height, fps,
  // codecs, voice_id and avatar_id.
  core::Result<std::string> run(const store::Job& job, ProgressSink& progress) override;
  // Deletes every file of the job (finished or partial).
  void remove_outputs(const store::Job& job) override;

 private:
  std::filesystem::path dir_;
  std::filesystem::path uploads_dir_;
};

}  // namespace reelgen::jobs
