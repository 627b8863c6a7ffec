// /api/v1/videos: video jobs (submit, status, list, cancel/delete, files) and the catalog.

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>

#include "api/caption_dto.hpp"
#include "api/file_response.hpp"
#include "api/image_info.hpp"
#include "api/services.hpp"
#include "core/hash.hpp"
#include "core/json.hpp"
#include "http/problem.hpp"
#include "jobs/video_job.hpp"
#include "video/catalog.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;
using store::Job;
using store::JobStatus;

std::int64_t now_ms(const Services& s) { return core::unix_ms(s.clock.wall()); }

// The container a completed job wrote, as its runner recorded it.
video::Format format_of(const Job& job) {
  auto result = core::parse_json(job.result);
  if (result && result->is_object()) {
    if (const auto* f = result->get_object().if_contains("format"); f && f->is_string()) {
      return f->get_string() == "webm" ? video::Format::webm : video::Format::mp4;
    }
  }
  return video::Format::mp4;
}

boost::json::object video_json(const Services& s, const Job& job) {
  const std::string base = "/api/v1/videos/" + job.id;
  boost::json::object doc{{"video_id", job.id},
                          {"status", store::to_string(job.status)},
                          {"stage", job.stage},
                          {"progress", std::round(job.progress * 10) / 10},
                          {"attempts", job.attempts},
                          {"created_at", core::iso8601_ms(job.created_ms)},
                          {"updated_at", core::iso8601_ms(job.updated_ms)}};
  if (job.started_ms > 0) doc["started_at"] = core::iso8601_ms(job.started_ms);
  if (job.finished_ms > 0) doc["finished_at"] = core::iso8601_ms(job.finished_ms);
  if (!job.title.empty()) doc["title"] = job.title;
  if (job.status == JobStatus::processing && job.progress > 1 && job.started_ms > 0) {
    const double elapsed = static_cast<double>(now_ms(s) - job.started_ms) / 1000.0;
    doc["eta_seconds"] = std::round(elapsed * (100 - job.progress) / job.progress * 10) / 10;
  }
  if (!job.error.empty() && job.status != JobStatus::completed) doc["error"] = job.error;
  if (!job.callback_url.empty()) {
    // Where the announcement stands: "waiting" until the video finishes, then "pending",
    // "delivered" or "failed", with the attempts made and the last error.
    boost::json::object webhook{
        {"status", job.webhook_status.empty() ? "waiting" : job.webhook_status},
        {"attempts", job.webhook_attempts}};
    if (!job.webhook_error.empty()) webhook["last_error"] = job.webhook_error;
    doc["webhook"] = std::move(webhook);
  }
  if (job.status == JobStatus::completed) {
    if (auto result = core::parse_json(job.result); result && result->is_object()) {
      const auto& r = result->get_object();
      for (const char* field : {"duration", "file_size", "width", "height", "fps", "frames",
                                "video_codec", "audio_codec", "voice_id", "avatar_id", "format"}) {
        if (const auto* v = r.if_contains(field)) doc[field] = *v;
      }
    }
    doc["urls"] = {{"self", base},
                   {"file", base + "/file"},
                   {"thumbnail", base + "/thumbnail"},
                   {"subtitles_srt", base + "/subtitles.srt"},
                   {"subtitles_vtt", base + "/subtitles.vtt"}};
  } else {
    doc["urls"] = {{"self", base}};
  }
  return doc;
}

core::Result<Job> find_job(Services& s, const http::Context& ctx) {
  auto job = s.store->jobs().get(ctx.path_params.at(0), ctx.key_id);
  if (!job) return std::unexpected(job.error());
  // Another key's video is as invisible as a missing one.
  if (!*job) {
    return core::fail(ErrorCode::not_found, "no video with id '" + ctx.path_params.at(0) + "'");
  }
  return std::move(**job);
}

