#pragma once
// How a request's body is delimited, checked before the body is read: a request the server could
// frame differently from a proxy in front of it is refused (request smuggling).

#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace reelgen::http {

// Transfer-Encoding, when present, must be exactly one "chunked" (the only coding decoded, and
// it must come last and once): not_implemented (501) for any other coding, malformed (400) for a
// repeated or empty one (RFC 9112 sections 6.1 and 6.3). nullopt when acceptable.
std::optional<core::Error> check_transfer_encoding(std::string_view header);

}  // namespace reelgen::http
