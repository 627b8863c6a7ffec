#include "captions/surface.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace reelgen::captions::detail {
namespace {

bool is_word_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' ||
         u >= 0x80;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool starts_with_ci(std::string_view word, std::string_view prefix) {
  if (word.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(word[i]) != prefix[i]) return false;
  }
  return true;
}

bool equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_sentence_end(char c) { return c == '.' || c == '!' || c == '?'; }

}  // namespace

bool takes_an(std::string_view word) {
  if (word.empty()) return false;
  char first = lower(word[0]);
  if (first >= '0' && first <= '9') {
    // "an 8", "an 11", "an 18", "an 80": the numbers whose names start with a vowel.
    return first == '8' || word == "11" || word == "18" || word.starts_with("11 ") ||
           word.starts_with("18 ");
  }
  static constexpr std::array<std::string_view, 6> kSilentH = {"hour",   "honest", "honor",
                                                               "honour", "heir",   "herb"};
  for (std::string_view p : kSilentH) {
    if (starts_with_ci(word, p)) return true;
  }
  if (first != 'a' && first != 'e' && first != 'i' && first != 'o' && first != 'u') return false;
  // Vowel letters that sound like "y" or "w".
  static constexpr std::array<std::string_view, 16> kConsonantSound = {
      "uni",  "use", "usu", "uti", "ure",  "uro", "ura", "utop",
      "ubiq", "eu",  "ewe", "one", "once", "ufo", "uk",  "uganda"};
  for (std::string_view p : kConsonantSound) {
    if (starts_with_ci(word, p)) {
      // "an unimportant", "an unidentified": the negative prefix keeps its vowel.
      if (p == "uni" && (starts_with_ci(word, "unim") || starts_with_ci(word, "unin") ||
                         starts_with_ci(word, "unid"))) {
        return true;
      }
      return false;
    }
  }
  return true;
}

void polish(std::string& text, bool english) {
  if (text.empty()) return;
  // Reused per thread: polish runs on every part of every draft.
  thread_local std::string out;
  // Space pass, into a buffer sized for the worst case (a space added after each comma).
  out.resize(text.size() * 2);
  char* o = out.data();
  std::size_t n = 0;
  auto back = [&] { return n > 0 ? o[n - 1] : '\0'; };
  for (char c : text) {
    if (c == '{' || c == '}') continue;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (n > 0 && back() != ' ') o[n++] = ' ';
      continue;
    }
    if (c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':') {
      while (back() == ' ') --n;
      if (n == 0) continue;
      if (c == '.' && (is_sentence_end(back()) || back() == ',')) continue;
      if (c == ',' && (back() == ',' || is_sentence_end(back()))) continue;
    }
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter && (back() == ',' || back() == ';')) o[n++] = ' ';
    o[n++] = c;
  }
  while (back() == ' ') --n;
  out.resize(n);

  // Word pass: doubled words and articles, rebuilt into text.
  text.clear();
  std::size_t prev_start = std::string::npos, prev_len = 0;
  std::size_t i = 0;
  while (i < out.size()) {
    if (!is_word_byte(out[i])) {
      text += out[i++];
      continue;
    }
    std::size_t start = i;
    while (i < out.size() && is_word_byte(out[i])) ++i;
    std::string_view word(out.data() + start, i - start);
    bool only_space_between = prev_start != std::string::npos && !text.empty() &&
                              text.back() == ' ' && prev_start + prev_len + 1 == text.size();
    if (only_space_between && equal_ci(std::string_view(text).substr(prev_start, prev_len), word)) {
      text.pop_back();  // the space; the repeated word is dropped
      continue;
    }
    prev_start = text.size();
    prev_len = word.size();
    text.append(word);
    // Articles are fixed when the following word is known, so look ahead now.
    bool is_a = english && equal_ci(word, "a"), is_an = english && equal_ci(word, "an");
    if ((is_a || is_an) && i + 1 < out.size() && out[i] == ' ') {
      std::size_t next = i + 1, end = next;
      while (end < out.size() && is_word_byte(out[end])) ++end;
      if (end > next) {
        bool want_an = takes_an(std::string_view(out.data() + next, end - next));
        if (want_an != is_an) {
          bool upper = word[0] == 'A';
          text.resize(prev_start);
          text += upper ? (want_an ? "An" : "A") : (want_an ? "an" : "a");
          prev_len = want_an ? 2 : 1;
        }
      }
    }
  }

  bool capitalize = true;
  for (std::size_t k = 0; k < text.size(); ++k) {
    char c = text[k];
    auto u = static_cast<unsigned char>(c);
    if (capitalize && u == 0xC2 && k + 1 < text.size() &&
        (static_cast<unsigned char>(text[k + 1]) == 0xBF ||
         static_cast<unsigned char>(text[k + 1]) == 0xA1)) {
      ++k;  // "¿" and "¡" open a Spanish sentence; the letter after them takes the capital
      continue;
    }
    if (capitalize && u == 0xC3 && k + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[k + 1]);
      // Latin-1 small letters U+00E0..U+00FE (except U+00F7) sit 0x20 above their capitals.
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7)
        text[k + 1] = static_cast<char>(next - 0x20);
      capitalize = false;
      ++k;
      continue;
    }
    if (capitalize && c >= 'a' && c <= 'z') {
      text[k] = static_cast<char>(c - 32);
      capitalize = false;
    } else if (is_sentence_end(c)) {
      capitalize = true;
    } else if (c != ' ' && c != '"' && c != '\'') {
      capitalize = false;
    }
  }
}

namespace {

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

bool mentions(std::string_view lower_text, std::string_view phrase) {
  if (phrase.empty()) return true;
  // Phrases are lower case but for a few proper nouns; those are lowered into a small copy.
  std::string lowered;
  if (std::any_of(phrase.begin(), phrase.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    lowered.assign(phrase);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), lower_char);
    phrase = lowered;
  }
  for (std::size_t pos = lower_text.find(phrase); pos != std::string_view::npos;
       pos = lower_text.find(phrase, pos + 1)) {
    const std::size_t end = pos + phrase.size();
    const bool left_ok = pos == 0 || !word_byte(lower_text[pos - 1]);
    const bool right_ok = end == lower_text.size() || !word_byte(lower_text[end]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

}  // namespace reelgen::captions::detail
