#include "jobs/video_service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <fstream>

#include "core/hash.hpp"
#include "core/json.hpp"
#include "core/unique_fd.hpp"
#include "jobs/cursor.hpp"
#include "jobs/image_info.hpp"
#include "jobs/webhooks.hpp"
#include "video/catalog.hpp"

namespace reelgen::jobs {
namespace {

using core::ErrorCode;
using store::Job;
using store::JobStatus;

constexpr std::int64_t kDayMs = 86'400'000;

// Our ids: a prefix ("vid_", "upl_") and base62; anything else could walk out of a directory.
bool valid_id(std::string_view id, std::string_view prefix) {
  if (!id.starts_with(prefix) || id.size() > 64 || id.size() <= prefix.size()) return false;
  return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size()), id.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::int64_t modified_ms(const std::filesystem::path& path) {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(path, ec);
  if (ec) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::file_clock::to_sys(time).time_since_epoch())
      .count();
}

// Writes bytes to a new file and syncs it; the error says why it could not (ENOSPC: the disk is
// full), where a stream would only say that it failed.
std::error_code write_file(const std::filesystem::path& path, std::string_view bytes) {
  core::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return {errno, std::generic_category()};
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {n < 0 ? errno : EIO, std::generic_category()};
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return {errno, std::generic_category()};
  return {};
}

core::Error no_upload(std::string_view id) {
  return core::Error::make(ErrorCode::not_found, "no upload with id '" + std::string(id) + "'");
}

}  // namespace

core::Error prefixed(core::Error error, const std::string& prefix) {
  for (auto& f : error.fields) f.field = f.field.empty() ? prefix : prefix + "." + f.field;
  if (!error.fields.empty()) {
    error.message = error.fields.front().field + ": " + error.fields.front().message;
  }
  return error;
}

VideoService::VideoService(store::JobStore& jobs, VideoServiceConfig config,
                           const core::Clock& clock, std::function<void()> wake)
    : jobs_(jobs), config_(std::move(config)), clock_(clock), wake_(std::move(wake)) {}

std::int64_t VideoService::now_ms() const { return core::unix_ms(clock_.wall()); }

UploadResolver VideoService::uploads_of(std::string_view key_id) const {
  return [dir = config_.uploads_dir, key = std::string(key_id)](std::string_view id) {
    return find_upload(dir, key, id);
  };
}

core::Result<void> VideoService::check_quotas(std::string_view key_id) {
  auto active = jobs_.count_active(key_id);
  if (!active) return std::unexpected(active.error());
  if (*active >= config_.max_active_per_key) {
    return core::fail(ErrorCode::rate_limited,
                      "this key has " + std::to_string(*active) +
                          " videos queued or rendering, the most allowed at once");
  }
  auto today = jobs_.count_created_since(key_id, now_ms() - kDayMs);
  if (!today) return std::unexpected(today.error());
  if (*today >= config_.daily_quota) {
    return core::fail(
        ErrorCode::rate_limited,
        "this key reached its quota of " + std::to_string(config_.daily_quota) + " videos a day");
  }
  return {};
}

// Refuses URLs that cannot be delivered to: a bad form, or (unless allowed) a host that is
// plainly local. Names are resolved again, and checked, at every delivery.
core::Result<void> VideoService::check_callback(std::string_view text) const {
  auto url = parse_callback_url(text);
  if (!url) return std::unexpected(url.error());
  if (config_.allow_private_callbacks) return {};
  boost::system::error_code ec;
  boost::asio::ip::make_address(url->host, ec);  // only: is the host an IP literal?
  const bool local_name = url->host == "localhost" || url->host.ends_with(".localhost") ||
                          url->host.ends_with(".local") || url->host.ends_with(".internal");
  const bool local_ip = !ec && !is_public_address(url->host);
  if (local_name || local_ip) {
    return std::unexpected(core::Error::invalid(
        "callback_url", "public_address",
        "must point to a public address; loopback, private and link-local ones are refused"));
  }
  return {};
}

