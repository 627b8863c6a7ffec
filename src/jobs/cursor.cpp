#include "jobs/cursor.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace reelgen::jobs {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::optional<std::string> unhex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (ec != std::errc() || ptr != text.data() + i + 2) return std::nullopt;
    out += static_cast<char>(value);
  }
  return out;
}

}  // namespace

std::string cursor_after(const store::Job& job) {
  return hex(std::to_string(job.created_ms) + "." + job.id);
}

std::optional<store::JobCursor> parse_cursor(std::string_view text) {
  const auto bytes = unhex(text);
  if (!bytes) return std::nullopt;
  const auto dot = bytes->find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::int64_t created = -1;
  const auto [ptr, ec] = std::from_chars(bytes->data(), bytes->data() + dot, created);
  if (ec != std::errc() || ptr != bytes->data() + dot || created < 0) return std::nullopt;
  const std::string_view id = std::string_view(*bytes).substr(dot + 1);
  // A job id: "vid_" and base62.
  if (!id.starts_with("vid_") || id.size() <= 4 || id.size() > 64 ||
      !std::all_of(id.begin() + 4, id.end(),
                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })) {
    return std::nullopt;
  }
  return store::JobCursor{created, std::string(id)};
}

}  // namespace reelgen::jobs
