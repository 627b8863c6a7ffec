#include "api/cors.hpp"

#include <algorithm>

namespace reelgen::api {
namespace {

constexpr const char* kAllowHeaders =
    "Authorization, Content-Type, X-API-Key, X-Request-Id, Idempotency-Key, Range, If-None-Match, "
    "If-Modified-Since, If-Range";
constexpr const char* kExposeHeaders =
    "X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Location, "
    "Content-Range, Accept-Ranges, ETag, Last-Modified";
constexpr const char* kMaxAge = "600";  // seconds a browser may reuse a preflight's answer

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '/')) s.remove_suffix(1);
  return s;
}

// "GET, HEAD, POST" contains "POST".
bool listed(std::string_view list, std::string_view method) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    if (trim(list.substr(start, end - start)) == method) return true;
    start = end + 1;
  }
  return false;
}

// Adds Origin to Vary, keeping what is there (Accept-Encoding, say).
void vary_on_origin(http::Response& res) {
  const std::string_view vary = res.header("Vary");
  if (vary.empty()) {
    res.set_header("Vary", "Origin");
  } else if (!listed(vary, "Origin")) {
    res.set_header("Vary", std::string(vary) + ", Origin");
  }
}

}  // namespace

CorsPolicy::CorsPolicy(std::string_view origins) {
  std::size_t start = 0;
  while (start < origins.size()) {
    std::size_t end = origins.find(',', start);
    if (end == std::string_view::npos) end = origins.size();
    const std::string_view origin = trim(origins.substr(start, end - start));
    if (origin == "*") {
      any_ = true;
    } else if (!origin.empty()) {
      origins_.emplace_back(origin);
    }
    start = end + 1;
  }
}

std::optional<std::string> CorsPolicy::allow_origin(std::string_view origin,
                                                    bool open_route) const {
  if (origin.empty()) return std::nullopt;
  if (std::find(origins_.begin(), origins_.end(), origin) != origins_.end()) {
    return std::string(origin);
  }
  if (any_ && open_route) return std::string("*");
  return std::nullopt;
}

void CorsPolicy::decorate(http::Response& res, std::string_view origin, bool open_route) const {
  if (any_ || !origins_.empty()) vary_on_origin(res);
  const auto allowed = allow_origin(origin, open_route);
  if (!allowed) return;
  res.set_header("Access-Control-Allow-Origin", *allowed);
  res.set_header("Access-Control-Expose-Headers", kExposeHeaders);
}

http::Response CorsPolicy::preflight(std::string_view origin, std::string_view method,
                                     std::string_view allow, bool open_route) const {
  http::Response res;
  res.status = 204;
  res.set_header("Allow", std::string(allow) + ", OPTIONS");
  if (any_ || !origins_.empty()) vary_on_origin(res);
  const auto allowed = allow_origin(origin, open_route);
  if (!allowed || !listed(allow, method)) return res;
  res.set_header("Access-Control-Allow-Origin", *allowed);
  res.set_header("Access-Control-Allow-Methods", std::string(allow));
  res.set_header("Access-Control-Allow-Headers", kAllowHeaders);
  res.set_header("Access-Control-Max-Age", kMaxAge);
  return res;
}

}  // namespace reelgen::api
