#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <ctime>
#include <list>
#include <thread>
#include <vector>

#include "core/hash.hpp"
#include "core/log.hpp"
#include "http/framing.hpp"
#include "http/problem.hpp"

namespace reelgen::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using core::ErrorCode;

// Concrete executor types instead of any_io_executor: no type erasure on the hot path.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;
template <typename T = void>
using Task = asio::awaitable<T, Executor>;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable_t<Executor>{});

// The Date header changes once a second; format it once a second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[64];
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  }
  return buf;
}

// A connection as the shutdown code sees it: idle ones are closed at once.
struct SessionSlot {
  Stream* stream = nullptr;
  bool idle = true;
};

struct IoThread {
  asio::io_context ioc{1};
  std::unique_ptr<Acceptor> acceptor;
  std::list<SessionSlot*> sessions;  // touched only on this thread
  std::thread thread;
};

// A session's place in its thread's list and in the open-connection count, for as long as the
// session lives, however it ends (return, exception or destruction of its coroutine).
class SessionRegistration {
 public:
  SessionRegistration(IoThread& io, ServerStats& stats, SessionSlot& slot)
      : io_(io), stats_(stats), position_((io.sessions.push_front(&slot), io.sessions.begin())) {
    stats_.connections_accepted.fetch_add(1);
    stats_.connections_open.fetch_add(1);
  }
  ~SessionRegistration() {
    io_.sessions.erase(position_);
    stats_.connections_open.fetch_sub(1);
  }
  SessionRegistration(const SessionRegistration&) = delete;
  SessionRegistration& operator=(const SessionRegistration&) = delete;

 private:
  IoThread& io_;
  ServerStats& stats_;
  std::list<SessionSlot*>::iterator position_;
};

// A deadline for reading a request. Unlike the stream's own timeout, which closes the socket, it
// only cancels the pending read, so that a 408 can still be written.
class ReadDeadline {
 public:
  explicit ReadDeadline(Stream& stream) : stream_(stream), timer_(stream.get_executor()) {}
  void arm(std::chrono::milliseconds timeout) {
    expired_ = false;
    stream_.expires_never();
    timer_.expires_after(timeout);
    // On destruction the wait ends with operation_aborted and touches nothing.
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      expired_ = true;
      boost::system::error_code ignored;
      stream_.socket().cancel(ignored);
    });
  }
  void disarm() { timer_.cancel(); }
  bool expired() const { return expired_; }

 private:
  Stream& stream_;
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>, Executor>
      timer_;
  bool expired_ = false;
};

// The completion of a spawned coroutine: an exception that escaped it is logged, not dropped.
auto log_failure(std::string_view what) {
  return [what](const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      core::log_error("coroutine failed", {{"where", what}, {"error", e.what()}});
    } catch (...) {
      core::log_error("coroutine failed", {{"where", what}, {"error", "unknown exception"}});
    }
  };
}

Request to_request(bhttp::request<bhttp::string_body>&& msg, std::string remote) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.keep_alive = msg.keep_alive();
  req.remote_address = std::move(remote);
  req.headers.reserve(8);
  for (const auto& field : msg) {
    req.headers.push_back(Header{std::string(field.name_string()), std::string(field.value())});
  }
  req.body = std::move(msg.body());
  return req;
}

// The status line and headers; the body is written after it with scatter/gather I/O.
std::string serialize_head(const Response& r, unsigned version, bool keep_alive) {
  std::string out;
  out.reserve(192 + r.headers.size() * 48);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason_of(r.status);
  out += "\r\nDate: ";
  out += http_date();
  out += "\r\nContent-Type: ";
  out += r.content_type;
  for (const auto& h : r.headers) {
    out += "\r\n";
    out += h.name;
    out += ": ";
    out += h.value;
  }
  if (r.status != 204 && r.status != 304) {  // these carry no body and no length
    out += "\r\nContent-Length: ";
    out += std::to_string(r.content_length());
  }
  if (!keep_alive) {
    out += "\r\nConnection: close";
  } else if (version == 10) {
    out += "\r\nConnection: keep-alive";
  }
  out += "\r\n\r\n";
  return out;
}

}  // namespace

struct Server::Impl {
  core::ServerConfig config;
  RequestHandler handler;
  ServerStats stats;
  std::vector<std::unique_ptr<IoThread>> threads;
  // Declared after threads: destroyed (joined) first, while the io_contexts its completions
  // are posted to still exist.
  std::unique_ptr<asio::thread_pool> blocking_pool;
  std::atomic<bool> stopping{false};
  std::uint16_t port = 0;
  asio::io_context control{1};
  asio::steady_timer drain_timer{control};

