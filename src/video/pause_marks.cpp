#include "video/pause_marks.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "video/video.hpp"

namespace reelgen::video::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// True when text at i starts with word, ignoring case.
bool starts_with_word(std::string_view text, std::size_t i, std::string_view word) {
  if (text.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (lower(text[i + k]) != word[k]) return false;
  }
  return true;
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

core::Error bad_mark(std::string_view mark, std::string_view problem) {
  // A long unclosed mark would swallow the rest of the script into the message.
  std::string shown(mark.substr(0, 24));
  if (mark.size() > shown.size()) shown += "...";
  return core::Error::invalid("script", "pause",
                              "\"" + shown + "\" " + std::string(problem) +
                                  ": write a pause as [pause 0.5s], [pause 2s] or " +
                                  "[pause 500ms], from " + format_seconds(kMinPauseSeconds) +
                                  " to " + format_seconds(kMaxPauseSeconds) + " seconds");
}

// A decimal number of digits and at most one '.' ("0.5", "5", ".5", "5."), read as
// std::from_chars(chars_format::fixed) reads it: exactly up to 15 significant digits (the mantissa
// and the power of ten are then exact, so one division rounds correctly), to within an ulp beyond,
// and nullopt when it overflows or underflows to zero. from_chars for double is missing from
// libc++ 16 (the fuzz build), and strtod follows the locale.
std::optional<double> parse_decimal(std::string_view text) {
  std::uint64_t mantissa = 0;
  int significant = 0;
  long exponent = 0;  // value = mantissa * 10^exponent
  bool dot = false;
  bool digit = false;
  for (const char c : text) {
    if (c == '.') {
      if (dot) return std::nullopt;
      dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digit = true;
    if (significant < 19) {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
      if (mantissa != 0) ++significant;
      if (dot) --exponent;
    } else if (!dot) {
      ++exponent;
    }
  }
  if (!digit) return std::nullopt;
  if (mantissa == 0) return 0.0;
  double scale = 1;
  for (long k = exponent < 0 ? -exponent : exponent; k > 0 && scale < HUGE_VAL; --k) scale *= 10;
  const double value =
      exponent < 0 ? static_cast<double>(mantissa) / scale : static_cast<double>(mantissa) * scale;
  if (value == 0 || std::isinf(value)) return std::nullopt;
  return value;
}

// The seconds of the mark's inside after "pause" ("  0.5s ", " 500 ms"); nullopt when malformed.
std::optional<double> parse_length(std::string_view inside) {
  std::size_t i = 0;
  if (i >= inside.size() || !is_space(inside[i])) return std::nullopt;
  while (i < inside.size() && is_space(inside[i])) ++i;
  const std::size_t number_start = i;
  while (i < inside.size() &&
         (std::isdigit(static_cast<unsigned char>(inside[i])) || inside[i] == '.'))
    ++i;
  const auto number = parse_decimal(inside.substr(number_start, i - number_start));
  if (!number) return std::nullopt;
  const double value = *number;
  while (i < inside.size() && is_space(inside[i])) ++i;
  std::string unit;
  while (i < inside.size() && std::isalpha(static_cast<unsigned char>(inside[i])))
    unit += lower(inside[i++]);
  while (i < inside.size() && is_space(inside[i])) ++i;
  if (i != inside.size()) return std::nullopt;
  if (unit == "s") return value;
  if (unit == "ms") return value / 1000;
  return std::nullopt;
}

}  // namespace

core::Result<std::vector<ScriptPart>> split_pause_marks(std::string_view script) {
  std::vector<ScriptPart> parts(1);
  std::size_t i = 0;
  while (i < script.size()) {
    const std::size_t open = script.find('[', i);
    if (open == std::string_view::npos) {
      parts.back().text.append(script.substr(i));
      break;
    }
    // "[pause" followed by a space or "]" is meant as a mark; "[pauses]" is a word.
    std::size_t k = open + 1;
    while (k < script.size() && is_space(script[k])) ++k;
    const bool mark = starts_with_word(script, k, "pause") &&
                      (k + 5 == script.size() || is_space(script[k + 5]) || script[k + 5] == ']');
    if (!mark) {
      parts.back().text.append(script.substr(i, open + 1 - i));
      i = open + 1;
      continue;
    }
    parts.back().text.append(script.substr(i, open - i));
    const std::size_t close = script.find(']', k);
    if (close == std::string_view::npos)
      return std::unexpected(bad_mark(script.substr(open), "is not closed"));
    const std::string_view whole = script.substr(open, close + 1 - open);
    const auto seconds = parse_length(script.substr(k + 5, close - (k + 5)));
    if (!seconds) return std::unexpected(bad_mark(whole, "is not a pause mark"));
    // A little slack so "[pause 50ms]" and "[pause 10s]" pass despite rounding.
    if (*seconds < kMinPauseSeconds - 1e-9 || *seconds > kMaxPauseSeconds + 1e-9) {
      return std::unexpected(bad_mark(whole, "is out of range"));
    }
    parts.back().pause_after += *seconds;
    parts.emplace_back();
    i = close + 1;
  }
  return parts;
}

}  // namespace reelgen::video::detail
