#pragma once
// The application: wires config, store, cache, caption service and routes, and runs every request
// through the middleware chain: request id → metrics and access log → route → auth → readiness →
// rate limit → handler.

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/store.hpp"

namespace reelgen::api {

struct Services;

class App {
 public:
  explicit App(core::Config config, const core::Clock& clock = core::SystemClock::instance());
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Opens the store (fast); the server answers 503 on /health/ready until it and the engine load.
  core::Result<void> open_store();
  // Loads the caption engine and warms the cache; may run on a background thread while serving.
  core::Result<void> load_engine();
  bool ready() const;
  // A worker process: no caption engine to wait for, and of the routes only /health* and
  // /metrics answer (others 404).
  void operations_only();
  // Starts the in-process video workers and the analyzer's sampling (after open_store).
  void start_workers();

  store::Store& store();
  // The server whose counters /metrics and the analyzer read; detach() before that server is
  // destroyed: it stops the analyzer's sampler, which reads them from its own thread.
  void attach(const http::ServerStats& stats);
  void detach();

  // The whole middleware chain. Thread-safe.
  http::Response handle(http::Request& request);
  // True when the request's route is marked blocking: the server must not run it on an I/O
  // thread.
  bool blocking(const http::Request& request) const;
  // "METHOD pattern" of every route (the OpenAPI document must list the same).
  std::vector<std::string> routes() const { return router_.routes(); }
  // docs/openapi.json as compiled in.
  static std::string_view openapi_document();

 private:
  http::Response dispatch(http::Request& request, http::Context& ctx);
  std::unique_ptr<Services> services_;
  http::Router router_;
  bool operations_only_ = false;
};

}  // namespace reelgen::api
