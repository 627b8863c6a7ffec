#include "api/auth.hpp"

#include <array>
#include <atomic>

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
    : keys_(keys), clock_(clock), ttl_(cache_ttl) {
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id.fetch_add(1);
}

namespace {

// Most connections present the same key again and again: a per-thread memo of the last few
// verified secrets (compared in constant time) skips the SHA-256 and the shared map.
struct Recent {
  std::uint64_t owner = 0;  // Authenticator::id_, never reused (unlike an address)
  std::string secret;
  store::ApiKey key;
  std::chrono::steady_clock::time_point expires;
};
thread_local std::array<Recent, 4> recent;
thread_local std::size_t next_slot = 0;

}  // namespace

bool Authenticator::knows(std::string_view secret) {
  if (secret.empty()) return true;
  const auto now = clock_.now();
  for (const Recent& r : recent) {
    if (r.owner == id_ && r.expires > now && core::constant_time_equal(r.secret, secret)) {
      return true;
    }
  }
  const std::string hash = core::sha256_hex(secret);
  std::lock_guard lock(mutex_);
  const auto it = cache_.find(hash);
  return it != cache_.end() && it->second.expires > now;
}

core::Result<store::ApiKey> Authenticator::authenticate(std::string_view secret) {
  using core::ErrorCode;
  if (secret.empty()) {
    return core::fail(
        ErrorCode::unauthenticated,
        "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
  }
  const auto now = clock_.now();
  for (const Recent& r : recent) {
    if (r.owner == id_ && r.expires > now && core::constant_time_equal(r.secret, secret)) {
      return r.key;
    }
  }
  const std::string hash = core::sha256_hex(secret);
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
  recent[next_slot] = Recent{id_, std::string(secret), *key, now + ttl_};
  next_slot = (next_slot + 1) % recent.size();
  return *key;
}

}  // namespace reelgen::api
