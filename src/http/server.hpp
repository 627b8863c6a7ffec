#pragma once
// The HTTP/1.1 server: owns sockets, parsing, limits and timeouts, and nothing else. Requests are
// handed to one RequestHandler as plain values; transport errors (431, 413, 400, 503 when full)
// are answered here as problem+json and counted in ServerStats.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/config.hpp"
#include "core/error.hpp"
#include "http/message.hpp"

namespace reelgen::http {

using RequestHandler = std::function<Response(Request&)>;

struct ServerStats {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_rejected{0};  // over max_connections
  std::atomic<std::int64_t> connections_open{0};
  std::atomic<std::uint64_t> header_too_large{0};
  std::atomic<std::uint64_t> body_too_large{0};
  std::atomic<std::uint64_t> bad_requests{0};
  std::atomic<std::uint64_t> timeouts{0};
};

class Server {
 public:
  // handler is called concurrently from every I/O thread; it must not block for long.
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