core::Result<Job> VideoService::queue(std::string_view key_id, const boost::json::object& fields,
                                      std::string payload, std::string_view idempotency_key) {
  auto request = parse_video_request(fields, uploads_of(key_id));
  if (!request) return std::unexpected(request.error());
  if (idempotency_key.size() > 255) {
    return std::unexpected(
        core::Error::invalid("Idempotency-Key", "max_length", "must be at most 255 characters"));
  }
  Job job;
  if (const auto* url = fields.if_contains("callback_url"); url && url->is_string()) {
    if (auto checked = check_callback(url->get_string()); !checked) {
      return std::unexpected(checked.error());
    }
    job.callback_url = std::string(url->get_string());
  }
  // Replaying an idempotent request returns its job, whatever the quotas say now.
  bool replay = false;
  if (!idempotency_key.empty()) {
    auto found = jobs_.find_by_idempotency_key(key_id, idempotency_key);
    if (!found) return std::unexpected(found.error());
    replay = found->has_value();
  }
  if (!replay) {
    if (auto allowed = check_quotas(key_id); !allowed) return std::unexpected(allowed.error());
  }
  // Strictly increasing creation times keep a process's jobs listed in submission order (the
  // listing breaks ties within a millisecond by id).
  const std::int64_t wall = now_ms();
  std::int64_t last = last_created_ms_.load();
  std::int64_t now = 0;
  do {
    now = std::max(wall, last + 1);
  } while (!last_created_ms_.compare_exchange_weak(last, now));
  job.id = "vid_" + core::random_token(16);
  job.key_id = std::string(key_id);
  job.payload_hash = core::sha256_hex(payload);
  job.payload = std::move(payload);
  job.idempotency_key = std::string(idempotency_key);
  job.created_ms = now;
  job.updated_ms = now;
  job.max_attempts = config_.max_attempts;
  if (const auto* p = fields.if_contains("priority"); p && p->is_int64()) {
    job.priority = static_cast<int>(p->get_int64());
  }
  if (const auto* id = fields.if_contains("callback_id"); id && id->is_string()) {
    job.callback_id = std::string(id->get_string());
  }
  if (const auto* title = fields.if_contains("title"); title && title->is_string()) {
    job.title = std::string(title->get_string());
  }
  auto created = jobs_.create(job);
  if (created && wake_) wake_();
  return created;
}

core::Result<Job> VideoService::submit(std::string_view key_id, const boost::json::object& fields,
                                       std::string payload, std::string_view idempotency_key) {
  return queue(key_id, fields, std::move(payload), idempotency_key);
}

std::vector<core::Result<Job>> VideoService::submit_batch(std::string_view key_id,
                                                          const boost::json::array& items) {
  std::vector<core::Result<Job>> results;
  results.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "videos[" + std::to_string(i) + "]";
    const auto& item = items[i];
    if (!item.is_object()) {
      results.push_back(std::unexpected(core::Error::invalid(prefix, "type", "must be an object")));
      continue;
    }
    auto job = queue(key_id, item.get_object(), core::to_json(item), "");
    if (!job) job = std::unexpected(prefixed(job.error(), prefix));
    results.push_back(std::move(job));
  }
  return results;
}

core::Result<Job> VideoService::submit_reel(std::string_view key_id,
                                            const boost::json::object& video,
                                            const boost::json::object& caption,
                                            std::string_view idempotency_key) {
  boost::json::object payload = video;
  payload["reel"] = caption;
  auto job = queue(key_id, payload, core::to_json(payload), idempotency_key);
  if (!job) return std::unexpected(prefixed(job.error(), "video"));
  return job;
}

core::Result<Job> VideoService::get(std::string_view key_id, std::string_view id) {
  auto job = jobs_.get(id, key_id);
  if (!job) return std::unexpected(job.error());
  // Another key's video is as invisible as a missing one.
  if (!*job) return core::fail(ErrorCode::not_found, "no video with id '" + std::string(id) + "'");
  return std::move(**job);
}

core::Result<VideoPage> VideoService::list(std::string_view key_id, const VideoQuery& query) {
  store::JobFilter filter;
  filter.key_id = std::string(key_id);
  filter.status = query.status;
  filter.created_after_ms = query.created_after_ms;
  filter.created_before_ms = query.created_before_ms;
  if (!query.cursor.empty()) {
    filter.cursor = parse_cursor(query.cursor);
    if (!filter.cursor) {
      return std::unexpected(core::Error::invalid(
          "cursor", "format", "must be a next_cursor returned by an earlier page"));
    }
  }
  filter.limit = query.limit + 1;  // one more tells whether another page exists
  auto jobs = jobs_.list(filter);
  if (!jobs) return std::unexpected(jobs.error());
  VideoPage page;
  page.jobs = std::move(*jobs);
  if (static_cast<int>(page.jobs.size()) > query.limit) {
    page.jobs.pop_back();
    page.next_cursor = cursor_after(page.jobs.back());
  }
  return page;
}

core::Result<std::optional<Job>> VideoService::cancel_or_delete(std::string_view key_id,
                                                                std::string_view id) {
  auto job = get(key_id, id);
  if (!job) return std::unexpected(job.error());
  if (!store::is_final(job->status)) {
    auto cancelled = jobs_.cancel(job->id, key_id, now_ms());
    if (!cancelled) return std::unexpected(cancelled.error());
    if (cancelled->status == JobStatus::cancelled) remove_job_files(config_.videos_dir, id);
    return std::optional<Job>(std::move(*cancelled));
  }
  remove_job_files(config_.videos_dir, job->id);
  if (auto removed = jobs_.remove(job->id, key_id); !removed) {
    return std::unexpected(removed.error());
  }
  return std::optional<Job>();
}

core::Result<VideoFiles> VideoService::files(const Job& job) const {
  if (job.status != JobStatus::completed) {
    return core::fail(ErrorCode::conflict, "video '" + job.id + "' is " +
                                               std::string(store::to_string(job.status)) +
                                               "; its files exist once it is completed");
  }
  return video_files(config_.videos_dir, job.id, format_of(job));
}

