#pragma once
// Video jobs: the API's video request (JSON, as stored in a job's payload) and the Runner that
// renders it into the videos directory.

#include <boost/json/object.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "jobs/worker_pool.hpp"
#include "video/video.hpp"

namespace reelgen::jobs {

// Finds an uploaded image of the requesting key by its id; nullopt when there is none.
using UploadResolver = std::function<std::optional<std::filesystem::path>(std::string_view id)>;

// Uploads live in <dir>/<key id>/<upload id>.<png|jpg>: a key can only use its own.
std::optional<std::filesystem::path> find_upload(const std::filesystem::path& dir,
                                                 std::string_view key_id,
                                                 std::string_view upload_id);

// Reads and validates a video request. Field errors are named as in the API (script,
// aspect_ratio, subtitles.position, ...). Fields that only concern the job (title, priority,
// callbacks) are read by the API and ignored here. Upload ids ("background": "upload:ID",
// "portrait_upload_id") are resolved with uploads.
core::Result<video::RenderRequest> parse_video_request(const boost::json::object& body,
                                                       const UploadResolver& uploads);

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
