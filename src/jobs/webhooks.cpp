#include "jobs/webhooks.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <cstring>
#include <memory>

#include "core/hash.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/unique_fd.hpp"

namespace reelgen::jobs {
namespace {

using core::ErrorCode;
using Clock = std::chrono::steady_clock;

bool is_public(const sockaddr* addr) {
  if (addr->sa_family == AF_INET) {
    const auto ip = ntohl(reinterpret_cast<const sockaddr_in*>(addr)->sin_addr.s_addr);
    const auto in = [ip](std::uint32_t net, int bits) {
      return (ip >> (32 - bits)) == (net >> (32 - bits));
    };
    return !(in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
             in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0xE0000000, 4) ||
             in(0xF0000000, 4));
  }
  if (addr->sa_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LINKLOCAL(&a) ||
        IN6_IS_ADDR_MULTICAST(&a) || IN6_IS_ADDR_SITELOCAL(&a)) {
      return false;
    }
    if ((a.s6_addr[0] & 0xFE) == 0xFC) return false;  // unique local fc00::/7
    // An IPv4 address inside: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) or NAT64
    // (64:ff9b::a.b.c.d) is as public as the address it carries.
    static constexpr unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    static constexpr unsigned char kZero[12] = {};
    if (IN6_IS_ADDR_V4MAPPED(&a) || std::memcmp(a.s6_addr, kZero, 12) == 0 ||
        std::memcmp(a.s6_addr, kNat64, 12) == 0) {
      sockaddr_in v4{};
      v4.sin_family = AF_INET;
      std::memcpy(&v4.sin_addr, &a.s6_addr[12], 4);
      return is_public(reinterpret_cast<const sockaddr*>(&v4));
    }
    return true;
  }
  return false;
}

// Waits until fd is readable or writable, or the deadline passes.
bool wait_fd(int fd, short events, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(left.count())) == 1;
}

core::Result<int> connect_to(const CallbackUrl& url, bool allow_private,
                             Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &found); rc != 0) {
    return core::fail(ErrorCode::unavailable,
                      "cannot resolve " + url.host + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  std::string why = "no address";
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    // Checked on the address actually connected to, so DNS cannot swap in a private one later.
    if (!allow_private && !is_public(a->ai_addr)) {
      why = "refusing a loopback, private or link-local address";
      continue;
    }
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ||
        (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline))) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) return fd;
      why = std::strerror(err);
    } else {
      why = "connect timed out";
    }
    ::close(fd);
  }
  return core::fail(ErrorCode::unavailable, "cannot connect to " + url.host + ": " + why);
}

