#pragma once
// Cross-origin requests (CORS_ORIGINS): which browser origins may call the API, and the headers
// that tell the browser so. No credentials mode is ever allowed: the API authenticates with a
// bearer key the page sends itself, never with cookies.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace reelgen::api {

class CorsPolicy {
 public:
  // origins: comma-separated, e.g. "https://a.example, https://b.example:8443", or "*".
  explicit CorsPolicy(std::string_view origins);

  // The Access-Control-Allow-Origin value for a request from origin, or nullopt when that origin
  // may not read the answer. "*" answers any origin, on routes open without a key only.
  std::optional<std::string> allow_origin(std::string_view origin, bool open_route) const;

  // Adds the headers of an answer to a cross-origin request (none when origin is not allowed).
  void decorate(http::Response& res, std::string_view origin, bool open_route) const;
  // The answer to a preflight (OPTIONS with Access-Control-Request-Method): 204 with Allow, and
  // with the Access-Control-Allow-* headers when the origin and method are allowed.
  http::Response preflight(std::string_view origin, std::string_view method, std::string_view allow,
                           bool open_route) const;

 private:
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace reelgen::api
