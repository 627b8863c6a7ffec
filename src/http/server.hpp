#pragma once
// The HTTP/1.1 server: owns sockets, parsing, limits and timeouts, and nothing else. Requests are
// handed to one RequestHandler as plain values; transport errors (431, 413, 400, 503 when full)
// are answered here as problem+json and counted in ServerStats.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/config.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "monitor/metrics.hpp"

namespace reelgen::http {

// How the server calls the application. handle is called concurrently; a request for which
// blocking answers true (it will touch the store, the disk or a child process) is handled on the
// bounded blocking pool (ServerConfig::blocking_threads) while its I/O thread serves others, and
// answered 503 with Retry-After when that pool and its queue are full.
struct RequestHandler {
  std::function<Response(Request&)> handle;
  std::function<bool(const Request&)> blocking;  // unset: nothing blocks
};

struct ServerStats {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_rejected{0};  // over max_connections
  std::atomic<std::int64_t> connections_open{0};
  std::atomic<std::uint64_t> header_too_large{0};
  std::atomic<std::uint64_t> body_too_large{0};
  std::atomic<std::uint64_t> bad_requests{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::int64_t> blocking_in_flight{0};  // running or waiting on the pool
  std::atomic<std::uint64_t> blocking_rejected{0};  // 503: the pool and its queue were full
  std::atomic<std::int64_t> blocking_running{0};    // on a pool thread now; the rest wait
  int blocking_threads = 0;
  monitor::LatencyHistogram blocking_wait;  // from handing a request over to its start
  // Event-loop lag: how late each I/O thread's periodic timer fired last (its lateness is the
  // time the thread was busy with something else).
  static constexpr int kMaxLoopThreads = 64;
  std::array<std::atomic<std::int64_t>, kMaxLoopThreads> loop_lag_us{};
  int io_threads = 0;
};

class Server {
 public:
  Server(core::ServerConfig config, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds one SO_REUSEPORT acceptor per I/O thread. After it, port() is the bound port.
  core::Result<void> listen();
  std::uint16_t port() const;
  int threads() const;

  // Serves until stop() or, when handle_signals, SIGINT/SIGTERM; then stops accepting, lets
  // in-flight requests finish within shutdown_grace, closes idle connections and returns.
  void run(bool handle_signals);
  // Starts the graceful shutdown. Thread-safe, idempotent.
  void stop();
  bool stopping() const;

  const ServerStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reelgen::http
