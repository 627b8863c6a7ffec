#include "http/ranges.hpp"

#include <charconv>
#include <ctime>
#include <string>

namespace reelgen::http {
namespace {

std::optional<std::uintmax_t> parse_number(std::string_view s) {
  std::uintmax_t n = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

}  // namespace

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

bool none_match_matches(std::string_view header, std::string_view etag) {
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

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string copy(text);
  const char* end = ::strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(::timegm(&tm));
}

}  // namespace reelgen::http