  Task<> accept_loop(IoThread& io);
  // Wakes every kLagInterval and records how late it woke in stats.loop_lag_us[index].
  Task<> measure_lag(std::size_t index);
  Task<> session(IoThread& io, Socket socket, bool over_capacity);
  // Sends an event stream until it ends, the client goes away or the server stops; the body is
  // delimited by closing the connection.
  Task<> send_stream(Stream& stream, const Response& response, unsigned version);
  // Returns false when the client could not be written to.
  Task<bool> write_response(Stream& stream, const Response& response, unsigned version,
                            bool keep_alive, bool head);
  // What is known of a request the server answers itself, for its access-log line.
  struct RequestLine {
    std::string method, target, remote;
  };
  // Answers a request the application never sees (limits, timeouts, protocol errors), closes
  // the connection after it and writes the request's access-log line.
  // (line is a copy: GCC 12 destroys temporaries bound to a coroutine's reference parameters
  // too early.)
  Task<> write_problem(Stream& stream, ErrorCode code, std::string message, unsigned version,
                       RequestLine line);
  // Before closing after an error: stops sending, then reads and discards what the client is
  // still sending (up to linger_bytes, for linger_timeout), so that closing does not reset the
  // connection and destroy the response before the client reads it (as nginx's lingering close).
  Task<> linger(Stream& stream, beast::flat_buffer& buffer);
  // Runs fn on the blocking pool and resumes the calling coroutine on its own I/O thread once it
  // returned. fn passes its results through what it captures. REQUIRES: fn does not throw.
  Task<> run_blocking(std::function<void()> fn);
  // Sets response to the application's: on this thread, or on the blocking pool when the request
  // is marked blocking (503 when the pool is full).
  Task<> respond(Request& request, Response& response);
  void begin_stop();
  // Polls until every connection has finished or the deadline passes, then stops the threads.
  void drain(std::chrono::steady_clock::time_point deadline);
};

Task<> Server::Impl::accept_loop(IoThread& io) {
  for (;;) {
    auto [ec, socket] = co_await io.acceptor->async_accept(nothrow);
    if (ec == asio::error::operation_aborted || stopping.load()) co_return;
    if (ec) {
      // Out of descriptors or a transient failure: back off instead of spinning.
      core::log_warn("accept failed", {{"error", ec.message()}});
      asio::basic_waitable_timer<std::chrono::steady_clock,
                                 asio::wait_traits<std::chrono::steady_clock>, Executor>
          timer(io.ioc.get_executor(), std::chrono::milliseconds(50));
      co_await timer.async_wait(nothrow);
      continue;
    }
    const bool over =
        stats.connections_open.load() >= static_cast<std::int64_t>(config.max_connections);
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(io.ioc, session(io, std::move(socket), over), log_failure("session"));
  }
}

constexpr std::chrono::milliseconds kLagInterval{100};

Task<> Server::Impl::measure_lag(std::size_t index) {
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>, Executor>
      timer(co_await asio::this_coro::executor);
  while (!stopping.load()) {
    const auto due = std::chrono::steady_clock::now() + kLagInterval;
    timer.expires_at(due);
    auto [ec] = co_await timer.async_wait(nothrow);
    if (ec) co_return;
    const auto late = std::chrono::steady_clock::now() - due;
    stats.loop_lag_us[index].store(
        std::chrono::duration_cast<std::chrono::microseconds>(late).count());
  }
}

Task<> Server::Impl::run_blocking(std::function<void()> fn) {
  // The coroutine waits on a timer that never expires by itself; the pool thread, once fn
  // returned, cancels it from this I/O thread (timers are not thread-safe).
  const Executor io = co_await asio::this_coro::executor;
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>, Executor>
      done(io, std::chrono::steady_clock::time_point::max());
  const auto handed_over = std::chrono::steady_clock::now();
  asio::post(*blocking_pool, [this, &fn, &done, io, handed_over, work = asio::make_work_guard(io)] {
    stats.blocking_wait.record(std::chrono::steady_clock::now() - handed_over);
    stats.blocking_running.fetch_add(1);
    try {
      fn();
    } catch (...) {
      // fn promised not to throw; a pool thread must not die of it either way.
      log_failure("blocking call")(std::current_exception());
    }
    stats.blocking_running.fetch_sub(1);
    asio::post(io, [&done] { done.cancel(); });
  });
  co_await done.async_wait(nothrow);
}

