#include "api/auth.hpp"

#include "core/hash.hpp"

namespace reelgen::api {

std::string_view presented_secret(const http::Request& request) {
  const std::string_view authorization = request.header("Authorization");
  if (authorization.size() > 7 && http::iequals(authorization.substr(0, 7), "Bearer ")) {
    std::string_view token = authorization.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    return token;
  }
  return request.header("X-API-Key");
}

Authenticator::Authenticator(store::KeyStore& keys, const core::Clock& clock,
                             std::chrono::milliseconds cache_ttl)
    : keys_(keys), clock_(clock), ttl_(cache_ttl) {}

core::Result<store::ApiKey> Authenticator::authenticate(std::string_view secret) {
  using core::ErrorCode;
  if (secret.empty()) {
    return core::fail(ErrorCode::unauthenticated,
                      "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
  }
  const std::string hash = core::sha256_hex(secret);
  const auto now = clock_.now();
  std::optional<store::ApiKey> key;
  bool cached = false;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = cache_.find(hash); it != cache_.end() && it->second.expires > now) {
      key = it->second.key;
      cached = true;
    }
  }
  if (!cached) {
    auto found = keys_.find_by_hash(hash);
    if (!found) return std::unexpected(found.error());
    key = std::move(*found);
    std::lock_guard lock(mutex_);
    if (cache_.size() > 100'000) cache_.clear();  // bounded: unknown keys must not grow it forever
    cache_[hash] = Cached{key, now + ttl_};
  }
  // The lookup is by hash; comparing the stored hash in constant time keeps timing flat anyway.
  if (!key || !core::constant_time_equal(key->secret_hash, hash)) {
    return core::fail(ErrorCode::unauthenticated, "the API key is not valid");
  }
  if (!key->active()) return core::fail(ErrorCode::unauthenticated, "the API key has been revoked");
  return *key;
}

}  // namespace reelgen::api
