#include "captions/sorted_lines.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace reelgen::captions::detail {
namespace {

bool is_separator(char c) { return c == '\t' || c == ' '; }

std::string_view key_from(std::string_view blob, std::size_t start) {
  std::size_t end = start;
  while (end < blob.size() && blob[end] != '\n' && !is_separator(blob[end])) ++end;
  return blob.substr(start, end - start);
}

std::string_view value_from(std::string_view blob, std::size_t start, std::size_t key_size) {
  std::size_t pos = start + key_size;
  std::size_t end = blob.find('\n', pos);
  if (end == std::string_view::npos) end = blob.size();
  while (pos < end && is_separator(blob[pos])) ++pos;
  while (end > pos && (is_separator(blob[end - 1]) || blob[end - 1] == '\r')) --end;
  return blob.substr(pos, end - pos);
}

}  // namespace

core::Result<SortedLines> SortedLines::index(std::string_view blob, std::string_view what) {
  if (blob.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return core::fail(core::ErrorCode::internal, std::string(what) + ": data too large");
  }
  SortedLines table;
  table.blob_ = blob;
  // Generated tables are about 14 bytes a line; reserving avoids regrowth on the big one.
  table.starts_.reserve(blob.size() / 12 + 1);
  std::size_t pos = 0;
  while (pos < blob.size()) {
    const void* nl = std::memchr(blob.data() + pos, '\n', blob.size() - pos);
    std::size_t end = nl ? static_cast<const char*>(nl) - blob.data() : blob.size();
    if (end > pos && blob[pos] != '#' && !is_separator(blob[pos]) && blob[pos] != '\r') {
      table.starts_.push_back({static_cast<std::uint32_t>(pos),
                               static_cast<std::uint32_t>(key_from(blob, pos).size())});
    }
    pos = end + 1;
  }
  table.starts_.shrink_to_fit();
  auto less = [&](const Line& a, const Line& b) { return table.key_of(a) < table.key_of(b); };
  if (!std::is_sorted(table.starts_.begin(), table.starts_.end(), less)) {
    std::stable_sort(table.starts_.begin(), table.starts_.end(), less);
  }
  if (table.starts_.empty()) {
    return core::fail(core::ErrorCode::internal, std::string(what) + ": no entries");
  }
  std::size_t line = 0;
  for (std::size_t b = 0; b < 256; ++b) {
    table.first_byte_[b] = static_cast<std::uint32_t>(line);
    while (line < table.starts_.size() &&
           static_cast<unsigned char>(table.key_of(table.starts_[line])[0]) == b) {
      ++line;
    }
  }
  table.first_byte_[256] = static_cast<std::uint32_t>(line);
  return table;
}

std::optional<std::string_view> SortedLines::find(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  auto b = static_cast<unsigned char>(key[0]);
  auto first = starts_.begin() + first_byte_[b];
  auto last = starts_.begin() + first_byte_[b + 1];
  auto it = std::lower_bound(
      first, last, key, [&](const Line& line, std::string_view k) { return key_of(line) < k; });
  if (it == last || key_of(*it) != key) return std::nullopt;
  return value_from(blob_, it->start, it->key_size);
}

std::string_view SortedLines::key_at(std::size_t i) const { return key_of(starts_[i]); }
std::string_view SortedLines::value_at(std::size_t i) const {
  return value_from(blob_, starts_[i].start, starts_[i].key_size);
}

}  // namespace reelgen::captions::detail