Task<> Server::Impl::respond(Request& request, Response& response) {
  if (!handler.blocking || !handler.blocking(request)) {
    response = handler.handle(request);
    co_return;
  }
  const auto capacity = static_cast<std::int64_t>(config.blocking_threads) +
                        static_cast<std::int64_t>(config.blocking_queue);
  if (stats.blocking_in_flight.fetch_add(1) >= capacity) {
    stats.blocking_in_flight.fetch_sub(1);
    stats.blocking_rejected.fetch_add(1);
    const std::string request_id = core::new_request_id();
    response = problem_response(
        core::Error::make(ErrorCode::unavailable,
                          "the server is busy: every blocking thread is taken and " +
                              std::to_string(config.blocking_queue) + " requests are waiting"),
        request_id);
    response.set_header("X-Request-Id", request_id);
    response.set_header("Retry-After", "1");
    co_return;
  }
  co_await run_blocking([this, &request, &response] { response = handler.handle(request); });
  stats.blocking_in_flight.fetch_sub(1);
}

Task<> Server::Impl::write_problem(Stream& stream, ErrorCode code, std::string message,
                                   unsigned version, RequestLine line) {
  const std::string request_id = core::new_request_id();
  Response r = problem_response(core::Error::make(code, std::move(message)), request_id);
  r.set_header("X-Request-Id", request_id);
  co_await write_response(stream, r, version, false, false);
  if (config.access_log && core::log_enabled(core::LogLevel::info)) {
    const auto query = line.target.find('?');
    core::log_info("request", {{"request_id", request_id},
                               {"method", line.method},
                               {"path", line.target.substr(0, query)},
                               {"status", r.status},
                               {"bytes", r.content_length()},
                               {"remote", line.remote}});
  }
}

Task<> Server::Impl::linger(Stream& stream, beast::flat_buffer& buffer) {
  boost::system::error_code ec;
  stream.socket().shutdown(Socket::shutdown_send, ec);
  const auto deadline = std::chrono::steady_clock::now() + config.linger_timeout;
  std::size_t discarded = 0;
  buffer.consume(buffer.size());
  while (!ec && discarded < config.linger_bytes && std::chrono::steady_clock::now() < deadline) {
    stream.expires_at(deadline);
    std::size_t n = 0;
    std::tie(ec, n) = co_await stream.async_read_some(buffer.prepare(64 * 1024), nothrow);
    discarded += n;
    buffer.consume(buffer.size());
  }
}

Task<bool> Server::Impl::write_response(Stream& stream, const Response& response, unsigned version,
                                        bool keep_alive, bool head) {
  const std::string head_block = serialize_head(response, version, keep_alive);
  const bool body = !head && !response.file;
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(head_block), body ? asio::buffer(response.body) : asio::const_buffer()};
  stream.expires_after(config.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, buffers, nothrow);
  if (ec || head || !response.file) co_return !ec;
  // A file goes out a chunk at a time, each read on the blocking pool (a cold disk can stall);
  // the write timeout applies to each chunk.
  std::vector<char> chunk(256 * 1024);
  for (std::uint64_t sent = 0; sent < response.file->length();) {
    long got = 0;
    co_await run_blocking([&] { got = response.file->read(sent, chunk); });
    if (got <= 0) co_return false;  // the file shrank or failed: the length can no longer be met
    stream.expires_after(config.write_timeout);
    std::tie(ec, n) = co_await asio::async_write(
        stream, asio::buffer(chunk.data(), static_cast<std::size_t>(got)), nothrow);
    if (ec) co_return false;
    sent += static_cast<std::uint64_t>(got);
  }
  co_return true;
}

Task<> Server::Impl::send_stream(Stream& stream, const Response& response, unsigned version) {
  std::string head = serialize_head(response, version, false);
  // No Content-Length: the stream ends when the connection closes.
  const auto length = head.find("\r\nContent-Length: ");
  if (length != std::string::npos) head.erase(length, head.find("\r\n", length + 2) - length);
  stream.expires_after(config.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(head), nothrow);
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>, Executor>
      timer(stream.get_executor());
  bool done = false;
  std::string chunk;
  while (!ec && !done && !stopping.load()) {
    // A poll may read the store: it runs on the blocking pool.
    co_await run_blocking([&] {
      try {
        chunk = response.stream->poll(done);
      } catch (...) {
        chunk.clear();
        done = true;
        log_failure("event stream")(std::current_exception());
      }
    });
    if (!chunk.empty()) {
      stream.expires_after(config.write_timeout);
      std::tie(ec, n) = co_await asio::async_write(stream, asio::buffer(chunk), nothrow);
    }
    if (ec || done) break;
    timer.expires_after(response.stream->interval());
    auto [tec] = co_await timer.async_wait(nothrow);
    if (tec) break;
  }
}

