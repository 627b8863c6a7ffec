#include "captions/providers/llm/client.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <future>
#include <map>
#include <thread>

namespace reelgen::captions::llm {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxReplyBytes = 8u << 20;

std::optional<std::chrono::seconds> retry_after_of(std::string_view value) {
  std::uint64_t seconds = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || ptr != value.data() + value.size() || seconds > 86400) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

}  // namespace

core::Result<Endpoint> parse_base_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) {
    return core::fail(core::ErrorCode::invalid_argument,
                      "LLM_BASE_URL must start with http:// (https is not supported yet)");
  }
  url.remove_prefix(scheme.size());
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  Endpoint e;
  if (slash != std::string_view::npos) e.base_path = std::string(url.substr(slash));
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    const auto port = authority.substr(colon + 1);
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return core::fail(core::ErrorCode::invalid_argument, "LLM_BASE_URL has a bad port");
    }
    e.port = static_cast<std::uint16_t>(value);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) {
    return core::fail(core::ErrorCode::invalid_argument, "LLM_BASE_URL has no host");
  }
  e.host = std::string(authority);
  return e;
}

struct HttpClient::Impl {
  explicit Impl(std::size_t max_idle) : max_idle(max_idle) {
    thread = std::thread([this] { ioc.run(); });
  }
  ~Impl() {
    work.reset();
    ioc.stop();
    thread.join();
  }

  struct Call {
    Endpoint endpoint;
    std::string path;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::steady_clock::time_point deadline;
  };

  static HttpOutcome failed(const beast::error_code& ec, std::string_view what) {
    const bool timeout = ec == beast::error::timeout || ec == asio::error::operation_aborted;
    return {timeout ? CallFailure::timeout : CallFailure::network,
            std::string(what) + ": " + ec.message(),
            {}};
  }

  // Runs on the client's thread only: the idle pool needs no lock.
  asio::awaitable<HttpOutcome> run(Call call) {
    const std::string key = call.endpoint.host + ":" + std::to_string(call.endpoint.port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, call.endpoint.base_path + call.path,
                                           11};
    req.set(bhttp::field::host, call.endpoint.host);
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::accept, "application/json, text/event-stream");
    for (const auto& [name, value] : call.headers) req.set(name, value);
    req.keep_alive(true);
    req.body() = std::move(call.body);
    req.prepare_payload();

    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<beast::tcp_stream> stream = take_idle(key);
      const bool reused = stream != nullptr;
      if (!stream) {
        stream = std::make_unique<beast::tcp_stream>(ioc);
        stream->expires_at(call.deadline);
        tcp::resolver resolver(ioc);
        auto [rec, endpoints] = co_await resolver.async_resolve(
            call.endpoint.host, std::to_string(call.endpoint.port), nothrow);
        if (rec) co_return failed(rec, "resolve");
        auto [cec, ep] = co_await stream->async_connect(endpoints, nothrow);
        if (cec) co_return failed(cec, "connect");
        opened.fetch_add(1, std::memory_order_relaxed);
      }
      stream->expires_at(call.deadline);
      auto [wec, wn] = co_await bhttp::async_write(*stream, req, nothrow);
      if (wec) {
        if (reused) continue;  // the server closed an idle connection: one fresh try
        co_return failed(wec, "write");
      }
      beast::flat_buffer buffer;
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(kMaxReplyBytes);
      auto [rec, rn] = co_await bhttp::async_read(*stream, buffer, parser, nothrow);
      if (rec) {
        if (reused && rn == 0 && rec != beast::error::timeout) continue;
        co_return failed(rec, "read");
      }
      auto& res = parser.get();
      HttpOutcome out;
      out.reply.status = static_cast<int>(res.result_int());
      out.reply.content_type = std::string(res[bhttp::field::content_type]);
      if (auto it = res.find(bhttp::field::retry_after); it != res.end()) {
        out.reply.retry_after = retry_after_of(it->value());
      }
      const bool keep = res.keep_alive();
      out.reply.body = std::move(res.body());
      if (keep) give_back(key, std::move(stream));
      co_return out;
    }
    co_return HttpOutcome{CallFailure::network, "the server closed the connection", {}};
  }

  std::unique_ptr<beast::tcp_stream> take_idle(const std::string& key) {
    auto it = idle.find(key);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto stream = std::move(it->second.back());
    it->second.pop_back();
    return stream;
  }

  void give_back(const std::string& key, std::unique_ptr<beast::tcp_stream> stream) {
    auto& list = idle[key];
    if (list.size() < max_idle) list.push_back(std::move(stream));
  }

  const std::size_t max_idle;
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{
      asio::make_work_guard(ioc)};
  std::map<std::string, std::vector<std::unique_ptr<beast::tcp_stream>>> idle;
  std::atomic<std::uint64_t> opened{0};
  std::thread thread;
};

HttpClient::HttpClient(std::size_t max_idle) : impl_(std::make_unique<Impl>(max_idle)) {}
HttpClient::~HttpClient() = default;

std::uint64_t HttpClient::connections_opened() const {
  return impl_->opened.load(std::memory_order_relaxed);
}

HttpOutcome HttpClient::post(const Endpoint& endpoint, const std::string& path, std::string body,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             std::chrono::milliseconds timeout) {
  Impl::Call call{endpoint, path, std::move(body), headers,
                  std::chrono::steady_clock::now() + timeout};
  auto promise = std::make_shared<std::promise<HttpOutcome>>();
  auto future = promise->get_future();
  asio::co_spawn(impl_->ioc, impl_->run(std::move(call)),
                 [promise](std::exception_ptr e, HttpOutcome out) {
                   if (e) out = {CallFailure::network, "the call failed", {}};
                   promise->set_value(std::move(out));
                 });
  // The stream's deadline ends the call; the margin only guards against a stuck resolver.
  if (future.wait_for(timeout + std::chrono::seconds(1)) != std::future_status::ready) {
    return {CallFailure::timeout, "no answer within the deadline", {}};
  }
  return future.get();
}

}  // namespace reelgen::captions::llm
