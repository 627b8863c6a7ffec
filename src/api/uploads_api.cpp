// /api/v1/uploads: images a key keeps for its videos (backgrounds and portraits).

#include <boost/json.hpp>

#include "api/services.hpp"
#include "jobs/video_service.hpp"

namespace reelgen::api {
namespace {

boost::json::object upload_json(const jobs::Upload& u) {
  return {{"upload_id", u.id},
          {"content_type", u.content_type},
          {"bytes", u.bytes},
          {"width", u.width},
          {"height", u.height},
          {"created_at", core::iso8601_ms(u.created_ms)},
          {"url", "/api/v1/uploads/" + u.id},
          {"use_as", {{"background", "upload:" + u.id}, {"portrait_upload_id", u.id}}}};
}

http::Response create_upload(Services& s, http::Request& req, http::Context& ctx) {
  auto upload = s.videos->create_upload(ctx.key_id, req.body);
  if (!upload) return problem(ctx, upload.error());
  auto res = json(201, upload_json(*upload));
  res.set_header("Location", "/api/v1/uploads/" + upload->id);
  return res;
}

http::Response get_upload(Services& s, http::Request&, http::Context& ctx) {
  auto upload = s.videos->get_upload(ctx.key_id, ctx.path_params.at(0));
  if (!upload) return problem(ctx, upload.error());
  return json(200, upload_json(*upload));
}

http::Response list_uploads(Services& s, http::Request&, http::Context& ctx) {
  auto uploads = s.videos->list_uploads(ctx.key_id);
  if (!uploads) return problem(ctx, uploads.error());
  boost::json::array list;
  for (const auto& u : *uploads) list.push_back(upload_json(u));
  return json(200, {{"uploads", std::move(list)}});
}

http::Response delete_upload(Services& s, http::Request&, http::Context& ctx) {
  if (auto removed = s.videos->delete_upload(ctx.key_id, ctx.path_params.at(0)); !removed) {
    return problem(ctx, removed.error());
  }
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void add_upload_routes(http::Router& router, Services& s) {
  router.add("POST", "/api/v1/uploads", bind_handler<create_upload>(s));
  router.add("GET", "/api/v1/uploads", bind_handler<list_uploads>(s));
  router.add("GET", "/api/v1/uploads/{id}", bind_handler<get_upload>(s));
  router.add("DELETE", "/api/v1/uploads/{id}", bind_handler<delete_upload>(s));
}

}  // namespace reelgen::api
