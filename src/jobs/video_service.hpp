#pragma once
// The rules of video jobs, for every front end (HTTP API, CLI) and every store backend: what may
// be submitted (validation, callback policy, quotas, idempotency), how jobs are named, listed,
// cancelled and deleted, and how uploaded images are kept. Knows nothing about HTTP.
//
// Every call may touch the store or the disk: call it off the I/O threads.

#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "jobs/video_job.hpp"
#include "store/store.hpp"

namespace reelgen::jobs {

struct VideoServiceConfig {
  std::filesystem::path videos_dir;      // <videos_dir>/<job id>.<mp4|webm|jpg|srt|vtt>
  std::filesystem::path uploads_dir;     // <uploads_dir>/<key id>/<upload id>.<png|jpg>
  int max_active_per_key = 5;            // queued + processing jobs a key may have at once
  int daily_quota = 500;                 // jobs a key may submit per 24 hours
  int max_attempts = 3;                  // renders tried before a job fails
  bool allow_private_callbacks = false;  // callback_url may name loopback or private hosts
};

// One page of a key's jobs, newest first.
struct VideoPage {
  std::vector<store::Job> jobs;
  std::string next_cursor;  // empty on the last page
};

// What listing may narrow by; the cursor is the opaque next_cursor of the previous page.
struct VideoQuery {
  std::optional<store::JobStatus> status;
  std::optional<std::int64_t> created_after_ms;
  std::optional<std::int64_t> created_before_ms;
  std::string cursor;
  int limit = 20;
};

// A stored upload, as its owner sees it.
struct Upload {
  std::string id;
  std::string content_type;  // "image/png" or "image/jpeg"
  std::uint64_t bytes = 0;
  int width = 0;
  int height = 0;
  std::int64_t created_ms = 0;
};

class VideoService {
 public:
  // jobs and clock are borrowed and must outlive the service. wake, when set, is called after a
  // job is queued (to wake an idle worker).
  VideoService(store::JobStore& jobs, VideoServiceConfig config, const core::Clock& clock,
               std::function<void()> wake = {});
  VideoService(const VideoService&) = delete;
  VideoService& operator=(const VideoService&) = delete;

  const VideoServiceConfig& config() const { return config_; }

  // Validates one video request and queues it. payload is what the worker renders (the request
  // JSON). invalid_argument names the field; rate_limited when a quota is used up (an idempotent
  // replay is answered whatever the quotas say now); conflict when idempotency_key was used with
  // another body.
  [[nodiscard]] core::Result<store::Job> submit(std::string_view key_id,
                                                const boost::json::object& fields,
                                                std::string payload,
                                                std::string_view idempotency_key);
  // Each item on its own, as submit without an idempotency key; an item's field errors are
  // named from the batch ("videos[2].script").
  [[nodiscard]] std::vector<core::Result<store::Job>> submit_batch(std::string_view key_id,
                                                                   const boost::json::array& items);
  // A reel: a video whose payload also holds its (already validated) caption request.
  [[nodiscard]] core::Result<store::Job> submit_reel(std::string_view key_id,
                                                     const boost::json::object& video,
                                                     const boost::json::object& caption,
                                                     std::string_view idempotency_key);

  // not_found for an unknown id and for another key's job alike.
  [[nodiscard]] core::Result<store::Job> get(std::string_view key_id, std::string_view id);
  // invalid_argument (field "cursor") for a cursor this service did not hand out.
  [[nodiscard]] core::Result<VideoPage> list(std::string_view key_id, const VideoQuery& query);
  // An unfinished job is cancelled and returned (a rendering one stops within a second and its
  // worker removes its files); a finished one is deleted with its files and nullopt returned.
  [[nodiscard]] core::Result<std::optional<store::Job>> cancel_or_delete(std::string_view key_id,
                                                                         std::string_view id);
  // The files of a completed job; conflict while it is not completed.
  [[nodiscard]] core::Result<VideoFiles> files(const store::Job& job) const;

  // Checks and keeps an image: PNG or JPEG, complete, 1..kMaxImageSide pixels a side.
  [[nodiscard]] core::Result<Upload> create_upload(std::string_view key_id, std::string_view bytes);
  [[nodiscard]] core::Result<Upload> get_upload(std::string_view key_id, std::string_view id);
  // Newest first.
  [[nodiscard]] core::Result<std::vector<Upload>> list_uploads(std::string_view key_id);
  [[nodiscard]] core::Result<void> delete_upload(std::string_view key_id, std::string_view id);
  // Deletes uploads older than cutoff_ms (of every key); returns how many.
  std::size_t expire_uploads(std::int64_t cutoff_ms);
  // Finds an upload of key_id for a render request; nullopt when there is none.
  UploadResolver uploads_of(std::string_view key_id) const;

  // A 256-pixel PNG preview of an avatar, drawn once by the renderer and kept.
  [[nodiscard]] core::Result<std::string> avatar_preview(std::string_view avatar_id);
  // A short spoken sample of a voice (WAV, -14 LUFS), spoken once by the renderer and kept.
  [[nodiscard]] core::Result<std::string> voice_preview(std::string_view voice_id);

 private:
  std::int64_t now_ms() const;
  core::Result<void> check_quotas(std::string_view key_id);
  core::Result<void> check_callback(std::string_view url) const;
  core::Result<store::Job> queue(std::string_view key_id, const boost::json::object& fields,
                                 std::string payload, std::string_view idempotency_key);

  store::JobStore& jobs_;
  VideoServiceConfig config_;
  const core::Clock& clock_;
  std::function<void()> wake_;
  std::atomic<std::int64_t> last_created_ms_{0};
  // A preview (avatar PNG, voice WAV) under key, made by the renderer once and kept.
  core::Result<std::string> cached_preview(const std::string& key,
                                           const std::function<core::Result<std::string>()>& make);

  std::mutex previews_mutex_;
  std::map<std::string, std::string, std::less<>> previews_;
};

// Field errors inside a part of a request are named from it: prefix "videos[2]" turns "script"
// into "videos[2].script"; the message follows the first field.
core::Error prefixed(core::Error error, const std::string& prefix);

}  // namespace reelgen::jobs
