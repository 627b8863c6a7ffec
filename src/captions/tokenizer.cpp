#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
bool is_word_code_point(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  if (cp == 0xD7 || cp == 0xF7) return false;  // multiplication and division signs
  // Letters of Latin, Greek, Cyrillic and the other alphabets, CJK and Hangul; stops before the
  // punctuation, symbol and emoji blocks.
  return (cp >= 0xC0 && cp < 0x2000) || (cp >= 0x3040 && cp < 0xD800) ||
         (cp >= 0xF900 && cp < 0xFE00) || (cp >= 0x20000 && cp < 0x30000);
}

namespace {

void append_lower(std::string& out, std::string_view bytes, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
  } else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
    char32_t lower = cp + 0x20;  // Latin-1 capitals sit 0x20 below their small letters
    out.push_back(static_cast<char>(0xC0 | (lower >> 6)));
    out.push_back(static_cast<char>(0x80 | (lower & 0x3F)));
  } else {
    out.append(bytes);
  }
}

bool is_upper(char32_t cp) { return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE); }

}  // namespace

char32_t next_code_point(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra = (b0 >> 5) == 0x6 ? 1 : (b0 >> 4) == 0xE ? 2 : (b0 >> 3) == 0x1E ? 3 : -1;
  if (extra < 0 || i + extra >= text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = b0 & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += extra + 1;
  return cp;
}

bool is_emoji_start(char32_t cp) {
  return (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x2B00 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

void tokenize(std::string_view text, std::vector<Word>& out) {
  out.clear();
  std::size_t i = 0;
  bool sentence_start = true;
  bool quoted = false;
  bool after_word = false;
  while (i < text.size()) {
    std::size_t start = i;
    auto byte = static_cast<unsigned char>(text[i]);
    char32_t cp = byte < 0x80 ? (++i, byte) : next_code_point(text, i);
    if (!is_word_code_point(cp)) {
      if (cp == '.' || cp == '!' || cp == '?' || cp == '\n') sentence_start = true;
      if (cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB || cp == 0xBB) {
        quoted = !quoted;
      } else if (cp == '\'' || cp == 0x2018 || cp == 0x2019) {
        quoted = !after_word;  // opens before a word, closes after one
      }
      after_word = false;
      continue;
    }
    after_word = true;
    Word word;
    word.capitalized = is_upper(cp);
    word.sentence_start = sentence_start;
    word.quoted = quoted;
    sentence_start = false;
    append_lower(word.lower, text.substr(start, i - start), cp);
    std::size_t end = i;
    while (i < text.size()) {
      std::size_t at = i;
      auto b = static_cast<unsigned char>(text[i]);
      char32_t next = b < 0x80 ? (++i, b) : next_code_point(text, i);
      if (is_word_code_point(next)) {
        append_lower(word.lower, text.substr(at, i - at), next);
        end = i;
        continue;
      }
      // An apostrophe between letters belongs to the word ("don't", "it's").
      if (next == '\'' || next == 0x2019) {
        std::size_t after = i;
        if (after < text.size() && is_word_code_point(next_code_point(text, after))) {
          end = i;
          continue;
        }
      }
      i = at;
      break;
    }
    word.surface = text.substr(start, end - start);
    out.push_back(std::move(word));
  }
}

std::string lower_latin(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(text, i);
    append_lower(out, text.substr(start, i - start), cp);
  }
  return out;
}

}  // namespace reelgen::captions::detail