// Blocking-with-deadline I/O over a plain socket or TLS.
class Connection {
 public:
  Connection(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}
  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }

  core::Result<void> start_tls(const std::string& host) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (ctx_ == nullptr) return core::fail(ErrorCode::internal, "TLS is unavailable");
    SSL_CTX_set_default_verify_paths(ctx_);  // honours SSL_CERT_FILE / SSL_CERT_DIR
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_.get());
    SSL_set_tlsext_host_name(ssl_, host.c_str());
    SSL_set1_host(ssl_, host.c_str());
    for (;;) {
      const int rc = SSL_connect(ssl_);
      if (rc == 1) return {};
      if (!retry(rc)) {
        return core::fail(ErrorCode::unavailable,
                          "TLS handshake with " + host + " failed: " + last_tls_error());
      }
    }
  }

  core::Result<void> write_all(std::string_view data) {
    while (!data.empty()) {
      const long n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                          : ::send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
      } else if (!retry(static_cast<int>(n))) {
        return core::fail(ErrorCode::unavailable, "sending the webhook failed");
      }
    }
    return {};
  }

  // Reads until the status line is complete; the rest of the response is not needed.
  core::Result<int> read_status() {
    std::string head;
    std::array<char, 1024> buf{};
    while (head.find("\r\n") == std::string::npos && head.size() < 8192) {
      const long n = ssl_ ? SSL_read(ssl_, buf.data(), static_cast<int>(buf.size()))
                          : ::recv(fd_.get(), buf.data(), buf.size(), 0);
      if (n > 0) {
        head.append(buf.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || !retry(static_cast<int>(n))) {
        break;
      }
    }
    const auto space = head.find(' ');
    if (!head.starts_with("HTTP/1.") || space == std::string::npos || head.size() < space + 4) {
      return core::fail(ErrorCode::unavailable, "the receiver sent no HTTP response");
    }
    return std::atoi(head.c_str() + space + 1);
  }

 private:
  // After a failed call: waits for the socket when the call would block and says whether to retry.
  bool retry(int rc) {
    short events = 0;
    if (ssl_ != nullptr) {
      const int err = SSL_get_error(ssl_, rc);
      if (err == SSL_ERROR_WANT_READ) events = POLLIN;
      if (err == SSL_ERROR_WANT_WRITE) events = POLLOUT;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      events = POLLIN | POLLOUT;
    }
    return events != 0 && wait_fd(fd_.get(), events, deadline_);
  }
  static std::string last_tls_error() {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    return buf;
  }

  core::UniqueFd fd_;
  Clock::time_point deadline_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace

bool is_public_address(const std::string& ip_literal) {
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  if (::inet_pton(AF_INET, ip_literal.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    return is_public(reinterpret_cast<const sockaddr*>(&v4));
  }
  if (::inet_pton(AF_INET6, ip_literal.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return is_public(reinterpret_cast<const sockaddr*>(&v6));
  }
  return false;
}

std::string webhook_signature(std::string_view secret, std::int64_t timestamp,
                              std::string_view body) {
  return core::hmac_sha256_hex(secret, std::to_string(timestamp) + "." + std::string(body));
}

core::Result<int> post_json(const CallbackUrl& url, std::string_view body, const Headers& headers,
                            std::chrono::milliseconds timeout, bool allow_private) {
  const auto deadline = Clock::now() + timeout;
  auto fd = connect_to(url, allow_private, deadline);
  if (!fd) return std::unexpected(fd.error());
  Connection conn(*fd, deadline);
  if (url.tls) {
    if (auto r = conn.start_tls(url.host); !r) return std::unexpected(r.error());
  }
  const bool default_port = url.port == (url.tls ? "443" : "80");
  std::string request =
      "POST " + url.target + " HTTP/1.1\r\nHost: " + url.host +
      (default_port ? "" : ":" + url.port) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  request += body;
  if (auto r = conn.write_all(request); !r) return std::unexpected(r.error());
  return conn.read_status();
}

WebhookSender::WebhookSender(store::JobStore& jobs, WebhookConfig config, const core::Clock& clock)
    : jobs_(jobs), config_(std::move(config)), clock_(clock) {}

WebhookSender::~WebhookSender() { stop(); }

void WebhookSender::start() {
  deliveries_ = std::make_unique<core::ThreadPool>(std::max(1, config_.concurrency));
  thread_ = std::thread([this] { loop(); });
}

void WebhookSender::stop() {
  stopping_.store(true);
  wake();
  if (thread_.joinable()) thread_.join();
  deliveries_.reset();  // lets deliveries in flight finish (each within the timeout)
}

void WebhookSender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

std::int64_t WebhookSender::now_ms() const { return core::unix_ms(clock_.wall()); }

std::string WebhookSender::payload(const store::Job& job) {
  boost::json::object doc{
      {"event", job.status == store::JobStatus::completed ? "video.completed" : "video.failed"},
      {"video_id", job.id},
      {"callback_id", job.callback_id},
      {"status", store::to_string(job.status)},
      {"finished_at", core::iso8601_ms(job.finished_ms)}};
  if (!job.error.empty() && job.status != store::JobStatus::completed) doc["error"] = job.error;
  if (auto result = core::parse_json(job.result); result && result->is_object()) {
    doc["result"] = *result;
  }
  return core::to_json(doc);
}

void WebhookSender::loop() {
  while (!stopping_.load()) {
    auto due = jobs_.due_webhooks(now_ms(), 16);
    if (due) {
      for (auto& job : *due) {
        if (stopping_.load()) return;
        {
          // A job stays due until its attempt is recorded: one delivery of it at a time, and
          // no more than concurrency in all.
          std::lock_guard lock(mutex_);
          if (in_flight_.contains(job.id) ||
              static_cast<int>(in_flight_.size()) >= std::max(1, config_.concurrency)) {
            continue;
          }
          in_flight_.insert(job.id);
        }
        deliveries_->submit([this, job = std::move(job)] {
          deliver(job);
          {
            std::lock_guard lock(mutex_);
            in_flight_.erase(job.id);
            woken_ = true;
          }
          wake_.notify_all();
        });
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, config_.poll_interval, [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

void WebhookSender::record(const store::Job& job, std::string_view status, int attempt,
                           std::int64_t next_ms, std::string_view error) {
  // Unrecorded, a delivered webhook stays pending and is sent again (receivers deduplicate by
  // Reelgen-Delivery); a failed one is retried. Either way the operator must hear of it.
  if (auto written = jobs_.record_webhook(job.id, status, attempt, next_ms, error); !written) {
    core::log_error("webhook state could not be recorded",
                    {{"video_id", job.id}, {"status", status}, {"error", written.error().message}});
  }
}

void WebhookSender::deliver(const store::Job& job) {
  const int attempt = job.webhook_attempts + 1;
  std::string error;
  if (auto url = parse_callback_url(job.callback_url); !url) {
    error = url.error().message;
  } else {
    const std::string body = payload(job);
    const std::int64_t timestamp = now_ms() / 1000;
    const Headers headers{
        {"User-Agent", "reelgen-webhooks"},
        {"Reelgen-Event",
         job.status == store::JobStatus::completed ? "video.completed" : "video.failed"},
        {"Reelgen-Delivery", job.id + "-" + std::to_string(attempt)},
        {"Reelgen-Timestamp", std::to_string(timestamp)},
        {"Reelgen-Signature", "v1=" + webhook_signature(config_.secret, timestamp, body)}};
    const auto started = clock_.now();
    auto status = post_json(*url, body, headers, config_.timeout, config_.allow_private);
    stats_.latency.record(clock_.now() - started);
    if (status && *status >= 200 && *status < 300) {
      stats_.delivered.fetch_add(1);
      record(job, "delivered", attempt, 0, "");
      return;
    }
    error = status ? "the receiver answered " + std::to_string(*status) : status.error().message;
  }
  if (attempt >= config_.max_attempts) {
    stats_.failed.fetch_add(1);
    record(job, "failed", attempt, 0, error);
    core::log_warn("webhook failed for good", {{"video_id", job.id}, {"error", error}});
    return;
  }
  const auto delay = config_.backoff.count() * (std::int64_t{1} << std::min(attempt - 1, 10));
  stats_.retried.fetch_add(1);
  record(job, "pending", attempt, now_ms() + delay, error);
}

}  // namespace reelgen::jobs
