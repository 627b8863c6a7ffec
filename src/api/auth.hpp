#pragma once
// Resolves the credential of a request (Authorization: Bearer, or X-API-Key) to an API key.
// Lookups are cached for a short time so the store is not hit on every request; a revocation
// takes effect within that time.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

namespace reelgen::api {

// The secret presented by the request, or "" when none.
std::string_view presented_secret(const http::Request& request);

class Authenticator {
 public:
  Authenticator(store::KeyStore& keys, const core::Clock& clock,
                std::chrono::milliseconds cache_ttl = std::chrono::milliseconds(1000));
  // unauthenticated for a missing, unknown or revoked key.
  core::Result<store::ApiKey> authenticate(std::string_view secret);
  // True when authenticate(secret) is answered from memory, without reading the store.
  bool knows(std::string_view secret);

 private:
  struct Cached {
    std::optional<store::ApiKey> key;
    std::chrono::steady_clock::time_point expires;
  };
  store::KeyStore& keys_;
  const core::Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::uint64_t id_ = 0;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by secret hash
};

}  // namespace reelgen::api