core::Result<Upload> VideoService::create_upload(std::string_view key_id, std::string_view bytes) {
  if (bytes.size() > video::kMaxImageBytes) {
    return core::fail(ErrorCode::payload_too_large,
                      "images may be at most " + std::to_string(video::kMaxImageBytes) + " bytes");
  }
  auto image = inspect_image(bytes);
  if (!image) return std::unexpected(image.error());
  if (image->width < 1 || image->height < 1 || image->width > video::kMaxImageSide ||
      image->height > video::kMaxImageSide) {
    return std::unexpected(core::Error::invalid(
        "body", "max_pixels",
        "the image must be 1 to " + std::to_string(video::kMaxImageSide) + " pixels on each side"));
  }
  const std::string id = "upl_" + core::random_token(16);
  const auto dir = config_.uploads_dir / std::string(key_id);
  const auto path = dir / (id + "." + image->extension);
  const auto temp = dir / ("." + id + ".partial");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec) ec = write_file(temp, bytes);
  if (!ec) std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return core::fail(ErrorCode::unavailable, "the upload could not be stored: " + ec.message());
  }
  return Upload{id,           image->content_type, bytes.size(),
                image->width, image->height,       modified_ms(path)};
}

core::Result<Upload> VideoService::get_upload(std::string_view key_id, std::string_view id) {
  if (!valid_id(id, "upl_")) return std::unexpected(no_upload(id));
  const auto path = find_upload(config_.uploads_dir, key_id, id);
  if (!path) return std::unexpected(no_upload(id));
  const auto bytes = read_file(*path);
  if (!bytes) return std::unexpected(no_upload(id));
  auto image = inspect_image(*bytes);
  if (!image) return core::fail(ErrorCode::internal, "upload '" + std::string(id) + "' is damaged");
  return Upload{std::string(id), image->content_type, bytes->size(),
                image->width,    image->height,       modified_ms(*path)};
}

core::Result<std::vector<Upload>> VideoService::list_uploads(std::string_view key_id) {
  std::vector<Upload> uploads;
  std::error_code ec;
  const auto dir = config_.uploads_dir / std::string(key_id);
  if (!std::filesystem::is_directory(dir, ec)) return uploads;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string id = entry.path().stem().string();
    if (!valid_id(id, "upl_")) continue;  // partial writes start with a dot
    if (auto upload = get_upload(key_id, id)) uploads.push_back(std::move(*upload));
  }
  std::sort(uploads.begin(), uploads.end(), [](const Upload& a, const Upload& b) {
    return a.created_ms != b.created_ms ? a.created_ms > b.created_ms : a.id > b.id;
  });
  return uploads;
}

core::Result<void> VideoService::delete_upload(std::string_view key_id, std::string_view id) {
  if (!valid_id(id, "upl_")) return std::unexpected(no_upload(id));
  const auto path = find_upload(config_.uploads_dir, key_id, id);
  if (!path) return std::unexpected(no_upload(id));
  std::error_code ec;
  if (!std::filesystem::remove(*path, ec) || ec) {
    return core::fail(ErrorCode::unavailable,
                      "upload '" + std::string(id) + "' could not be deleted: " + ec.message());
  }
  return {};
}

std::size_t VideoService::expire_uploads(std::int64_t cutoff_ms) {
  std::size_t removed = 0;
  std::error_code ec;
  if (!std::filesystem::is_directory(config_.uploads_dir, ec)) return 0;
  for (const auto& key_dir : std::filesystem::directory_iterator(config_.uploads_dir, ec)) {
    if (!key_dir.is_directory(ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(key_dir.path(), ec)) {
      if (modified_ms(entry.path()) < cutoff_ms && std::filesystem::remove(entry.path(), ec)) {
        ++removed;
      }
    }
  }
  return removed;
}

core::Result<std::string> VideoService::cached_preview(
    const std::string& key, const std::function<core::Result<std::string>()>& make) {
  {
    std::lock_guard lock(previews_mutex_);
    if (auto it = previews_.find(key); it != previews_.end()) return it->second;
  }
  auto made = make();
  if (!made) return made;
  std::lock_guard lock(previews_mutex_);
  return previews_.try_emplace(key, std::move(*made)).first->second;
}

core::Result<std::string> VideoService::avatar_preview(std::string_view avatar_id) {
  if (video::find_avatar(avatar_id) == nullptr) {
    return core::fail(ErrorCode::not_found, "no avatar with id '" + std::string(avatar_id) + "'");
  }
  return cached_preview(std::string(avatar_id),
                        [&] { return video::avatar_preview_png(avatar_id, 256); });
}

core::Result<std::string> VideoService::voice_preview(std::string_view voice_id) {
  if (video::find_voice(voice_id) == nullptr) {
    return core::fail(ErrorCode::not_found, "no voice with id '" + std::string(voice_id) + "'");
  }
  return cached_preview("voice:" + std::string(voice_id),
                        [&] { return video::voice_preview_wav(voice_id); });
}

}  // namespace reelgen::jobs
