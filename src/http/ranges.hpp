#pragma once
// Ranges and conditional requests for files (RFC 9110 sections 13 and 14), as plain functions of
// header values: no I/O, so they are unit-tested and fuzzed on their own.

#include <cstdint>
#include <optional>
#include <string_view>

namespace reelgen::http {

struct ByteRange {
  std::uintmax_t first = 0, last = 0;  // inclusive
};

enum class RangeKind { none, satisfiable, unsatisfiable };

// One range of "bytes=a-b", "bytes=a-" or "bytes=-n" over a file of size bytes; out is written
// only when satisfiable. An invalid range (last < first), one not understood or several ranges
// are none: the whole file is sent (section 14.2).
RangeKind parse_range(std::string_view header, std::uintmax_t size, ByteRange& out);

// True when If-None-Match (a list of entity tags or "*") matches etag by the weak comparison
// GET and HEAD use (W/ prefixes ignored).
bool none_match_matches(std::string_view header, std::string_view etag);

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as Unix seconds; nullopt otherwise.
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace reelgen::http