// Refuses URLs that cannot be delivered to: a bad form, or (unless allowed) a host that is
// plainly local. Names are resolved again, and checked, at every delivery.
core::Result<void> check_callback(const Services& s, std::string_view text) {
  auto url = jobs::parse_callback_url(text);
  if (!url) return std::unexpected(url.error());
  if (s.config.webhooks.allow_private) return {};
  boost::system::error_code ec;
  boost::asio::ip::make_address(url->host, ec);  // only: is the host an IP literal?
  const bool local_name = url->host == "localhost" || url->host.ends_with(".localhost") ||
                          url->host.ends_with(".local") || url->host.ends_with(".internal");
  // is_public_address covers loopback, unspecified, multicast, private and link-local ranges.
  const bool local_ip = !ec && !jobs::is_public_address(url->host);
  if (local_name || local_ip) {
    return std::unexpected(core::Error::invalid(
        "callback_url", "public_address",
        "must point to a public address; loopback, private and link-local ones are refused"));
  }
  return {};
}

// rate_limited when the key has too many videos in progress or used its daily quota.
core::Result<void> check_quotas(Services& s, const http::Context& ctx, std::int64_t now) {
  auto& jobs = s.store->jobs();
  auto active = jobs.count_active(ctx.key_id);
  if (!active) return std::unexpected(active.error());
  if (*active >= s.config.video.max_active_per_key) {
    return core::fail(ErrorCode::rate_limited,
                      "this key has " + std::to_string(*active) +
                          " videos queued or rendering, the most allowed at once");
  }
  auto today = jobs.count_created_since(ctx.key_id, now - 86'400'000);
  if (!today) return std::unexpected(today.error());
  if (*today >= s.config.video.daily_quota) {
    return core::fail(ErrorCode::rate_limited, "this key reached its quota of " +
                                                   std::to_string(s.config.video.daily_quota) +
                                                   " videos a day");
  }
  return {};
}

jobs::UploadResolver uploads_of(const Services& s, const http::Context& ctx) {
  return [&s, key = ctx.key_id](std::string_view id) {
    return jobs::find_upload(s.uploads_dir, key, id);
  };
}

// Validates one video request and queues it as a job. payload is what the worker will render
// (the request's JSON); the same checks run for single, batch and reel submissions.
core::Result<Job> submit_video(Services& s, const http::Context& ctx,
                               const boost::json::object& fields, std::string payload,
                               std::string_view idempotency_key) {
  auto request = jobs::parse_video_request(fields, uploads_of(s, ctx));
  if (!request) return std::unexpected(request.error());
  if (idempotency_key.size() > 255) {
    return std::unexpected(
        core::Error::invalid("Idempotency-Key", "max_length", "must be at most 255 characters"));
  }
  auto& jobs = s.store->jobs();
  const auto now = now_ms(s);
  // Replaying an idempotent request returns its job, whatever the quotas say now.
  bool replay = false;
  if (!idempotency_key.empty()) {
    auto found = jobs.find_by_idempotency_key(ctx.key_id, idempotency_key);
    if (!found) return std::unexpected(found.error());
    replay = found->has_value();
  }
  if (!replay) {
    if (auto allowed = check_quotas(s, ctx, now); !allowed) return std::unexpected(allowed.error());
  }
  Job job;
  job.id = "vid_" + core::random_token(16);
  job.key_id = ctx.key_id;
  job.payload_hash = core::sha256_hex(payload);
  job.payload = std::move(payload);
  job.idempotency_key = std::string(idempotency_key);
  job.created_ms = now;
  job.max_attempts = s.config.video.max_attempts;
  if (const auto* p = fields.if_contains("priority"); p && p->is_int64()) {
    job.priority = static_cast<int>(p->get_int64());
  }
  if (const auto* url = fields.if_contains("callback_url"); url && url->is_string()) {
    if (auto checked = check_callback(s, url->get_string()); !checked) {
      return std::unexpected(checked.error());
    }
    job.callback_url = std::string(url->get_string());
  }
  if (const auto* id = fields.if_contains("callback_id"); id && id->is_string()) {
    job.callback_id = std::string(id->get_string());
  }
  if (const auto* title = fields.if_contains("title"); title && title->is_string()) {
    job.title = std::string(title->get_string());
  }
  auto created = jobs.create(job);
  if (created && s.workers) s.workers->wake();
  return created;
}

// A problem response; quota refusals also say when to try again.
http::Response submit_problem(const http::Context& ctx, const core::Error& error) {
  auto res = problem(ctx, error);
  if (error.code == ErrorCode::rate_limited) res.set_header("Retry-After", "60");
  return res;
}

