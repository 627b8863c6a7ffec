#pragma once
// Webhooks: when a job with a callback_url completes or fails, its result is POSTed there with an
// HMAC-SHA256 signature, retried with backoff. Deliveries live in the jobs table, so they survive
// restarts. Loopback, private and link-local addresses are refused unless allowed.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "monitor/metrics.hpp"
#include "store/store.hpp"

namespace reelgen::jobs {

struct WebhookConfig {
  std::string secret;                         // WEBHOOK_SECRET: the HMAC key
  bool allow_private = false;                 // WEBHOOK_ALLOW_PRIVATE: loopback, 10/8, …
  int max_attempts = 6;                       // then the delivery is "failed"
  std::chrono::milliseconds backoff{5'000};   // first retry delay; doubles per attempt
  std::chrono::milliseconds timeout{10'000};  // WEBHOOK_TIMEOUT_MS: connect + send + response
  // WEBHOOK_CONCURRENCY: deliveries in flight at once, so a receiver that hangs until the
  // timeout holds up only its own.
  int concurrency = 4;
  std::chrono::milliseconds poll_interval{500};
};

struct CallbackUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;  // path and query
};

// http:// or https:// URL without credentials, at most 2,048 characters.
core::Result<CallbackUrl> parse_callback_url(std::string_view url);

// A URL host by the WHATWG rules: percent-decoded, mapped by IDNA (UTS 46), IPv4 in any of its
// number forms (2130706433, 0x7f.1, 017700000001, 127.1) written as a dotted quad, IPv6 in
// canonical form without brackets, a domain in lower case without a trailing dot.
// invalid_argument (field callback_url) for anything else.
core::Result<std::string> parse_url_host(std::string_view raw);

// False for loopback, private, link-local, shared, multicast and unspecified IPv4/IPv6 literals.
bool is_public_address(const std::string& ip_literal);

// Lower-case hex HMAC-SHA256 of "<timestamp>.<body>" with secret.
std::string webhook_signature(std::string_view secret, std::int64_t timestamp,
                              std::string_view body);

using Headers = std::vector<std::pair<std::string, std::string>>;

// POSTs body and returns the response status. Refuses non-public addresses unless allow_private.
core::Result<int> post_json(const CallbackUrl& url, std::string_view body, const Headers& headers,
                            std::chrono::milliseconds timeout, bool allow_private);

struct WebhookStats {
  std::atomic<std::uint64_t> delivered{0};  // answered 2xx
  std::atomic<std::uint64_t> retried{0};    // failed, another attempt is scheduled
  std::atomic<std::uint64_t> failed{0};     // failed for good after max_attempts
  monitor::LatencyHistogram latency;        // one delivery attempt, connect to response
};

class WebhookSender {
 public:
  WebhookSender(store::JobStore& jobs, WebhookConfig config, const core::Clock& clock);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void start();
  void stop();
  void wake();
  // The JSON body sent for a finished job.
  static std::string payload(const store::Job& job);
  const WebhookStats& stats() const { return stats_; }

 private:
  void loop();
  void deliver(const store::Job& job);
  // Records a delivery attempt; a failed write is logged.
  void record(const store::Job& job, std::string_view status, int attempt, std::int64_t next_ms,
              std::string_view error);
  std::int64_t now_ms() const;

  store::JobStore& jobs_;
  WebhookConfig config_;
  const core::Clock& clock_;
  WebhookStats stats_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  std::set<std::string> in_flight_;  // job ids being delivered; guarded by mutex_
  std::unique_ptr<core::ThreadPool> deliveries_;
  std::thread thread_;
};

}  // namespace reelgen::jobs
