#include "video/text_normalizer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace reelgen::video::detail {
namespace {

constexpr std::array<std::string_view, 20> kOnes = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

struct Abbreviation {
  std::string_view written, spoken;
};
// Lower-case keys; matched with their trailing period.
constexpr std::array<Abbreviation, 16> kAbbreviations = {{
    {"dr.", "doctor"},
    {"mr.", "mister"},
    {"mrs.", "missus"},
    {"ms.", "miz"},
    {"st.", "street"},
    {"jr.", "junior"},
    {"sr.", "senior"},
    {"vs.", "versus"},
    {"etc.", "et cetera"},
    {"e.g.", "for example"},
    {"i.e.", "that is"},
    {"approx.", "approximately"},
    {"no.", "number"},
    {"min.", "minutes"},
    {"km", "kilometers"},
    {"kg", "kilograms"},
}};

std::string below_thousand(unsigned n) {
  std::string out;
  if (n >= 100) {
    out = std::string(kOnes[n / 100]) + " hundred";
    n %= 100;
    if (n == 0) return out;
    out += " ";
  }
  if (n < 20) return out + std::string(kOnes[n]);
  out += kTens[n / 10];
  if (n % 10) out += " " + std::string(kOnes[n % 10]);
  return out;
}

bool is_ascii_word_char(unsigned char c) { return std::isalnum(c) || c == '\'' || c >= 0x80; }

// Emoji and pictographs: silent. A rough but safe rule: symbols from U+2190 up, except letters
// of scripts, are decoded as "not a letter" by checking common emoji blocks.
bool is_pictograph(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0xFE0F ||
         cp == 0x200D || (cp >= 0x1F1E6 && cp <= 0x1F1FF) || cp == 0x20E3;
}

char32_t decode(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool only_pictographs(std::string_view word) {
  std::size_t i = 0;
  bool any = false;
  while (i < word.size()) {
    if (!is_pictograph(decode(word, i))) return false;
    any = true;
  }
  return any;
}

// Removes pictographs from inside a word ("great🔥" → "great").
std::string strip_pictographs(std::string_view word) {
  std::string out;
  std::size_t i = 0;
  while (i < word.size()) {
    const std::size_t start = i;
    if (!is_pictograph(decode(word, i))) out.append(word.substr(start, i - start));
  }
  return out;
}

bool is_url(std::string_view w) {
  return w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.") ||
         (w.find('@') != std::string_view::npos && w.find('.') != std::string_view::npos);
}

// "#tips", "#MorningRoutine," "#2024goals" (a tag may carry the sentence's punctuation): shown,
// never read. "#1" is a number, read as "number one".
bool is_hashtag(std::string_view w) {
  if (w.size() < 2 || w[0] != '#') return false;
  return std::any_of(w.begin() + 1, w.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalpha(u) || u >= 0x80;
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Spells out digits inside an English word: "23" → "twenty three", "3.5" → "three point five",
// "50%" → "fifty percent", "$20" → "twenty dollars", "2024" → "twenty twenty four".
std::string speak_english(std::string_view core) {
  const std::string low = lower(core);
  for (const auto& a : kAbbreviations) {
    if (low == a.written) return std::string(a.spoken);
  }
  std::string out;
  std::string suffix;
  std::size_t i = 0;
  bool dollars = false;
  if (!core.empty() && core[0] == '$') {
    dollars = true;
    ++i;
  }
  while (i < core.size()) {
    const char c = core[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < core.size() &&
             (std::isdigit(static_cast<unsigned char>(core[j])) || core[j] == ','))
        ++j;
      std::string digits;
      for (std::size_t k = i; k < j; ++k) {
        if (core[k] != ',') digits += core[k];
      }
      std::string words;
      if (digits.size() > 15) {
        for (char d : digits) words += (words.empty() ? "" : " ") + std::string(kOnes[d - '0']);
      } else {
        const unsigned long long n = std::stoull(digits);
        // Years read as pairs ("nineteen ninety nine"), the way people say them.
        if (digits.size() == 4 && n >= 1100 && n < 2100 && n % 1000 >= 10 && (n / 100) % 10 != 0 &&
            core.find(',') == std::string_view::npos) {
          words = below_thousand(static_cast<unsigned>(n / 100)) + " " +
                  (n % 100 < 10 ? "oh " : "") + below_thousand(static_cast<unsigned>(n % 100));
        } else {
          words = number_to_words(n);
        }
      }
      if (j + 1 < core.size() && core[j] == '.' &&
          std::isdigit(static_cast<unsigned char>(core[j + 1]))) {
        words += " point";
        ++j;
        while (j < core.size() && std::isdigit(static_cast<unsigned char>(core[j]))) {
          words += " " + std::string(kOnes[core[j] - '0']);
          ++j;
        }
      }
      out += (out.empty() ? "" : " ") + words;
      i = j;
      continue;
    }
    if (c == '%') {
      out += " percent";
    } else if (c == '&') {
      out += " and ";
    } else if (c == '+') {
      out += " plus ";
    } else if (c == '-' || c == '/' || c == '_') {
      out += ' ';
    } else if (c == '#' && i == 0) {
      out += "number ";
    } else if (is_ascii_word_char(static_cast<unsigned char>(c)) || c == '.') {
      out += c;
    }
    ++i;
  }
  if (dollars) out += " dollars";
  // Collapse spaces.
  std::string clean;
  for (char c : out) {
    if (c == ' ' && (clean.empty() || clean.back() == ' ')) continue;
    clean += c;
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  return clean + suffix;
}

}  // namespace

std::string number_to_words(unsigned long long n) {
  if (n == 0) return "zero";
  constexpr std::array<std::string_view, 5> scales = {"", " thousand", " million", " billion",
                                                      " trillion"};
  std::string out;
  int scale = 0;
  while (n > 0 && scale < 5) {
    const unsigned chunk = static_cast<unsigned>(n % 1000);
    if (chunk != 0) {
      std::string part = below_thousand(chunk) + std::string(scales[scale]);
      out = out.empty() ? part : part + " " + out;
    }
    n /= 1000;
    ++scale;
  }
  return out;
}

std::vector<Token> normalize_text(std::string_view script, std::string_view language) {
  std::vector<Token> tokens;
  const bool english = language == "en";
  std::size_t i = 0;
  while (i < script.size()) {
    while (i < script.size() && std::isspace(static_cast<unsigned char>(script[i]))) ++i;
    std::size_t j = i;
    while (j < script.size() && !std::isspace(static_cast<unsigned char>(script[j]))) ++j;
    if (j == i) break;
    const std::string_view word = script.substr(i, j - i);
    i = j;

    Token token;
    token.display = std::string(word);
    if (only_pictographs(word) || is_url(word) || is_hashtag(word)) {
      tokens.push_back(std::move(token));  // shown, not read
      continue;
    }
    // Split off leading/trailing punctuation so the engine still sees the sentence structure.
    std::size_t a = 0, b = word.size();
    while (a < b && std::ispunct(static_cast<unsigned char>(word[a])) && word[a] != '$' &&
           word[a] != '#')
      ++a;
    while (b > a && (std::ispunct(static_cast<unsigned char>(word[b - 1])) && word[b - 1] != '%'))
      --b;
    std::string core_text = strip_pictographs(word.substr(a, b - a));
    std::string trail = std::string(word.substr(b));
    // Abbreviations keep their period as part of the word.
    if (english && !trail.empty() && trail[0] == '.') {
      const std::string with_dot = lower(core_text) + ".";
      for (const auto& ab : kAbbreviations) {
        if (with_dot == ab.written) {
          core_text += ".";
          trail.erase(0, 1);
          break;
        }
      }
    }
    token.sentence_end = trail.find_first_of(".!?") != std::string::npos;
    std::string spoken = english ? speak_english(core_text) : core_text;
    if (!spoken.empty() && spoken.back() == '.') spoken.pop_back();
    if (spoken.empty()) {
      // Pure punctuation ("—", "..."): attach its pause to the previous token.
      if (!tokens.empty() && token.sentence_end) tokens.back().sentence_end = true;
      if (!tokens.empty()) {
        tokens.back().display += " " + token.display;
        continue;
      }
      tokens.push_back(std::move(token));
      continue;
    }
    // Keep sentence and clause punctuation so both engines pause and intone naturally.
    std::string punct;
    for (char c : trail) {
      if (c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':') {
        punct = std::string(1, c);
        break;
      }
    }
    token.spoken = spoken + punct;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::string spoken_text(const std::vector<Token>& tokens, std::vector<std::size_t>& word_token) {
  std::string text;
  word_token.clear();
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    std::size_t i = 0;
    const std::string& s = tokens[t].spoken;
    while (i < s.size()) {
      while (i < s.size() && s[i] == ' ') ++i;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ') ++j;
      if (j > i) {
        if (!text.empty()) text += ' ';
        text.append(s, i, j - i);
        word_token.push_back(t);
      }
      i = j;
    }
  }
  return text;
}

}  // namespace reelgen::video::detail
