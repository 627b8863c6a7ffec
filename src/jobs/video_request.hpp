#pragma once
// The API's video request (JSON, as stored in a job's payload) and the batch of them: read and
// validated here, apart from the renderer, so that the server, the worker and the fuzz target
// read them alike.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "video/video.hpp"

namespace reelgen::jobs {

inline constexpr std::size_t kMaxBatchVideos = 10;

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

// The videos of POST /api/v1/videos/batch ({"videos": [1..kMaxBatchVideos requests]}), each
// still to be read by parse_video_request. The array points into body.
core::Result<const boost::json::array*> read_video_batch(const boost::json::object& body);

}  // namespace reelgen::jobs
