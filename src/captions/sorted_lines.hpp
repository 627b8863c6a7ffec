#pragma once
// A read-only table over "key<TAB or SPACE>value" lines kept in place in an embedded blob.
// Lookups binary-search an index of (offset, key length) pairs narrowed by the key's first
// byte. The index is either built by one pass over the text (curated files) or, for the big
// generated tables, mapped in place from the binary index scripts/gen-lexicon.py writes next to
// them: no scan, no heap, and only the pages a lookup touches become resident.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::captions::detail {

class SortedLines {
 public:
  SortedLines() = default;
  // lines_ may point into owned_, so copies and moves rebind it.
  SortedLines(const SortedLines& other) { *this = other; }
  SortedLines(SortedLines&& other) noexcept { *this = std::move(other); }
  SortedLines& operator=(const SortedLines& other) {
    if (this == &other) return *this;
    blob_ = other.blob_;
    owned_ = other.owned_;
    lines_ = other.owned_.empty() ? other.lines_ : std::span<const Line>(owned_);
    first_byte_ = other.first_byte_;
    pairs_ = other.pairs_;
    return *this;
  }
  SortedLines& operator=(SortedLines&& other) noexcept {
    if (this == &other) return *this;
    const bool owned = !other.owned_.empty();
    blob_ = other.blob_;
    owned_ = std::move(other.owned_);
    lines_ = owned ? std::span<const Line>(owned_) : other.lines_;
    first_byte_ = other.first_byte_;
    pairs_ = other.pairs_;
    other.lines_ = {};
    return *this;
  }

  // Indexes blob, which must outlive the table. Blank lines and lines starting with '#' are
  // skipped. Unsorted text is sorted (stable, so the first of duplicate keys wins).
  static core::Result<SortedLines> index(std::string_view blob, std::string_view what);

  // Uses a prebuilt index (gen-lexicon.py's NAME.idx) over blob; both must outlive the table and
  // index must be 4-byte aligned. Fails when the index is malformed or does not fit blob.
  static core::Result<SortedLines> map(std::string_view blob, std::string_view index,
                                       std::string_view what);

  // The value of key: the rest of its line after the separator, trimmed; "" when it has none.
  std::optional<std::string_view> find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key).has_value(); }
  // True when some key starts with prefix (which must not be empty).
  bool has_prefix(std::string_view prefix) const;

  std::size_t size() const { return lines_.size(); }
  std::string_view key_at(std::size_t i) const;
  std::string_view value_at(std::size_t i) const;
  std::size_t memory_bytes() const {
    return owned_.capacity() * sizeof(Line) + sizeof(first_byte_);
  }

 private:
  struct Line {
    std::uint32_t start;
    std::uint32_t key_size;
  };
  // The first line whose key is not less than key, among those sharing key's leading bytes;
  // lines_.end() when there is none. REQUIRES: key is not empty.
  std::span<const Line>::iterator lower_bound(std::string_view key) const;
  std::string_view key_of(const Line& line) const {
    return blob_.substr(line.start, line.key_size);
  }

  std::string_view blob_;
  std::vector<Line> owned_;      // the index when built at load
  std::span<const Line> lines_;  // owned_ or the mapped index
  // lines_[first_byte_[b] .. first_byte_[b + 1]) are the keys starting with byte b.
  std::array<std::uint32_t, 257> first_byte_{};
  // Mapped big tables only: lines_[pairs_[p] .. pairs_[p + 1]) are the keys whose first two
  // bytes are p (a one-byte key counting its second byte as 0). Empty otherwise.
  std::span<const std::uint32_t> pairs_;
};

}  // namespace reelgen::captions::detail
