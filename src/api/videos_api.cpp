// /api/v1/videos: video jobs (submit, batch, status, list, cancel/delete, events, files).
// The rules live in jobs::VideoService; these handlers parse, call it and serialize.

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "api/file_response.hpp"
#include "api/services.hpp"
#include "api/video_json.hpp"
#include "core/json.hpp"
#include "http/problem.hpp"
#include "jobs/video_service.hpp"

namespace reelgen::api {

using core::ErrorCode;
using store::Job;
using store::JobStatus;

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
    const double elapsed =
        static_cast<double>(core::unix_ms(s.clock.wall()) - job.started_ms) / 1000.0;
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
  // Media URLs are signed for the job's key: a browser loads them without Authorization.
  boost::json::object urls{{"self", base},
                           {"events", s.signer->sign(base + "/events", job.key_id)}};
  if (job.status == JobStatus::completed) {
    if (auto result = core::parse_json(job.result); result && result->is_object()) {
      const auto& r = result->get_object();
      for (const char* field : {"duration", "file_size", "width", "height", "fps", "frames",
                                "video_codec", "audio_codec", "voice_id", "avatar_id", "format"}) {
        if (const auto* v = r.if_contains(field)) doc[field] = *v;
      }
    }
    for (const auto& [name, suffix] :
         {std::pair{"file", "/file"}, std::pair{"thumbnail", "/thumbnail"},
          std::pair{"subtitles_srt", "/subtitles.srt"},
          std::pair{"subtitles_vtt", "/subtitles.vtt"}}) {
      urls[name] = s.signer->sign(base + suffix, job.key_id);
    }
  }
  doc["urls"] = std::move(urls);
  return doc;
}

http::Response submit_problem(const http::Context& ctx, const core::Error& error) {
  auto res = problem(ctx, error);
  if (error.code == ErrorCode::rate_limited) res.set_header("Retry-After", "60");
  return res;
}

