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

// Where a handler runs. blocking: it touches the store, the disk or a child process, so the
// server runs it on its bounded blocking pool instead of an I/O thread.
enum class Dispatch { io_thread, blocking };

struct RouteMatch {
  const Handler* handler = nullptr;  // null when nothing matched
  Dispatch dispatch = Dispatch::io_thread;
  std::string pattern;
  std::vector<std::string> params;
  std::string allow;  // for 405: the methods the path accepts, e.g. "GET, HEAD"
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           Dispatch dispatch = Dispatch::blocking);
  // REQUIRES: no add() after the server starts (lookups are unsynchronized reads).
  RouteMatch match(std::string_view method, std::string_view path) const;
  std::vector<std::string> patterns() const;
  // "METHOD pattern" of every route, in the order added.
  std::vector<std::string> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Dispatch dispatch;
  };
  static bool match_segments(const Route& route, std::string_view path,
                             std::vector<std::string>& params);
  std::vector<Route> routes_;
};

}  // namespace reelgen::http
