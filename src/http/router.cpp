#include "http/router.hpp"

#include <algorithm>

namespace reelgen::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, Dispatch dispatch) {
  auto segments = split_path(pattern);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments),
                          std::move(handler), dispatch});
}

bool Router::match_segments(const Route& route, std::string_view path,
                            std::vector<std::string>& params) {
  params.clear();
  std::size_t pos = 1;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    if (pos > path.size()) return false;
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(pos, end - pos);
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (part.empty()) return false;
      params.emplace_back(part);
    } else if (part != want) {
      return false;
    }
    pos = end + 1;
  }
  return pos == path.size() + 1;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  std::vector<std::string> allowed;
  std::vector<std::string> params;
  for (const auto& route : routes_) {
    if (!match_segments(route, path, params)) continue;
    if (route.method == effective) {
      result.handler = &route.handler;
      result.dispatch = route.dispatch;
      result.pattern = route.pattern;
      result.params = std::move(params);
      return result;
    }
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.emplace_back("HEAD");
    result.pattern = route.pattern;
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  for (const auto& m : allowed) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += m;
  }
  return result;
}

std::vector<std::string> Router::patterns() const {
  std::vector<std::string> out;
  for (const auto& route : routes_) {
    if (std::find(out.begin(), out.end(), route.pattern) == out.end()) out.push_back(route.pattern);
  }
  return out;
}

std::vector<std::string> Router::routes() const {
  std::vector<std::string> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) out.push_back(route.method + " " + route.pattern);
  return out;
}

}  // namespace reelgen::http
