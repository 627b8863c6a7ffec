#include "api/file_response.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

#include "api/services.hpp"
#include "core/clock.hpp"
#include "core/unique_fd.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;

struct ByteRange {
  std::uintmax_t first = 0, last = 0;  // inclusive
};

std::optional<std::uintmax_t> parse_number(std::string_view s) {
  std::uintmax_t n = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

// One range of "bytes=a-b", "bytes=a-" or "bytes=-n", written to out only when satisfiable.
// An invalid range (last < first) or several ranges are ignored: the whole file is sent (RFC 9110
// section 14.2).
enum class RangeKind { none, satisfiable, unsatisfiable };
RangeKind parse_range(std::string_view header, std::uintmax_t size, ByteRange& out) {
  if (header.empty() || !header.starts_with("bytes=")) return RangeKind::none;
  const std::string_view spec = header.substr(6);
  if (spec.find(',') != std::string_view::npos) return RangeKind::none;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeKind::none;
  const auto first = parse_number(spec.substr(0, dash));
  const auto last = parse_number(spec.substr(dash + 1));
  if (!first && !last) return RangeKind::none;
  if (!first) {  // suffix: the last n bytes
    if (*last == 0 || size == 0) return RangeKind::unsatisfiable;
    out.first = *last >= size ? 0 : size - *last;
    out.last = size - 1;
    return RangeKind::satisfiable;
  }
  if (last && *last < *first) return RangeKind::none;  // invalid, not unsatisfiable
  if (*first >= size) return RangeKind::unsatisfiable;
  out.first = *first;
  out.last = last ? std::min(*last, size - 1) : size - 1;
  return RangeKind::satisfiable;
}

// If-None-Match holds "*" or a list of entity tags; the weak comparison of RFC 9110 section
// 8.8.3.2 (W/ prefixes ignored) is the one for GET and HEAD.
bool none_match_fails(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as Unix seconds; nullopt when it is not one.
std::optional<std::int64_t> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string copy(text);
  const char* end = ::strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(::timegm(&tm));
}

std::string hex(std::uintmax_t v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  return std::string(buf, r.ptr);
}

}  // namespace

http::Response file_response(const http::Request& request, const http::Context& ctx,
                             const std::filesystem::path& path, std::string content_type) {
  // Size, date and bytes all come from one open file, so a file replaced meanwhile is either
  // served whole or not at all.
  // Closed on every early return, until a FileBody takes it.
  core::UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat info {};
  if (file.get() < 0 || ::fstat(file.get(), &info) != 0) {
    return problem(ctx, core::Error::make(ErrorCode::not_found, "the file is no longer available"));
  }
  const auto size = static_cast<std::uintmax_t>(info.st_size);
  const auto modified = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(info.st_mtim.tv_sec) +
          std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
  const std::string etag =
      "\"" + hex(size) + "-" + hex(static_cast<std::uintmax_t>(core::unix_ms(modified))) + "\"";

  http::Response res;
  res.content_type = std::move(content_type);
  res.set_header("ETag", etag);
  res.set_header("Last-Modified", core::http_date(modified));
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Cache-Control", "private, max-age=3600");
  // Conditional GET (RFC 9110 section 13.2.2): If-None-Match decides when present, otherwise
  // If-Modified-Since, at the one-second resolution of Last-Modified.
  const std::string_view none_match = request.header("If-None-Match");
  bool not_modified = false;
  if (!none_match.empty()) {
    not_modified = none_match_fails(none_match, etag);
  } else if (auto since = parse_http_date(request.header("If-Modified-Since"))) {
    not_modified = info.st_mtim.tv_sec <= *since;
  }
  if (not_modified && (request.method == "GET" || request.method == "HEAD")) {
    res.status = 304;
    return res;
  }
  ByteRange range{0, size == 0 ? 0 : size - 1};
  const std::string_view if_range = request.header("If-Range");
  const bool range_applies = if_range.empty() || if_range == etag;
  const RangeKind kind =
      range_applies ? parse_range(request.header("Range"), size, range) : RangeKind::none;
  if (kind == RangeKind::unsatisfiable) {
    auto err = problem(ctx, core::Error::make(ErrorCode::range_not_satisfiable,
                                              "the range is outside the file's " +
                                                  std::to_string(size) + " bytes"));
    err.set_header("Content-Range", "bytes */" + std::to_string(size));
    return err;
  }
  const std::uintmax_t length = size == 0 ? 0 : range.last - range.first + 1;
  res.file = std::make_shared<http::FileBody>(file.release(), range.first, length);
  if (kind == RangeKind::satisfiable) {
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                        std::to_string(range.last) + "/" + std::to_string(size));
  }
  return res;
}

}  // namespace reelgen::api