Task<> Server::Impl::session(IoThread& io, Socket socket, bool over_capacity) {
  std::string remote;
  {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (!ec) remote = endpoint.address().to_string();
  }
  Stream stream(std::move(socket));
  if (over_capacity) {
    stats.connections_rejected.fetch_add(1);
    RequestLine line;
    line.remote = remote;
    co_await write_problem(stream, ErrorCode::unavailable,
                           "the server has reached its maximum number of open connections", 11,
                           std::move(line));
    boost::system::error_code ignored;
    stream.socket().shutdown(Socket::shutdown_both, ignored);
    co_return;
  }
  SessionSlot slot{&stream, true};
  const SessionRegistration registration(io, stats, slot);

  beast::flat_buffer buffer;  // unbounded: the parser enforces the header and body limits
  ReadDeadline deadline(stream);
  bool first = true;
  while (!stopping.load()) {
    // Wait for the first byte of the next request: the idle keep-alive timeout applies.
    slot.idle = true;
    if (buffer.size() == 0) {
      stream.expires_after(first ? config.header_timeout : config.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), nothrow);
      if (ec) {
        if (ec == beast::error::timeout) stats.timeouts.fetch_add(1);
        break;
      }
      buffer.commit(n);
    }
    slot.idle = false;
    first = false;

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    parser.body_limit(boost::none);  // set once the header names the route
    deadline.arm(config.header_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, nothrow);
    deadline.disarm();
    if (hec && deadline.expired()) hec = beast::error::timeout;
    // The limit of the route the header names: uploads may be larger than other bodies.
    const std::size_t body_limit =
        parser.is_header_done() && parser.get().target().starts_with(config.upload_path_prefix)
            ? config.upload_body_limit
            : config.body_limit;
    if (!hec) {
      parser.body_limit(body_limit);
      if (parser.content_length() && *parser.content_length() > body_limit) {
        hec = bhttp::error::body_limit;
      }
    }
    // A transfer coding other than one final "chunked" would leave the body to be read as the
    // next request (smuggling): refuse it and close (RFC 9112 sections 6.1 and 6.3).
    std::optional<core::Error> refused;
    if (!hec) refused = check_transfer_encoding(parser.get()[bhttp::field::transfer_encoding]);
    if (!hec && !refused && parser.get()[bhttp::field::expect] == "100-continue" &&
        !parser.is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream.expires_after(config.write_timeout);
      co_await asio::async_write(stream, asio::buffer(kContinue), nothrow);
    }
    boost::system::error_code ec = hec;
    if (!ec && !refused && !parser.is_done()) {
      deadline.arm(config.body_timeout);
      auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, nothrow);
      deadline.disarm();
      ec = bec;
      if (ec && deadline.expired()) ec = beast::error::timeout;
    }
    if (ec || refused) {
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      RequestLine line;
      if (parser.is_header_done()) {
        line.method = std::string(parser.get().method_string());
        line.target = std::string(parser.get().target());
      }
      line.remote = remote;
      if (refused) {
        stats.bad_requests.fetch_add(1);
        co_await write_problem(stream, refused->code, refused->message, version, line);
        co_await linger(stream, buffer);
      } else if (ec == bhttp::error::header_limit) {
        stats.header_too_large.fetch_add(1);
        co_await write_problem(
            stream, ErrorCode::header_too_large,
            "the request header block exceeds " + std::to_string(config.header_limit) + " bytes",
            version, line);
      } else if (ec == bhttp::error::body_limit) {
        stats.body_too_large.fetch_add(1);
        co_await write_problem(stream, ErrorCode::payload_too_large,
                               "the request body exceeds this route's limit of " +
                                   std::to_string(body_limit) + " bytes",
                               version, line);
        // A client that sends the whole body before reading would otherwise be reset and never
        // see the 413.
        co_await linger(stream, buffer);
      } else if (ec == beast::error::timeout) {
        stats.timeouts.fetch_add(1);
        // (Built before the co_await: GCC 12 miscompiles conditional temporaries inside one.)
        std::string message = "the request header did not arrive within " +
                              std::to_string(config.header_timeout.count()) + " ms";
        if (parser.is_header_done()) {
          message = "the request body did not arrive within " +
                    std::to_string(config.body_timeout.count()) + " ms";
        }
        co_await write_problem(stream, ErrorCode::request_timeout, std::move(message), version,
                               line);
      } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
                 ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        stats.bad_requests.fetch_add(1);
        co_await write_problem(stream, ErrorCode::malformed,
                               "the request is not valid HTTP/1.1: " + ec.message(), version, line);
      }
      break;
    }

    auto msg = parser.release();
    const unsigned version = msg.version();
    const bool head = msg.method() == bhttp::verb::head;
    Request request = to_request(std::move(msg), remote);
    Response response;
    co_await respond(request, response);
    const bool keep_alive = request.keep_alive && !stopping.load();
    if (response.stream && !head) {
      co_await send_stream(stream, response, version);
      break;
    }
    const bool written = co_await write_response(stream, response, version, keep_alive, head);
    if (!written || !keep_alive) break;
  }

  boost::system::error_code ignored;
  stream.socket().shutdown(Socket::shutdown_send, ignored);
}