namespace {

http::Response create_video(Services& s, http::Request& req, http::Context& ctx) {
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  auto job = s.videos->submit(ctx.key_id, *fields, req.body, req.header("Idempotency-Key"));
  if (!job) return submit_problem(ctx, job.error());
  auto res = json(202, video_json(s, *job));
  res.set_header("Location", "/api/v1/videos/" + job->id);
  return res;
}

http::Response create_batch(Services& s, http::Request& req, http::Context& ctx) {
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  auto batch = jobs::read_video_batch(*fields);
  if (!batch) return problem(ctx, batch.error());
  const boost::json::array* videos = *batch;
  boost::json::array results;
  std::size_t accepted = 0;
  std::size_t index = 0;
  for (auto& job : s.videos->submit_batch(ctx.key_id, *videos)) {
    const std::size_t i = index++;
    if (job) {
      ++accepted;
      results.push_back({{"index", i}, {"status", 202}, {"video", video_json(s, *job)}});
      continue;
    }
    results.push_back({{"index", i},
                       {"status", http::status_of(job.error().code)},
                       {"problem", boost::json::parse(problem(ctx, job.error()).body)}});
  }
  return json(accepted > 0 ? 202 : 422, {{"batch_id", ctx.request_id},
                                         {"total", videos->size()},
                                         {"accepted", accepted},
                                         {"results", std::move(results)}});
}

http::Response get_video(Services& s, http::Request&, http::Context& ctx) {
  auto job = s.videos->get(ctx.key_id, ctx.path_params.at(0));
  if (!job) return problem(ctx, job.error());
  return json(200, video_json(s, *job));
}

http::Response list_videos(Services& s, http::Request& req, http::Context& ctx) {
  jobs::VideoQuery q;
  std::vector<core::FieldError> errors;
  const std::string_view query = req.query();
  if (auto status = http::query_param(query, "status"); !status.empty()) {
    q.status = store::parse_job_status(status);
    if (!q.status) {
      errors.push_back(
          {"status", "enum",
           "must be one of: queued, processing, completed, failed, cancelled, expired"});
    }
  }
  auto read_int = [&](std::string_view name, std::int64_t min,
                      std::int64_t max) -> std::optional<std::int64_t> {
    const std::string_view text = http::query_param(query, name);
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
  if (auto limit = read_int("limit", 1, 100)) q.limit = static_cast<int>(*limit);
  if (auto after = read_int("created_after", 0, INT64_MAX / 1000))
    q.created_after_ms = *after * 1000;
  if (auto before = read_int("created_before", 0, INT64_MAX / 1000))
    q.created_before_ms = *before * 1000;
  q.cursor = std::string(http::query_param(query, "cursor"));
  if (!errors.empty()) {
    return problem(ctx, core::Error::invalid_fields(std::move(errors)));
  }
  auto page = s.videos->list(ctx.key_id, q);
  if (!page) return problem(ctx, page.error());
  boost::json::array videos;
  for (const auto& job : page->jobs) videos.push_back(video_json(s, job));
  boost::json::object doc{{"videos", std::move(videos)}};
  doc["next_cursor"] = page->next_cursor.empty() ? boost::json::value(nullptr)
                                                 : boost::json::value(page->next_cursor);
  return json(200, doc);
}

http::Response delete_video(Services& s, http::Request&, http::Context& ctx) {
  auto outcome = s.videos->cancel_or_delete(ctx.key_id, ctx.path_params.at(0));
  if (!outcome) return problem(ctx, outcome.error());
  // A cancelled job is shown (a rendering one stops within a second); a deleted one is gone.
  if (*outcome) return json(202, video_json(s, **outcome));
  http::Response res;
  res.status = 204;
  return res;
}

enum class Artifact { video, thumbnail, srt, vtt };

template <Artifact which>
http::Response serve_artifact(Services& s, http::Request& req, http::Context& ctx) {
  auto job = s.videos->get(ctx.key_id, ctx.path_params.at(0));
  if (!job) return problem(ctx, job.error());
  auto files = s.videos->files(*job);
  if (!files) return problem(ctx, files.error());
  switch (which) {
    case Artifact::video:
      return file_response(
          req, ctx, files->video,
          jobs::format_of(*job) == video::Format::webm ? "video/webm" : "video/mp4");
    case Artifact::thumbnail:
      return file_response(req, ctx, files->thumbnail, "image/jpeg");
    case Artifact::srt:
      return file_response(req, ctx, files->srt, "application/x-subrip; charset=utf-8");
    case Artifact::vtt:
      break;
  }
  return file_response(req, ctx, files->vtt, "text/vtt; charset=utf-8");
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
      const std::string detail = job ? "the video is gone" : job.error().message;
      return "event: error\ndata: " + core::to_json(boost::json::object{{"detail", detail}}) +
             "\n\n";
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
           "\ndata: " + core::to_json(video_json(s_, job)) + "\n\n";
  }

  Services& s_;
  std::string id_, key_id_, last_state_;
  std::chrono::steady_clock::time_point last_beat_;
  int sequence_ = 0;
};

http::Response video_events(Services& s, http::Request&, http::Context& ctx) {
  auto job = s.videos->get(ctx.key_id, ctx.path_params.at(0));
  if (!job) return problem(ctx, job.error());
  http::Response res;
  res.content_type = "text/event-stream";
  res.set_header("Cache-Control", "no-cache");
  res.stream = std::make_shared<JobEvents>(s, job->id, ctx.key_id);
  return res;
}

}  // namespace

void add_video_routes(http::Router& router, Services& s) {
  router.add("POST", "/api/v1/videos", bind_handler<create_video>(s));
  router.add("POST", "/api/v1/videos/batch", bind_handler<create_batch>(s));
  router.add("GET", "/api/v1/videos", bind_handler<list_videos>(s));
  router.add("GET", "/api/v1/videos/{id}", bind_handler<get_video>(s));
  router.add("DELETE", "/api/v1/videos/{id}", bind_handler<delete_video>(s));
  router.add("GET", "/api/v1/videos/{id}/events", bind_handler<video_events>(s));
  router.add("GET", "/api/v1/videos/{id}/file", bind_handler<serve_artifact<Artifact::video>>(s));
  router.add("GET", "/api/v1/videos/{id}/thumbnail",
             bind_handler<serve_artifact<Artifact::thumbnail>>(s));
  router.add("GET", "/api/v1/videos/{id}/subtitles.srt",
             bind_handler<serve_artifact<Artifact::srt>>(s));
  router.add("GET", "/api/v1/videos/{id}/subtitles.vtt",
             bind_handler<serve_artifact<Artifact::vtt>>(s));
}

}  // namespace reelgen::api
