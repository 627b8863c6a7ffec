#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and "{name}" captures.
// HEAD is answered by GET routes; a path known under other methods gives 405 with Allow.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace reelgen::http {

using Handler = std::function<Response(Request&, Context&)>;

struct RouteMatch {
  const Handler* handler = nullptr;  // null when nothing matched
  std::string pattern;
  std::vector<std::string> params;
  std::string allow;  // for 405: the methods the path accepts, e.g. "GET, HEAD"
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // REQUIRES: no add() after the server starts (lookups are unsynchronized reads).
  RouteMatch match(std::string_view method, std::string_view path) const;
  std::vector<std::string> patterns() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool match_segments(const Route& route, std::string_view path,
                             std::vector<std::string>& params);
  std::vector<Route> routes_;
};

}  // namespace reelgen::http
