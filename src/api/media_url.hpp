#pragma once
// Signed, expiring URLs for media that a browser fetches without an Authorization header
// (<video>, <img>, <audio>, download links, EventSource). A URL carries the key it was signed
// for, its expiry and an HMAC-SHA256 over method, path, key and expiry with the server's
// MEDIA_URL_SECRET; it opens exactly that method and path until it expires.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace reelgen::api {

class MediaSigner {
 public:
  MediaSigner(std::string secret, std::chrono::seconds ttl, const core::Clock& clock);

  // path?key_id=…&expires=…&signature=… for the method by the key key_id, valid for the TTL.
  std::string sign(std::string_view path, std::string_view key_id,
                   std::string_view method = "GET") const;

  // The key id the request's URL was signed for; forbidden (field "signature") when the
  // signature is missing, malformed, altered, for another method or path, or expired.
  [[nodiscard]] core::Result<std::string> verify(std::string_view method, std::string_view path,
                                                 std::string_view query) const;

 private:
  std::string mac(std::string_view method, std::string_view path, std::string_view key_id,
                  std::string_view expires) const;

  std::string secret_;
  std::chrono::seconds ttl_;
  const core::Clock& clock_;
};

// True when the query carries a signature (the request asks to be let in by it).
bool has_signature(std::string_view query);

}  // namespace reelgen::api
