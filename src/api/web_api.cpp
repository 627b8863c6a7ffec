// The web studio: GET / (index.html) and GET /assets/{file} (hashed, immutable), served from the
// files embedded at build time. The studio calls the API with the key from the browser's
// storage; its media comes through signed URLs.

#include <optional>
#include <string>
#include <string_view>

#include "api/services.hpp"
#include "http/problem.hpp"

namespace reelgen::embedded {
// A file of web/dist by its path there ("index.html", "assets/index-3f9a.js").
std::optional<std::string_view> web_asset(std::string_view name);
}  // namespace reelgen::embedded

namespace reelgen::api {
namespace {

// Everything comes from this server; media may be blob: (a chosen file shown before upload).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string_view content_type_of(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "json") return "application/json";
  if (ext == "woff2") return "font/woff2";
  return "application/octet-stream";
}

http::Response serve(const http::Context& ctx, std::string_view name, std::string_view cache) {
  const std::optional<std::string_view> bytes = embedded::web_asset(name);
  if (!bytes) {
    return problem(ctx, core::Error::make(core::ErrorCode::not_found,
                                          "no studio asset named " + std::string(name)));
  }
  http::Response res;
  res.content_type = std::string(content_type_of(name));
  res.body = std::string(*bytes);
  res.set_header("Cache-Control", std::string(cache));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.set_header("Referrer-Policy", "no-referrer");
  return res;
}

// The page names its assets by content hash, so it is revalidated on every load.
http::Response index(Services&, http::Request&, http::Context& ctx) {
  return serve(ctx, "index.html", "no-cache");
}

// A hashed name never changes content: cached for a year.
http::Response asset(Services&, http::Request&, http::Context& ctx) {
  return serve(ctx, "assets/" + ctx.path_params.at(0), "public, max-age=31536000, immutable");
}

}  // namespace

void add_web_routes(http::Router& router, Services& s) {
  router.add("GET", "/", bind_handler<index>(s), http::Dispatch::io_thread);
  router.add("GET", "/assets/{file}", bind_handler<asset>(s), http::Dispatch::io_thread);
}

}  // namespace reelgen::api
