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
  std::vector<Line>& starts = table.owned_;
  starts.reserve(blob.size() / 24 + 1);
  std::size_t pos = 0;
  while (pos < blob.size()) {
    const void* nl = std::memchr(blob.data() + pos, '\n', blob.size() - pos);
    std::size_t end = nl ? static_cast<const char*>(nl) - blob.data() : blob.size();
    if (end > pos && blob[pos] != '#' && !is_separator(blob[pos]) && blob[pos] != '\r') {
      starts.push_back({static_cast<std::uint32_t>(pos),
                        static_cast<std::uint32_t>(key_from(blob, pos).size())});
    }
    pos = end + 1;
  }
  starts.shrink_to_fit();
  auto less = [&](const Line& a, const Line& b) { return table.key_of(a) < table.key_of(b); };
  if (!std::is_sorted(starts.begin(), starts.end(), less)) {
    std::stable_sort(starts.begin(), starts.end(), less);
  }
  if (starts.empty()) {
    return core::fail(core::ErrorCode::internal, std::string(what) + ": no entries");
  }
  table.lines_ = starts;
  std::size_t line = 0;
  for (std::size_t b = 0; b < 256; ++b) {
    table.first_byte_[b] = static_cast<std::uint32_t>(line);
    while (line < starts.size() && static_cast<unsigned char>(table.key_of(starts[line])[0]) == b) {
      ++line;
    }
  }
  table.first_byte_[256] = static_cast<std::uint32_t>(line);
  return table;
}

core::Result<SortedLines> SortedLines::map(std::string_view blob, std::string_view index,
                                           std::string_view what) {
  constexpr std::string_view kMagic = "RGIX";
  constexpr std::uint32_t kVersion = 2;
  constexpr std::size_t kHeader = 4 + 4 + 4 + 4 + 257 * 4;
  constexpr std::size_t kPairs = 65537;
  auto bad = [&](const char* why) {
    return core::fail(core::ErrorCode::internal, std::string(what) + ".idx: " + why);
  };
  if (index.size() < kHeader || index.substr(0, 4) != kMagic) return bad("not an index");
  if (reinterpret_cast<std::uintptr_t>(index.data()) % alignof(Line) != 0) return bad("misaligned");
  std::uint32_t version = 0, count = 0, has_pairs = 0;
  std::memcpy(&version, index.data() + 4, 4);
  std::memcpy(&count, index.data() + 8, 4);
  std::memcpy(&has_pairs, index.data() + 12, 4);
  if (version != kVersion) return bad("unknown version");
  const std::size_t lines_at = kHeader + (has_pairs != 0 ? kPairs * 4 : 0);
  if (count == 0 || index.size() != lines_at + std::size_t{count} * sizeof(Line)) {
    return bad("size does not match its count");
  }
  SortedLines table;
  table.blob_ = blob;
  std::memcpy(table.first_byte_.data(), index.data() + 16, 257 * 4);
  if (has_pairs != 0) {
    table.pairs_ = std::span<const std::uint32_t>(
        reinterpret_cast<const std::uint32_t*>(index.data() + kHeader), kPairs);
    if (table.pairs_.back() != count) return bad("pair table does not cover every line");
  }
  table.lines_ =
      std::span<const Line>(reinterpret_cast<const Line*>(index.data() + lines_at), count);
  // Spot checks that the index belongs to this text; a full check would touch every page.
  if (table.first_byte_[256] != count) return bad("first-byte table does not cover every line");
  for (const Line& line : {table.lines_.front(), table.lines_.back()}) {
    if (std::size_t{line.start} + line.key_size > blob.size() ||
        key_from(blob, line.start).size() != line.key_size) {
      return bad("does not match its table");
    }
  }
  return table;
}

std::span<const SortedLines::Line>::iterator SortedLines::lower_bound(std::string_view key) const {
  auto b = static_cast<unsigned char>(key[0]);
  auto first = lines_.begin() + first_byte_[b];
  auto last = lines_.begin() + first_byte_[b + 1];
  if (!pairs_.empty() && key.size() > 1) {
    std::size_t pair = std::size_t{b} << 8 | static_cast<unsigned char>(key[1]);
    first = lines_.begin() + pairs_[pair];
    last = lines_.begin() + pairs_[pair + 1];
  }
  auto less = [&](const Line& line, std::string_view k) { return key_of(line) < k; };
  auto it = std::lower_bound(first, last, key, less);
  return it == last ? lines_.end() : it;
}

std::optional<std::string_view> SortedLines::find(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  auto it = lower_bound(key);
  if (it == lines_.end() || key_of(*it) != key) return std::nullopt;
  return value_from(blob_, it->start, it->key_size);
}

bool SortedLines::has_prefix(std::string_view prefix) const {
  auto it = lower_bound(prefix);
  return it != lines_.end() && key_of(*it).starts_with(prefix);
}

std::string_view SortedLines::key_at(std::size_t i) const { return key_of(lines_[i]); }
std::string_view SortedLines::value_at(std::size_t i) const {
  return value_from(blob_, lines_[i].start, lines_[i].key_size);
}

}  // namespace reelgen::captions::detail
