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
#include "http/ranges.hpp"

namespace reelgen::api {
namespace {

using core::ErrorCode;

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
    not_modified = http::none_match_matches(none_match, etag);
  } else if (auto since = http::parse_http_date(request.header("If-Modified-Since"))) {
    not_modified = info.st_mtim.tv_sec <= *since;
  }
  if (not_modified && (request.method == "GET" || request.method == "HEAD")) {
    res.status = 304;
    return res;
  }
  http::ByteRange range{0, size == 0 ? 0 : size - 1};
  const std::string_view if_range = request.header("If-Range");
  const bool range_applies = if_range.empty() || if_range == etag;
  const http::RangeKind kind = range_applies
                                   ? http::parse_range(request.header("Range"), size, range)
                                   : http::RangeKind::none;
  if (kind == http::RangeKind::unsatisfiable) {
    auto err = problem(ctx, core::Error::make(ErrorCode::range_not_satisfiable,
                                              "the range is outside the file's " +
                                                  std::to_string(size) + " bytes"));
    err.set_header("Content-Range", "bytes */" + std::to_string(size));
    return err;
  }
  const std::uintmax_t length = size == 0 ? 0 : range.last - range.first + 1;
  res.file = std::make_shared<http::FileBody>(file.release(), range.first, length);
  if (kind == http::RangeKind::satisfiable) {
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                        std::to_string(range.last) + "/" + std::to_string(size));
  }
  return res;
}

}  // namespace reelgen::api