http::Response create_video(Services& s, http::Request& req, http::Context& ctx) {
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  auto job = submit_video(s, ctx, *fields, req.body, req.header("Idempotency-Key"));
  if (!job) return submit_problem(ctx, job.error());
  auto res = json(202, video_json(s, *job));
  res.set_header("Location", "/api/v1/videos/" + job->id);
  return res;
}

// Field errors inside an item are prefixed with the item's path ("videos[2].script").
core::Error prefixed(core::Error error, const std::string& prefix) {
  for (auto& f : error.fields) f.field = f.field.empty() ? prefix : prefix + "." + f.field;
  if (!error.fields.empty())
    error.message = error.fields.front().field + ": " + error.fields.front().message;
  return error;
}

http::Response create_batch(Services& s, http::Request& req, http::Context& ctx) {
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  std::vector<core::FieldError> errors;
  core::ObjectReader in(*fields, "", errors);
  const boost::json::array* videos = in.array("videos", 1, 10);
  in.reject_unknown();
  if (!errors.empty()) {
    return problem(ctx, core::Error::invalid_fields(std::move(errors)));
  }
  boost::json::array results;
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < videos->size(); ++i) {
    const std::string prefix = "videos[" + std::to_string(i) + "]";
    const auto& item = (*videos)[i];
    core::Result<Job> job =
        item.is_object() ? submit_video(s, ctx, item.get_object(), boost::json::serialize(item), "")
                         : core::fail(ErrorCode::invalid_argument, "must be an object");
    if (job) {
      ++accepted;
      results.push_back({{"index", i}, {"status", 202}, {"video", video_json(s, *job)}});
      continue;
    }
    core::Error error = job.error();
    if (!item.is_object()) error = core::Error::invalid(prefix, "type", "must be an object");
    error = prefixed(std::move(error), prefix);
    results.push_back({{"index", i},
                       {"status", http::status_of(error.code)},
                       {"problem", boost::json::parse(problem(ctx, error).body)}});
  }
  return json(accepted > 0 ? 202 : 422, {{"batch_id", ctx.request_id},
                                         {"total", videos->size()},
                                         {"accepted", accepted},
                                         {"results", std::move(results)}});
}

http::Response get_video(Services& s, http::Request&, http::Context& ctx) {
  auto job = find_job(s, ctx);
  if (!job) return problem(ctx, job.error());
  return json(200, video_json(s, *job));
}

// Reads name=value from a query string (no percent-decoding is needed for the values we take).
std::string_view query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