void Server::Impl::drain(std::chrono::steady_clock::time_point deadline) {
  if (stats.connections_open.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    for (auto& io : threads) io->ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(10));
  drain_timer.async_wait([this, deadline](boost::system::error_code ec) {
    if (!ec) drain(deadline);
  });
}

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  core::log_info("shutting down", {{"open_connections", stats.connections_open.load()}});
  for (auto& io : threads) {
    asio::post(io->ioc, [io = io.get()] {
      boost::system::error_code ignored;
      if (io->acceptor) io->acceptor->close(ignored);
      for (SessionSlot* slot : io->sessions) {
        if (slot->idle) slot->stream->socket().close(ignored);
      }
    });
  }
  drain(std::chrono::steady_clock::now() + config.shutdown_grace);
}

Server::Server(core::ServerConfig config, RequestHandler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->handler = std::move(handler);
  int n = impl_->config.threads;
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) impl_->threads.push_back(std::make_unique<IoThread>());
  impl_->blocking_pool =
      std::make_unique<asio::thread_pool>(std::max(1, impl_->config.blocking_threads));
  impl_->stats.blocking_threads = std::max(1, impl_->config.blocking_threads);
  impl_->stats.io_threads = std::min(n, ServerStats::kMaxLoopThreads);
}

Server::~Server() = default;

core::Result<void> Server::listen() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(impl_->config.host, ec);
  if (ec)
    return core::fail(ErrorCode::invalid_argument,
                      "host '" + impl_->config.host + "' is not an IP address");
  std::uint16_t port = impl_->config.port;
  for (auto& io : impl_->threads) {
    auto acceptor = std::make_unique<Acceptor>(io->ioc.get_executor());
    const tcp::endpoint endpoint(address, port);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      const int one = 1;
      if (::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) !=
          0) {
        ec = boost::system::error_code(errno, boost::system::system_category());
      }
    }
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return core::fail(ErrorCode::unavailable, "cannot listen on " + impl_->config.host + ":" +
                                                    std::to_string(port) + ": " + ec.message());
    }
    port = acceptor->local_endpoint().port();  // with port 0, the others share the one picked
    io->acceptor = std::move(acceptor);
  }
  impl_->port = port;
  return {};
}

std::uint16_t Server::port() const { return impl_->port; }
int Server::threads() const { return static_cast<int>(impl_->threads.size()); }
bool Server::stopping() const { return impl_->stopping.load(); }
const ServerStats& Server::stats() const { return impl_->stats; }

void Server::run(bool handle_signals) {
  auto guard = asio::make_work_guard(impl_->control);
  asio::signal_set signals(impl_->control);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](boost::system::error_code ec, int) {
      if (!ec) impl_->begin_stop();
    });
  }
  for (std::size_t i = 0; i < impl_->threads.size(); ++i) {
    auto& io = impl_->threads[i];
    asio::co_spawn(io->ioc, impl_->accept_loop(*io), log_failure("accept loop"));
    if (i < ServerStats::kMaxLoopThreads) {
      asio::co_spawn(io->ioc, impl_->measure_lag(i), log_failure("event-loop lag"));
    }
    io->thread = std::thread([io = io.get()] { io->ioc.run(); });
  }
  std::thread control_thread([this] { impl_->control.run(); });
  for (auto& io : impl_->threads) io->thread.join();
  guard.reset();
  signals.cancel();
  impl_->control.stop();
  control_thread.join();
}

void Server::stop() {
  asio::post(impl_->control, [this] { impl_->begin_stop(); });
}

}  // namespace reelgen::http
