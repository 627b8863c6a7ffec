// /api/v1/reels: a video and its caption at once. The video part is a job (jobs::VideoService);
// the caption is written (or found in the cache) whenever the reel is shown, so it always
// matches the request.

#include <boost/json.hpp>

#include "api/caption_dto.hpp"
#include "api/reel_request.hpp"
#include "api/services.hpp"
#include "api/video_json.hpp"
#include "core/json.hpp"
#include "core/utf8.hpp"
#include "jobs/video_service.hpp"
#include "video/video.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;
using store::Job;
using store::JobStatus;

// The caption of a reel, from the caption request its payload holds ("reel").
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

// The first line of the caption a reel's caption request writes, if it fits a video's hook.
std::string caption_hook(Services& s, const boost::json::object& caption) {
  std::vector<core::FieldError> errors;
  auto request = read_caption_request(caption, "caption", errors);
  if (!request) return {};
  auto generated = s.captions->generate(*request);
  if (!generated) return {};
  auto doc = core::parse_json("{" + generated->fragment + "}");
  if (!doc || !doc->is_object()) return {};
  const auto* text = doc->get_object().if_contains("caption");
  if (text == nullptr || !text->is_string()) return {};
  std::string_view first(text->get_string());
  first = first.substr(0, first.find('\n'));
  return core::utf8_length(first) <= video::kMaxHookChars ? std::string(first) : std::string();
}

http::Response engine_loading(const http::Context& ctx) {
  return problem(ctx,
                 core::Error::make(ErrorCode::unavailable, "the caption engine is still loading"));
}

http::Response create_reel(Services& s, http::Request& req, http::Context& ctx) {
  if (!s.engine_ready.load()) return engine_loading(ctx);
  auto fields = core::parse_json_object(req.body);
  if (!fields) return problem(ctx, fields.error());
  auto parts = read_reel_request(*fields);
  if (!parts) return problem(ctx, parts.error());
  const boost::json::object* video = parts->video;
  const boost::json::object* caption = parts->caption;
  // The video opens with the caption's first line as its hook, unless the request has one.
  boost::json::object with_hook = *video;
  if (!with_hook.contains("hook")) {
    if (auto hook = caption_hook(s, *caption); !hook.empty()) with_hook["hook"] = hook;
  }
  auto job = s.videos->submit_reel(ctx.key_id, with_hook, *caption, req.header("Idempotency-Key"));
  if (!job) return submit_problem(ctx, job.error());
  auto res = reel_response(s, ctx, *job, 202);
  res.set_header("Location", "/api/v1/reels/" + job->id);
  return res;
}

http::Response get_reel(Services& s, http::Request&, http::Context& ctx) {
  if (!s.engine_ready.load()) return engine_loading(ctx);
  auto job = s.videos->get(ctx.key_id, ctx.path_params.at(0));
  if (!job) return problem(ctx, job.error());
  return reel_response(s, ctx, *job, 200);
}

}  // namespace

void add_reel_routes(http::Router& router, Services& s) {
  router.add("POST", "/api/v1/reels", bind_handler<create_reel>(s));
  router.add("GET", "/api/v1/reels/{id}", bind_handler<get_reel>(s));
}

}  // namespace reelgen::api
