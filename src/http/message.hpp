#pragma once
// Plain request and response values: what handlers and middleware see. Only server.cpp knows
// Boost.Beast; everything else is testable without a socket.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/unique_fd.hpp"

namespace reelgen::http {

struct Header {
  std::string name;
  std::string value;
};

// The value of name=value in a query string, "" when absent (values are not percent-decoded).
std::string_view query_param(std::string_view query, std::string_view name);

// Case-insensitive ASCII comparison for header names.
bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // upper case as sent: GET, POST, HEAD, ...
  std::string target;  // origin-form: path plus optional ?query
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;
  bool keep_alive = true;

  std::string_view path() const;
  std::string_view query() const;
  // The value of the first header with this name, or "" when absent.
  std::string_view header(std::string_view name) const;
};

// A response body produced over time (Server-Sent Events). The server calls poll() on its
// blocking pool every interval() and sends what it returns until done; it may read the store but
// must return promptly.
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual std::string poll(bool& done) = 0;
  virtual std::chrono::milliseconds interval() const { return std::chrono::milliseconds(250); }
};

// A response body read from an open file as it is sent, so a large download never sits in memory.
class FileBody {
 public:
  // Takes ownership of fd; sends length bytes from offset.
  FileBody(int fd, std::uint64_t offset, std::uint64_t length)
      : fd_(fd), offset_(offset), length_(length) {}

  std::uint64_t length() const { return length_; }
  // Reads up to out.size() bytes at position (0..length) of the body; the count read, 0 at the
  // end, or -1 on an error.
  long read(std::uint64_t position, std::span<char> out) const;

 private:
  core::UniqueFd fd_;
  std::uint64_t offset_, length_;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<Header> headers;
  std::string body;
  std::shared_ptr<EventStream> stream;  // when set, body is ignored and the stream is sent
  std::shared_ptr<FileBody> file;       // when set, body is ignored and the file is sent

  // The length of what is sent: the file's or the body's.
  std::uint64_t content_length() const { return file ? file->length() : body.size(); }

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
};

// What the middleware chain learns about a request on its way in.
struct Context {
  std::string request_id;
  std::string route;  // the matched route pattern, e.g. "/api/v14/generate", or "unmatched"
  std::vector<std::string> path_params;
  std::string key_id;  // the authenticated API key's id, empty when anonymous
  bool admin = false;
  std::optional<double> key_rate_per_minute;  // the key's own rate limit, if it has one
  std::chrono::steady_clock::time_point started;
};

Response json_response(int status, std::string body);

}  // namespace reelgen::http