http::Response list_videos(Services& s, http::Request& req, http::Context& ctx) {
  store::JobFilter filter;
  filter.key_id = ctx.key_id;
  std::vector<core::FieldError> errors;
  const std::string_view query = req.query();
  if (auto status = query_value(query, "status"); !status.empty()) {
    filter.status = store::parse_job_status(status);
    if (!filter.status) {
      errors.push_back(
          {"status", "enum",
           "must be one of: queued, processing, completed, failed, cancelled, expired"});
    }
  }
  auto read_int = [&](std::string_view name, std::int64_t min,
                      std::int64_t max) -> std::optional<std::int64_t> {
    const std::string_view text = query_value(query, name);
    if (text.empty()) return std::nullopt;
    std::int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size() || n < min || n > max) {
      errors.push_back(
          {std::string(name), "range",
           "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
      return std::nullopt;
    }
    return n;
  };
  if (auto limit = read_int("limit", 1, 100)) filter.limit = static_cast<int>(*limit);
  if (auto after = read_int("created_after", 0, INT64_MAX / 1000))
    filter.created_after_ms = *after * 1000;
  if (auto before = read_int("created_before", 0, INT64_MAX / 1000))
    filter.created_before_ms = *before * 1000;
  filter.cursor = std::string(query_value(query, "cursor"));
  if (!errors.empty()) {
    return problem(ctx, core::Error::invalid_fields(std::move(errors)));
  }
  const int limit = filter.limit;
  filter.limit = limit + 1;  // one more tells whether another page exists
  auto jobs = s.store->jobs().list(filter);
  if (!jobs) return problem(ctx, jobs.error());
  const bool more = static_cast<int>(jobs->size()) > limit;
  if (more) jobs->pop_back();
  boost::json::array videos;
  for (const auto& job : *jobs) videos.push_back(video_json(s, job));
  boost::json::object doc{{"videos", std::move(videos)}};
  doc["next_cursor"] = more ? boost::json::value(jobs->back().id) : boost::json::value(nullptr);
  return json(200, doc);
}

http::Response delete_video(Services& s, http::Request&, http::Context& ctx) {
  auto job = find_job(s, ctx);
  if (!job) return problem(ctx, job.error());
  if (!store::is_final(job->status)) {
    auto cancelled = s.store->jobs().cancel(job->id, ctx.key_id, now_ms(s));
    if (!cancelled) return problem(ctx, cancelled.error());
    if (s.runner && cancelled->status == JobStatus::cancelled) s.runner->remove_outputs(*cancelled);
    // A rendering job stops within a second; its worker removes the files.
    return json(202, video_json(s, *cancelled));
  }
  if (s.runner) s.runner->remove_outputs(*job);
  if (auto removed = s.store->jobs().remove(job->id, ctx.key_id); !removed) {
    return problem(ctx, removed.error());
  }
  http::Response res;
  res.status = 204;
  return res;
}

http::Response serve_artifact(Services& s, http::Request& req, http::Context& ctx,
                              std::string_view which) {
  auto job = find_job(s, ctx);
  if (!job) return problem(ctx, job.error());
  if (job->status != JobStatus::completed) {
    return problem(
        ctx, core::Error::make(ErrorCode::conflict, "video '" + job->id + "' is " +
                                                        std::string(store::to_string(job->status)) +
                                                        "; its files exist once it is completed"));
  }
  const video::Format format = format_of(*job);
  const jobs::VideoFiles files = jobs::video_files(s.videos_dir, job->id, format);
  if (which == "file") {
    return file_response(req, ctx, files.video,
                         format == video::Format::webm ? "video/webm" : "video/mp4");
  }
  if (which == "thumbnail") return file_response(req, ctx, files.thumbnail, "image/jpeg");
  if (which == "srt")
    return file_response(req, ctx, files.srt, "application/x-subrip; charset=utf-8");
  return file_response(req, ctx, files.vtt, "text/vtt; charset=utf-8");
}

http::Response video_file(Services& s, http::Request& r, http::Context& c) {
  return serve_artifact(s, r, c, "file");
}
http::Response video_thumbnail(Services& s, http::Request& r, http::Context& c) {
  return serve_artifact(s, r, c, "thumbnail");
}
http::Response video_srt(Services& s, http::Request& r, http::Context& c) {
  return serve_artifact(s, r, c, "srt");
}
http::Response video_vtt(Services& s, http::Request& r, http::Context& c) {
  return serve_artifact(s, r, c, "vtt");
}

// Server-Sent Events for one job: a "progress" event whenever the stage or progress changes
// (polled every 250 ms), then one final event named after the final status.
class JobEvents final : public http::EventStream {
 public:
  JobEvents(Services& s, std::string id, std::string key_id)
      : s_(s), id_(std::move(id)), key_id_(std::move(key_id)), last_beat_(s.clock.now()) {}

  std::string poll(bool& done) override {
    auto job = s_.store->jobs().get(id_, key_id_);
    if (!job || !*job) {
      done = true;
      return "event: error\ndata: {\"detail\":\"the video is gone\"}\n\n";
    }
    const Job& j = **job;
    const std::string state = std::string(store::to_string(j.status)) + "|" + j.stage + "|" +
                              std::to_string(static_cast<int>(j.progress * 10));
    if (store::is_final(j.status)) {
      done = true;
      return event(store::to_string(j.status), j);
    }
    if (state != last_state_) {
      last_state_ = state;
      last_beat_ = s_.clock.now();
      return event("progress", j);
    }
    if (s_.clock.now() - last_beat_ > std::chrono::seconds(15)) {
      last_beat_ = s_.clock.now();
      return ": still working\n\n";  // a comment keeps proxies from timing the stream out
    }
    return {};
  }

 private:
  std::string event(std::string_view name, const Job& job) {
    return "event: " + std::string(name) + "\nid: " + std::to_string(++sequence_) +
           "\ndata: " + boost::json::serialize(video_json(s_, job)) + "\n\n";
  }

  Services& s_;
  std::string id_, key_id_, last_state_;
  std::chrono::steady_clock::time_point last_beat_;
  int sequence_ = 0;
};

http::Response video_events(Services& s, http::Request&, http::Context& ctx) {
  auto job = find_job(s, ctx);
  if (!job) return problem(ctx, job.error());
  http::Response res;
  res.content_type = "text/event-stream";
  res.set_header("Cache-Control", "no-cache");
  res.stream = std::make_shared<JobEvents>(s, job->id, ctx.key_id);
  return res;
}

// A reel is a video job whose payload also holds a caption request ("reel"); the caption is
// written (or found in the cache) whenever the reel is shown, so it always matches the request.
core::Result<boost::json::value> reel_caption(Services& s, const Job& job) {
  auto payload = core::parse_json(job.payload);
  const boost::json::value* reel =
      payload && payload->is_object() ? payload->get_object().if_contains("reel") : nullptr;
  if (reel == nullptr || !reel->is_object()) {
    return core::fail(ErrorCode::not_found, "video '" + job.id + "' is not a reel");
  }
  std::vector<core::FieldError> errors;
  auto request = read_caption_request(reel->get_object(), "caption", errors);
  if (!request) return core::fail(ErrorCode::internal, "the stored caption request is invalid");
  auto generated = s.captions->generate(*request);
  if (!generated) return std::unexpected(generated.error());
  return boost::json::parse("{" + generated->fragment + "}");
}

http::Response reel_response(Services& s, const http::Context& ctx, const Job& job, int status) {
  auto caption = reel_caption(s, job);
  if (!caption) return problem(ctx, caption.error());
  return json(status, {{"reel_id", job.id},
                       {"status", store::to_string(job.status)},
                       {"ready", job.status == JobStatus::completed},
                       {"video", video_json(s, job)},
                       {"caption", std::move(*caption)}});
}

http::Response create_reel(Services& s, http::Request& req, http::Context& ctx) {
  if (!s.engine_ready.load()) {
    return problem(
        ctx, core::Error::make(ErrorCode::unavailable, "the caption engine is still loading"));
  }
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  std::vector<core::FieldError> errors;
  core::ObjectReader in(*fields, "", errors);
  const boost::json::object* video = in.object("video");
  const boost::json::object* caption = in.object("caption");
  if (video == nullptr && errors.empty()) in.add_error("video", "required", "is required");
  if (caption == nullptr && errors.empty()) in.add_error("caption", "required", "is required");
  in.reject_unknown();
  if (caption != nullptr) read_caption_request(*caption, "caption", errors);
  if (!errors.empty()) {
    return problem(ctx, core::Error::invalid_fields(std::move(errors)));
  }
  boost::json::object payload = *video;
  payload["reel"] = *caption;
  auto job =
      submit_video(s, ctx, payload, boost::json::serialize(payload), req.header("Idempotency-Key"));
  if (!job) return submit_problem(ctx, prefixed(job.error(), "video"));
  auto res = reel_response(s, ctx, *job, 202);
  res.set_header("Location", "/api/v1/reels/" + job->id);
  return res;
}

http::Response get_reel(Services& s, http::Request&, http::Context& ctx) {
  if (!s.engine_ready.load()) {
    return problem(
        ctx, core::Error::make(ErrorCode::unavailable, "the caption engine is still loading"));
  }
  auto job = find_job(s, ctx);
  if (!job) return problem(ctx, job.error());
  return reel_response(s, ctx, *job, 200);
}

http::Response create_upload(Services& s, http::Request& req, http::Context& ctx) {
  if (req.body.size() > video::kMaxImageBytes) {
    return problem(ctx, core::Error::make(ErrorCode::payload_too_large,
                                          "images may be at most " +
                                              std::to_string(video::kMaxImageBytes) + " bytes"));
  }
  auto image = sniff_image(req.body);
  if (!image) return problem(ctx, image.error());
  if (image->width < 1 || image->height < 1 || image->width > video::kMaxImageSide ||
      image->height > video::kMaxImageSide) {
    return problem(
        ctx, core::Error::invalid("body", "max_pixels",
                                  "the image must be 1 to " + std::to_string(video::kMaxImageSide) +
                                      " pixels on each side"));
  }
  const std::string id = "upl_" + core::random_token(16);
  const auto dir = s.uploads_dir / ctx.key_id;
  const auto path = dir / (id + "." + image->extension);
  const auto temp = dir / ("." + id + ".partial");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(req.body.data(), static_cast<std::streamsize>(req.body.size()));
    if (!out) ec = std::make_error_code(std::errc::io_error);
  }
  if (!ec) std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return problem(ctx, core::Error::make(ErrorCode::internal, "the upload could not be stored"));
  }
  auto res = json(201, {{"upload_id", id},
                        {"content_type", image->content_type},
                        {"bytes", req.body.size()},
                        {"width", image->width},
                        {"height", image->height},
                        {"use_as", {{"background", "upload:" + id}, {"portrait_upload_id", id}}}});
  res.set_header("Location", "/api/v1/uploads/" + id);
  return res;
}

