#include "captions/providers/llm/client.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <future>
#include <map>
#include <thread>
#include <variant>

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
  Endpoint e;
  if (url.starts_with("https://")) {
    e.tls = true;
    e.port = 443;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return core::fail(core::ErrorCode::invalid_argument,
                      "LLM_BASE_URL must start with http:// or https://");
  }
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
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

// One connection to a model server: plain TCP or TLS over it.
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

struct HttpClient::Impl {
  Impl(std::size_t max_idle, const std::string& ca_file) : max_idle(max_idle) {
    tls.set_verify_mode(asio::ssl::verify_peer);
    boost::system::error_code ec;
    if (ca_file.empty()) {
      tls.set_default_verify_paths(ec);
    } else {
      tls.load_verify_file(ca_file, ec);
    }
    tls_error = ec ? "TLS trust store: " + ec.message() : "";
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
    BodySink on_body;
  };

  static HttpOutcome failed(const beast::error_code& ec, std::string_view what) {
    const bool timeout = ec == beast::error::timeout || ec == asio::error::operation_aborted;
    return {timeout ? CallFailure::timeout : CallFailure::network,
            std::string(what) + ": " + ec.message(),
            {}};
  }

  // Runs on the client's thread only: the idle pool needs no lock.
  asio::awaitable<HttpOutcome> run(Call call) {
    const std::string key = std::string(call.endpoint.tls ? "https://" : "http://") +
                            call.endpoint.host + ":" + std::to_string(call.endpoint.port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, call.endpoint.base_path + call.path,
                                           11};
    const bool default_port = call.endpoint.port == (call.endpoint.tls ? 443 : 80);
    req.set(bhttp::field::host,
            default_port ? call.endpoint.host
                         : call.endpoint.host + ":" + std::to_string(call.endpoint.port));
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::accept, "application/json, text/event-stream");
    for (const auto& [name, value] : call.headers) req.set(name, value);
    req.keep_alive(true);
    req.body() = std::move(call.body);
    req.prepare_payload();

    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<Connection> conn = take_idle(key);
      const bool reused = conn != nullptr;
      if (!conn) {
        auto opened_conn = co_await open(call);
        if (auto* failure = std::get_if<HttpOutcome>(&opened_conn)) co_return std::move(*failure);
        conn = std::move(std::get<std::unique_ptr<Connection>>(opened_conn));
      }
      conn->tcp().expires_at(call.deadline);
      ExchangeResult r;
      if (conn->tls) {
        r = co_await exchange(*conn->tls, req, call.on_body);
      } else {
        r = co_await exchange(*conn->plain, req, call.on_body);
      }
      if (r.stale && reused) continue;  // the server closed an idle connection: one fresh try
      if (r.keep_alive) give_back(key, std::move(conn));
      co_return std::move(r.outcome);
    }
    co_return HttpOutcome{CallFailure::network, "the server closed the connection", {}};
  }

  // A new connection (TLS handshake included) within the call's deadline.
  asio::awaitable<std::variant<std::unique_ptr<Connection>, HttpOutcome>> open(const Call& call) {
    auto conn = std::make_unique<Connection>();
    if (call.endpoint.tls) {
      if (!tls_error.empty()) co_return HttpOutcome{CallFailure::network, tls_error, {}};
      conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, tls);
    } else {
      conn->plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    conn->tcp().expires_at(call.deadline);
    tcp::resolver resolver(ioc);
    auto [rec, endpoints] = co_await resolver.async_resolve(
        call.endpoint.host, std::to_string(call.endpoint.port), nothrow);
    if (rec) co_return failed(rec, "resolve");
    auto [cec, ep] = co_await conn->tcp().async_connect(endpoints, nothrow);
    if (cec) co_return failed(cec, "connect");
    if (conn->tls) {
      SSL* ssl = conn->tls->native_handle();
      SSL_set_tlsext_host_name(ssl, call.endpoint.host.c_str());  // SNI
      conn->tls->set_verify_callback(asio::ssl::host_name_verification(call.endpoint.host));
      auto [hec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::client, nothrow);
      if (hec) co_return failed(hec, "TLS handshake");
    }
    opened.fetch_add(1, std::memory_order_relaxed);
    co_return conn;
  }

  struct ExchangeResult {
    HttpOutcome outcome;
    bool stale = false;  // failed before any byte of a reply: the connection was closed
    bool keep_alive = false;
  };

  template <typename Stream>
  asio::awaitable<ExchangeResult> exchange(Stream& stream, bhttp::request<bhttp::string_body>& req,
                                           const BodySink& on_body) {
    ExchangeResult r;
    auto [wec, wn] = co_await bhttp::async_write(stream, req, nothrow);
    if (wec) {
      r.stale = wec != beast::error::timeout;
      r.outcome = failed(wec, "write");
      co_return r;
    }
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxReplyBytes);
    auto [rec, rn] = co_await bhttp::async_read_header(stream, buffer, parser, nothrow);
    if (rec) {
      r.stale = rn == 0 && rec != beast::error::timeout;
      r.outcome = failed(rec, "read");
      co_return r;
    }
    // The body piece by piece, each handed to on_body as it arrives (a stream of events).
    std::size_t seen = 0;
    while (!parser.is_done()) {
      auto [bec, bn] = co_await bhttp::async_read_some(stream, buffer, parser, nothrow);
      if (bec) {
        r.outcome = failed(bec, "read");
        co_return r;
      }
      const std::string& sofar = parser.get().body();
      if (on_body && sofar.size() > seen) on_body(std::string_view(sofar).substr(seen));
      seen = sofar.size();
    }
    auto& res = parser.get();
    r.outcome.reply.status = static_cast<int>(res.result_int());
    r.outcome.reply.content_type = std::string(res[bhttp::field::content_type]);
    if (auto it = res.find(bhttp::field::retry_after); it != res.end()) {
      r.outcome.reply.retry_after = retry_after_of(it->value());
    }
    r.keep_alive = res.keep_alive();
    r.outcome.reply.body = std::move(res.body());
    co_return r;
  }

  std::unique_ptr<Connection> take_idle(const std::string& key) {
    auto it = idle.find(key);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto stream = std::move(it->second.back());
    it->second.pop_back();
    return stream;
  }

  void give_back(const std::string& key, std::unique_ptr<Connection> stream) {
    auto& list = idle[key];
    if (list.size() < max_idle) list.push_back(std::move(stream));
  }

  const std::size_t max_idle;
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{
      asio::make_work_guard(ioc)};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::string tls_error;  // the trust store could not be loaded: https calls fail with it
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  std::atomic<std::uint64_t> opened{0};
  std::thread thread;
};

HttpClient::HttpClient(std::size_t max_idle, const std::string& ca_file)
    : impl_(std::make_unique<Impl>(max_idle, ca_file)) {}
HttpClient::~HttpClient() = default;

std::uint64_t HttpClient::connections_opened() const {
  return impl_->opened.load(std::memory_order_relaxed);
}

HttpOutcome HttpClient::post(const Endpoint& endpoint, const std::string& path, std::string body,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             std::chrono::milliseconds timeout, BodySink on_body) {
  Impl::Call call{
      endpoint,          path, std::move(body), headers, std::chrono::steady_clock::now() + timeout,
      std::move(on_body)};
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
