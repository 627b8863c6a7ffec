#pragma once
// A read-only table over "key<TAB or SPACE>value" lines kept in place in an embedded blob.
// Lookups binary-search an index of (offset, key length) pairs narrowed by the key's first
// byte, so loading costs one pass over the text and eight bytes per line instead of a string
// per entry.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::captions::detail {

class SortedLines {
 public:
  SortedLines() = default;

  // Indexes blob, which must outlive the table. Blank lines and lines starting with '#' are
  // skipped. Unsorted text is sorted (stable, so the first of duplicate keys wins).
  static core::Result<SortedLines> index(std::string_view blob, std::string_view what);

  // The value of key: the rest of its line after the separator, trimmed; "" when it has none.
  std::optional<std::string_view> find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key).has_value(); }

  std::size_t size() const { return starts_.size(); }
  std::string_view key_at(std::size_t i) const;
  std::string_view value_at(std::size_t i) const;
  std::size_t memory_bytes() const {
    return starts_.capacity() * sizeof(Line) + sizeof(first_byte_);
  }

 private:
  struct Line {
    std::uint32_t start;
    std::uint32_t key_size;
  };
  std::string_view key_of(const Line& line) const {
    return blob_.substr(line.start, line.key_size);
  }

  std::string_view blob_;
  std::vector<Line> starts_;
  // starts_[first_byte_[b] .. first_byte_[b + 1]) are the keys starting with byte b.
  std::array<std::uint32_t, 257> first_byte_{};
};

}  // namespace reelgen::captions::detail