http::Response avatars(Services&, http::Request&, http::Context&) {
  boost::json::array list;
  for (const auto& a : video::catalog().avatars) {
    list.push_back({{"avatar_id", a.id},
                    {"name", a.name},
                    {"description", a.description},
                    {"default_voice", a.default_voice},
                    {"preview_url", "/api/v1/avatars/" + a.id + "/preview.png"}});
  }
  return json(200, {{"avatars", std::move(list)}});
}

// Each preview is drawn once, by the renderer process, and kept: a handful of small PNGs.
core::Result<std::string> cached_preview(const std::string& id) {
  static std::mutex mutex;
  static std::map<std::string, std::string> previews;
  {
    std::lock_guard lock(mutex);
    if (auto it = previews.find(id); it != previews.end()) return it->second;
  }
  auto png = video::avatar_preview_png(id, 256);
  if (!png) return png;
  std::lock_guard lock(mutex);
  return previews.try_emplace(id, std::move(*png)).first->second;
}

http::Response avatar_preview(Services&, http::Request&, http::Context& ctx) {
  const std::string& id = ctx.path_params.at(0);
  if (video::find_avatar(id) == nullptr) {
    return problem(ctx, core::Error::make(ErrorCode::not_found, "no avatar with id '" + id + "'"));
  }
  auto png = cached_preview(id);
  if (!png) return problem(ctx, png.error());
  http::Response res;
  res.content_type = "image/png";
  res.body = std::move(*png);
  res.set_header("Cache-Control", "public, max-age=86400");
  return res;
}

