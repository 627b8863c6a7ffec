#pragma once
// Reads the curated data files in data/captions: "[section]" headers, "key = value" lines and
// plain lines; '#' starts a comment line. Views point into the embedded text.

#include <string_view>
#include <vector>

namespace reelgen::captions::detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Calls on_line(section, line) for every non-blank, non-comment line outside a header.
template <typename OnLine>
void read_sections(std::string_view text, OnLine&& on_line) {
  std::string_view section;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    on_line(section, line);
  }
}

// Splits "key = value"; returns false when the line has no '='.
inline bool split_key_value(std::string_view line, std::string_view& key, std::string_view& value) {
  std::size_t eq = line.find('=');
  if (eq == std::string_view::npos) return false;
  key = trim(line.substr(0, eq));
  value = trim(line.substr(eq + 1));
  return true;
}

// Items separated by commas and/or spaces.
inline std::vector<std::string_view> split_list(std::string_view value) {
  std::vector<std::string_view> items;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ',' || value[i] == ' ' || value[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < value.size() && value[i] != ',' && value[i] != ' ' && value[i] != '\t') ++i;
    if (i > start) items.push_back(value.substr(start, i - start));
  }
  return items;
}

}  // namespace reelgen::captions::detail
