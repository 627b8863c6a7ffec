// GET /openapi.json (the API's contract, docs/openapi.json) and GET /docs, /redoc (a reference
// page rendered from it by Redoc). All three are compiled into the binary.

#include <optional>
#include <string_view>

#include "api/app.hpp"
#include "api/services.hpp"

namespace reelgen::embedded {
std::optional<std::string_view> api_docs(std::string_view name);
}

namespace reelgen::api {
namespace {

// Redoc runs its search in a worker started from a blob: URL, and styles itself with inline
// <style> elements; nothing else comes from anywhere but this server.
constexpr const char* kDocsPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

http::Response asset(std::string_view name, std::string content_type) {
  http::Response res;
  res.content_type = std::move(content_type);
  res.body = std::string(embedded::api_docs(name).value_or(""));
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_header("X-Content-Type-Options", "nosniff");
  return res;
}

http::Response openapi(Services&, http::Request&, http::Context&) {
  return asset("openapi.json", "application/json");
}

http::Response page(Services&, http::Request&, http::Context&) {
  http::Response res = asset("docs.html", "text/html; charset=utf-8");
  res.set_header("Content-Security-Policy", kDocsPolicy);
  return res;
}

http::Response viewer(Services&, http::Request&, http::Context&) {
  return asset("redoc.standalone.js", "text/javascript; charset=utf-8");
}

}  // namespace

std::string_view App::openapi_document() { return embedded::api_docs("openapi.json").value_or(""); }

void add_docs_routes(http::Router& router, Services& s) {
  router.add("GET", "/openapi.json", bind_handler<openapi>(s), http::Dispatch::io_thread);
  router.add("GET", "/docs", bind_handler<page>(s), http::Dispatch::io_thread);
  router.add("GET", "/redoc", bind_handler<page>(s), http::Dispatch::io_thread);
  router.add("GET", "/docs/redoc.standalone.js", bind_handler<viewer>(s),
             http::Dispatch::io_thread);
}

}  // namespace reelgen::api