http::Response voices(Services&, http::Request&, http::Context&) {
  boost::json::array list;
  for (const auto& v : video::catalog().voices) {
    list.push_back({{"voice_id", v.id},
                    {"name", v.name},
                    {"language", v.language},
                    {"gender", v.gender},
                    {"engine", v.engine == video::TtsEngineKind::flite ? "flite" : "espeak-ng"}});
  }
  boost::json::array languages;
  for (const auto& l : video::catalog().languages) languages.emplace_back(l);
  return json(200, {{"voices", std::move(list)}, {"languages", std::move(languages)}});
}

}  // namespace

void add_video_routes(http::Router& router, Services& s) {
  router.add("POST", "/api/v1/videos", bind_handler<create_video>(s));
  router.add("POST", "/api/v1/videos/batch", bind_handler<create_batch>(s));
  router.add("GET", "/api/v1/videos", bind_handler<list_videos>(s));
  router.add("GET", "/api/v1/videos/{id}", bind_handler<get_video>(s));
  router.add("DELETE", "/api/v1/videos/{id}", bind_handler<delete_video>(s));
  router.add("GET", "/api/v1/videos/{id}/events", bind_handler<video_events>(s));
  router.add("GET", "/api/v1/videos/{id}/file", bind_handler<video_file>(s));
  router.add("GET", "/api/v1/videos/{id}/thumbnail", bind_handler<video_thumbnail>(s));
  router.add("GET", "/api/v1/videos/{id}/subtitles.srt", bind_handler<video_srt>(s));
  router.add("GET", "/api/v1/videos/{id}/subtitles.vtt", bind_handler<video_vtt>(s));
  router.add("POST", "/api/v1/reels", bind_handler<create_reel>(s));
  router.add("GET", "/api/v1/reels/{id}", bind_handler<get_reel>(s));
  router.add("POST", "/api/v1/uploads", bind_handler<create_upload>(s));
  router.add("GET", "/api/v1/avatars", bind_handler<avatars>(s));
  router.add("GET", "/api/v1/avatars/{id}/preview.png", bind_handler<avatar_preview>(s));
  router.add("GET", "/api/v1/voices", bind_handler<voices>(s));
}

}  // namespace reelgen::api
