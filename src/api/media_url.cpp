#include "api/media_url.hpp"

#include <charconv>

#include "core/hash.hpp"
#include "http/message.hpp"

namespace reelgen::api {
namespace {

bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

core::Error refused(std::string rule, std::string detail) {
  core::Error error = core::Error::make(core::ErrorCode::forbidden, detail);
  error.fields.push_back({"signature", std::move(rule), std::move(detail)});
  return error;
}

}  // namespace

MediaSigner::MediaSigner(std::string secret, std::chrono::seconds ttl, const core::Clock& clock)
    : secret_(std::move(secret)), ttl_(ttl), clock_(clock) {}

std::string MediaSigner::mac(std::string_view method, std::string_view path,
                             std::string_view key_id, std::string_view expires) const {
  std::string message;
  message.append(method).append("\n").append(path).append("\n");
  message.append(key_id).append("\n").append(expires);
  return core::hmac_sha256_hex(secret_, message);
}

std::string MediaSigner::sign(std::string_view path, std::string_view key_id,
                              std::string_view method) const {
  const auto expires =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch() + ttl_)
          .count();
  const std::string when = std::to_string(expires);
  return std::string(path) + "?key_id=" + std::string(key_id) + "&expires=" + when +
         "&signature=" + mac(method, path, key_id, when);
}

core::Result<std::string> MediaSigner::verify(std::string_view method, std::string_view path,
                                              std::string_view query) const {
  const std::string_view key_id = http::query_param(query, "key_id");
  const std::string_view expires = http::query_param(query, "expires");
  const std::string_view signature = http::query_param(query, "signature");
  std::int64_t until = 0;
  const auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), until);
  if (!plain_id(key_id) || ec != std::errc() || end != expires.data() + expires.size()) {
    return std::unexpected(
        refused("format", "the signed URL is malformed; ask the API for a new one"));
  }
  // HEAD asks for what GET would answer, so a URL signed for GET serves it too.
  const std::string_view signed_method = method == "HEAD" ? "GET" : method;
  if (!core::constant_time_equal(signature, mac(signed_method, path, key_id, expires))) {
    return std::unexpected(
        refused("match", "the URL's signature does not match this method and path"));
  }
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count();
  if (now >= until) {
    return std::unexpected(refused("expiry", "the signed URL expired; ask the API for a new one"));
  }
  return std::string(key_id);
}

bool has_signature(std::string_view query) {
  return !http::query_param(query, "signature").empty();
}

}  // namespace reelgen::api
