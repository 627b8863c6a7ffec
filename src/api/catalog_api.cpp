// /api/v1/avatars and /api/v1/voices: what a video can be made of.

#include <boost/json.hpp>

#include "api/services.hpp"
#include "jobs/video_service.hpp"
#include "video/catalog.hpp"

namespace reelgen::api {
namespace {

http::Response avatars(Services& s, http::Request&, http::Context& ctx) {
  boost::json::array list;
  for (const auto& a : video::catalog().avatars) {
    list.push_back(
        {{"avatar_id", a.id},
         {"name", a.name},
         {"description", a.description},
         {"default_voice", a.default_voice},
         {"preview_url", s.signer->sign("/api/v1/avatars/" + a.id + "/preview.png", ctx.key_id)}});
  }
  return json(200, {{"avatars", std::move(list)}});
}

// A preview the catalog links to, cached by clients for a day.
http::Response preview(const http::Context& ctx, core::Result<std::string> bytes,
                       std::string_view content_type) {
  if (!bytes) return problem(ctx, bytes.error());
  http::Response res;
  res.content_type = std::string(content_type);
  res.body = std::move(*bytes);
  res.set_header("Cache-Control", "public, max-age=86400");
  return res;
}

http::Response avatar_preview(Services& s, http::Request&, http::Context& ctx) {
  return preview(ctx, s.videos->avatar_preview(ctx.path_params.at(0)), "image/png");
}

http::Response voices(Services& s, http::Request&, http::Context& ctx) {
  boost::json::array list;
  for (const auto& v : video::catalog().voices) {
    list.push_back(
        {{"voice_id", v.id},
         {"name", v.name},
         {"language", v.language},
         {"gender", v.gender},
         {"engine", video::engine_name(v.engine)},
         {"preview_url", s.signer->sign("/api/v1/voices/" + v.id + "/preview.wav", ctx.key_id)}});
  }
  boost::json::array languages;
  for (const auto& l : video::catalog().languages) languages.emplace_back(l);
  return json(200, {{"voices", std::move(list)}, {"languages", std::move(languages)}});
}

http::Response voice_preview(Services& s, http::Request&, http::Context& ctx) {
  return preview(ctx, s.videos->voice_preview(ctx.path_params.at(0)), "audio/wav");
}

}  // namespace

void add_catalog_routes(http::Router& router, Services& s) {
  router.add("GET", "/api/v1/avatars", bind_handler<avatars>(s));
  router.add("GET", "/api/v1/avatars/{id}/preview.png", bind_handler<avatar_preview>(s));
  router.add("GET", "/api/v1/voices", bind_handler<voices>(s));
  router.add("GET", "/api/v1/voices/{id}/preview.wav", bind_handler<voice_preview>(s));
}

}  // namespace reelgen::api
