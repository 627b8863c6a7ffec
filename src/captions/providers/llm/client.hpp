#pragma once
// An HTTP/1.1 client for model servers: one private io_context thread runs every call as a
// coroutine, with a deadline on each and a keep-alive pool of idle connections per host.
// https goes through OpenSSL with the peer's certificate and host name verified against the
// system trust store (or a given CA file). The calling thread waits for its own reply (it is a
// blocking-pool or CLI thread, never a server I/O thread).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace reelgen::captions::llm {

struct Endpoint {
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;  // "/v1" or "" (no trailing '/')
  bool tls = false;       // https
};

// "http[s]://host[:port][/path]". Returns invalid_argument otherwise.
core::Result<Endpoint> parse_base_url(std::string_view url);

struct HttpReply {
  int status = 0;
  std::string body;
  std::string content_type;
  std::optional<std::chrono::seconds> retry_after;  // from Retry-After delta-seconds
};

enum class CallFailure { none, timeout, network };

struct HttpOutcome {
  CallFailure failure = CallFailure::none;
  std::string error;  // with a failure
  HttpReply reply;    // without
};

class HttpClient {
 public:
  // max_idle: idle connections kept per host. ca_file: PEM certificates to trust for https
  // instead of the system's; empty for the system trust store.
  HttpClient(std::size_t max_idle, const std::string& ca_file);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Called on the client's thread with each piece of the reply body as it arrives.
  using BodySink = std::function<void(std::string_view piece)>;

  // POSTs body (JSON) to endpoint + path within timeout. Thread-safe; blocks the caller. The
  // whole reply body is in the outcome too; on_body (optional, must stay valid until the
  // caller's post returns or its deadline passes; hold its state in a shared_ptr) sees it as
  // it streams in.
  HttpOutcome post(const Endpoint& endpoint, const std::string& path, std::string body,
                   const std::vector<std::pair<std::string, std::string>>& headers,
                   std::chrono::milliseconds timeout, BodySink on_body = {});

  // Connections opened since start (to tell reuse from reconnects).
  std::uint64_t connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reelgen::captions::llm
