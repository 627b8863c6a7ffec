#pragma once
// Video jobs: the API's video request (JSON, as stored in a job's payload) and the Runner that
// renders it into the videos directory.

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "jobs/worker_pool.hpp"
#include "video/video.hpp"

namespace reelgen::jobs {

// Reads and validates a video request. Field errors are named as in the API (script,
// aspect_ratio, subtitles.position, ...). Fields that only concern the job (title, priority)
// are read by the API and ignored here.
core::Result<video::RenderRequest> parse_video_request(const boost::json::object& body);

// Where a job's files live: <dir>/<job id>.<mp4|webm> plus .jpg, .srt and .vtt beside it.
struct VideoFiles {
  std::filesystem::path video, thumbnail, srt, vtt;
};
VideoFiles video_files(const std::filesystem::path& dir, std::string_view job_id,
                       video::Format format);

class VideoRunner final : public Runner {
 public:
  explicit VideoRunner(std::filesystem::path dir) : dir_(std::move(dir)) {}
  // Renders the payload; the result JSON has duration, file_size, frames, width, height, fps,
  // codecs, voice_id and avatar_id.
  core::Result<std::string> run(const store::Job& job, ProgressSink& progress) override;
  // Deletes every file of the job (finished or partial).
  void remove_outputs(const store::Job& job) override;

 private:
  std::filesystem::path dir_;
};

}  // namespace reelgen::jobs
