#include "captions/post_analysis.hpp"

#include <algorithm>
#include <array>

#include "captions/language.hpp"
#include "captions/lexicon.hpp"
#include "captions/section_reader.hpp"
#include "captions/tokenizer.hpp"

namespace reelgen::captions::detail {
namespace {

// One piece of the description: a word or number (with inner joiners such as "675,000",
// "2:04", "E-Type", "dog's"), a symbol ("$", "%", "–", ","), or a sentence end (". ! ? …").
struct Token {
  enum class Kind : std::uint8_t { word, symbol, end };
  std::size_t begin = 0, end = 0;  // bytes of the description
  std::string lower;
  Kind kind = Kind::word;
  bool capitalized = false;
  bool all_caps = false;   // two or more letters, all capitals ("DATEV", "NYC")
  bool has_digit = false;  // "1968", "3-bed", "WH-1000XM5"
  bool has_letter = false;
  bool sentence_start = false;
  bool space_before = false;
  bool used = false;  // part of a fact already
};

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}
bool is_digit(char32_t cp) { return cp >= '0' && cp <= '9'; }
bool is_upper(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7);
}
bool is_lower_letter(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7);
}

// Characters that join two word characters into one token.
bool joins(char32_t joiner, char32_t before, char32_t after) {
  switch (joiner) {
    case '\'':
    case 0x2019:
      return !is_digit(before) && !is_digit(after);
    case '-':
    case '.':
    case 0x2011:  // non-breaking hyphen
      return true;
    case ',':
    case ':':
    case '/':
      return is_digit(before) && is_digit(after);
    default:
      return false;
  }
}

std::vector<Token> scan(std::string_view text) {
  std::vector<Token> out;
  bool sentence_start = true, space = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(text, i);
    if (is_space(cp)) {
      space = true;
      continue;
    }
    Token t;
    t.begin = start;
    t.space_before = space;
    space = false;
    if (is_word_code_point(cp)) {
      std::size_t letters = 0, capitals = 0;
      char32_t last = cp;
      std::size_t end = i;
      auto take = [&](char32_t c) {
        if (is_digit(c)) t.has_digit = true;
        if (is_upper(c)) ++capitals;
        if (is_upper(c) || is_lower_letter(c) || c >= 0x100) {
          ++letters;
          t.has_letter = true;
        }
      };
      take(cp);
      t.capitalized = is_upper(cp);
      while (end < text.size()) {
        std::size_t k = end;
        const char32_t next = next_code_point(text, k);
        if (is_word_code_point(next)) {
          take(next);
          last = next;
          end = k;
          continue;
        }
        std::size_t after_pos = k;
        if (after_pos >= text.size()) break;
        const char32_t after = next_code_point(text, after_pos);
        if (!is_word_code_point(after) || !joins(next, last, after)) break;
        take(after);
        last = after;
        end = after_pos;
      }
      i = end;
      t.end = end;
      t.all_caps = letters >= 2 && capitals == letters;
      t.sentence_start = sentence_start;
      sentence_start = false;
      // A typographic apostrophe reads as a plain one: "dog’s" is "dog's".
      for (const char c : lower_latin(text.substr(start, end - start))) {
        if (t.lower.ends_with("\xE2\x80") && c == '\x99') {
          t.lower.resize(t.lower.size() - 2);
          t.lower += '\'';
        } else {
          t.lower += c;
        }
      }
      out.push_back(std::move(t));
      continue;
    }
    t.end = i;
    t.lower.assign(text.substr(start, i - start));
    if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
      t.kind = Token::Kind::end;
      // "a.m." and "p.m." keep their final dot: it ends no sentence.
      if (cp == '.' && !out.empty() && (out.back().lower == "a.m" || out.back().lower == "p.m") &&
          out.back().end == start) {
        out.back().lower += '.';
        out.back().end = i;
        continue;
      }
      sentence_start = true;
    } else {
      t.kind = Token::Kind::symbol;
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool is_number(const Token& t) {
  return t.kind == Token::Kind::word && t.has_digit &&
         std::all_of(t.lower.begin(), t.lower.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == ',' || c == '.' || c == ':' || c == '-' ||
                  c == '/';
         });
}

bool is_word(const Token& t) { return t.kind == Token::Kind::word; }

// "10pm" -> "pm", "20g" -> "g", "19h30" -> "h30": the letters after a leading number.
std::string_view digit_suffix(const Token& t) {
  std::string_view s = t.lower;
  std::size_t k = 0;
  while (k < s.size() &&
         ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == ',' || s[k] == ':'))
    ++k;
  return k == 0 ? std::string_view{} : s.substr(k);
}

class FactFinder {
 public:
  FactFinder(std::string_view text, std::vector<Token>& tokens, const PostLanguage& lang,
             const LanguagePack& pack, const Lexicon* lexicon)
      : text_(text),
        t_(tokens),
        lang_(lang),
        pack_(pack),
        lexicon_(lexicon),
        english_(pack.english()) {}

  std::vector<Fact> run() {
    mark_prices_and_discounts();
    mark_times();
    mark_dates();
    mark_quantities();
    mark_names();
    mark_lists();
    std::sort(found_.begin(), found_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    // A fact said twice ("Taco Tuesday ... every Tuesday") is one fact.
    std::vector<Fact> facts;
    for (auto& [begin, fact] : found_) {
      const bool seen = std::any_of(facts.begin(), facts.end(),
                                    [&](const Fact& f) { return f.text == fact.text; });
      if (!seen) facts.push_back(std::move(fact));
    }
    return facts;
  }

 private:
  std::size_t size() const { return t_.size(); }
  bool free(std::size_t i) const { return i < size() && !t_[i].used; }
  bool word_in(std::size_t i, std::string_view list) const {
    return i < size() && is_word(t_[i]) && lang_.is(list, t_[i].lower);
  }
  bool symbol_in(std::size_t i, std::string_view list) const {
    return i < size() && t_[i].kind == Token::Kind::symbol && lang_.is(list, t_[i].lower);
  }

  void add(std::size_t first, std::size_t last, FactKind kind) {
    for (std::size_t k = first; k <= last; ++k) t_[k].used = true;
    std::size_t end = t_[last].end;
    std::string_view span = text_.substr(t_[first].begin, end - t_[first].begin);
    // A name's possessive is not part of it: "Portland's" keeps "Portland".
    if (kind == FactKind::name || kind == FactKind::place) {
      if (span.ends_with("'s") || span.ends_with("\xE2\x80\x99s")) {
        span.remove_suffix(span.ends_with("'s") ? 2 : 4);
      }
    }
    found_.emplace_back(t_[first].begin, Fact{std::string(span), kind});
  }

  // A discount word within three words of i, in its sentence ("30% off", "un 20 % de
  // descuento", "sale: 40%").
  bool near_discount_word(std::size_t i) const {
    constexpr std::size_t kReach = 4;
    for (std::size_t k = i > kReach ? i - kReach : 0; k < size() && k <= i + kReach; ++k) {
      if (k > i && t_[k].kind == Token::Kind::end) break;
      if (k < i && t_[k].kind == Token::Kind::end) continue;
      if (word_in(k, "discount_words")) return true;
    }
    return false;
  }

  // "$24", "$ 675,000", "15 €", "24 euros", "R$ 30"; "20%", "20 % off", "$10 off".
  void mark_prices_and_discounts() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (!free(i)) continue;
      if (is_number(t_[i]) && i + 1 < size() && t_[i + 1].lower == "%") {
        std::size_t last = i + 1;
        if (i + 2 < size() && t_[i + 2].lower == "off") last = i + 2;
        add(i, last, near_discount_word(i) ? FactKind::discount : FactKind::quantity);
        continue;
      }
      const bool symbol = symbol_in(i, "currencies");
      if (symbol && free(i + 1) && is_number(t_[i + 1])) {
        std::size_t first = i;
        if (i > 0 && free(i - 1) && t_[i - 1].lower == "r" && !t_[i].space_before) first = i - 1;
        std::size_t last = i + 1;
        const bool off = i + 2 < size() && t_[i + 2].lower == "off";
        if (off) ++last;
        add(first, last, off ? FactKind::discount : FactKind::price);
        continue;
      }
      if (is_number(t_[i]) && (symbol_in(i + 1, "currencies") || word_in(i + 1, "currencies"))) {
        add(i, i + 1, FactKind::price);
      }
    }
  }

  // A clock time: "11:00", "7 pm", "10pm", "19h", "19h30", "noon". Returns its last token.
  std::size_t time_at(std::size_t i, bool bare_number_ok) const {
    if (!free(i) || !is_word(t_[i])) return npos;
    const Token& t = t_[i];
    if (lang_.is("clock_words", t.lower)) return i;
    if (!t.has_digit) return npos;
    const std::string_view suffix = digit_suffix(t);
    if (lang_.is("meridiem", suffix)) return i;
    if (!suffix.empty() && suffix[0] == 'h' &&
        std::all_of(suffix.begin() + 1, suffix.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return i;
    if (!is_number(t)) return npos;
    if (word_in(i + 1, "meridiem")) return i + 1;
    const bool clock = t.lower.find(':') != std::string::npos;
    if (clock) return i;
    // "1-4" before "pm": a range written as one token.
    if (bare_number_ok && t.lower.size() <= 5) return i;
    return npos;
  }

  bool is_range_word(std::size_t i) const {
    return i < size() && (word_in(i, "range") || symbol_in(i, "range"));
  }

  void mark_times() {
    for (std::size_t i = 0; i < size(); ++i) {
      std::size_t last = time_at(i, false);
      std::size_t first = i;
      if (last == npos) {
        // "5 to 9 pm", "5–10pm", "1-4 pm": a bare number opens a range that ends in a time.
        if (!free(i) || !is_number(t_[i]) || t_[i].lower.size() > 5) continue;
        if (t_[i].lower.find('-') != std::string::npos && word_in(i + 1, "meridiem")) {
          add(i, i + 1, FactKind::time);
          continue;
        }
        if (!is_range_word(i + 1)) continue;
        const std::size_t end = time_at(i + 2, false);
        if (end == npos || t_[i + 2].lower == "noon" || t_[i + 2].lower == "midnight") {
          if (end == npos) continue;
        }
        add(first, end, FactKind::time);
        i = end;
        continue;
      }
      if (lang_.is("clock_words", t_[i].lower) && !is_range_word(i + 1)) continue;
      if (is_range_word(last + 1)) {
        const std::size_t end = time_at(last + 2, true);
        if (end != npos) last = end;
      }
      add(first, last, FactKind::time);
      i = last;
    }
  }

  bool day_number(std::size_t i) const {
    if (!free(i) || !is_word(t_[i]) || !t_[i].has_digit) return false;
    std::string_view s = t_[i].lower;
    std::size_t k = 0;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
    if (k == 0 || k > 2) return false;
    const std::string_view rest = s.substr(k);
    return rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th" ||
           rest == "er" || rest == "º" || rest == "°";
  }

  void mark_dates() {
    mark_month_dates();
    mark_day_words();
  }

  // "March 3", "April 12, 2027", "3 March", "12 de octubre", "3. März", with a weekday before
  // it: "sábado 12 de octubre".
  void mark_month_dates() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (!free(i) || !is_word(t_[i])) continue;
      std::size_t first = i, last = i;
      if (word_in(i, "months")) {
        // "March 3", "April 12, 2027", "3 March", "12 de octubre", "3. März".
        if (day_number(i + 1)) {
          last = i + 1;
          if (i + 3 < size() && t_[i + 2].lower == "," && is_number(t_[i + 3]) &&
              t_[i + 3].lower.size() == 4)
            last = i + 3;
        }
        if (i >= 1 && day_number(i - 1)) {
          first = i - 1;
        } else if (i >= 2 && day_number(i - 2) &&
                   (word_in(i - 1, "date_linkers") || t_[i - 1].lower == ".")) {
          first = i - 2;
          t_[i].sentence_start = false;
        }
        // Alone, "may" and "mar" are other words; English writes months with a capital.
        const bool alone = first == i && last == i;
        if (alone && (t_[i].lower.size() <= 3 || (english_ && !t_[i].capitalized))) continue;
        if (i + 2 < size() && word_in(i + 1, "date_linkers") && is_number(t_[i + 2]) &&
            t_[i + 2].lower.size() == 4)
          last = i + 2;
        // A weekday before it belongs to the date: "sábado 12 de octubre".
        std::size_t w = first;
        if (w >= 1 && t_[w - 1].lower == ",") --w;
        if (w >= 1 && word_in(w - 1, "weekdays") && free(w - 1)) first = w - 1;
        add(first, last, FactKind::date);
        i = last;
      }
    }
  }

  // Weekdays, "tonight", "this weekend", "12/05", "2026-12-01".
  void mark_day_words() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (!free(i) || !is_word(t_[i])) continue;
      if (word_in(i, "weekdays")) {
        add(i, i, FactKind::date);
        continue;
      }
      // "tonight", "this weekend": up to three words.
      for (std::size_t n = 3; n >= 1; --n) {
        if (i + n > size()) continue;
        std::string phrase;
        bool ok = true;
        for (std::size_t k = i; k < i + n && ok; ++k) {
          ok = free(k) && is_word(t_[k]);
          if (!phrase.empty()) phrase += ' ';
          phrase += t_[k].lower;
        }
        if (ok && lang_.is("relative_days", phrase)) {
          add(i, i + n - 1, FactKind::date);
          i += n - 1;
          break;
        }
      }
      if (!free(i)) continue;
      // "12/05", "12/05/2026", "2026-12-01".
      const std::string& s = t_[i].lower;
      if (is_number(t_[i]) &&
          (std::count(s.begin(), s.end(), '/') >= 1 || std::count(s.begin(), s.end(), '-') == 2)) {
        add(i, i, FactKind::date);
      }
    }
  }

  bool is_unit(std::string_view lower) const { return lang_.is("units", lower); }

  void mark_quantities() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (!free(i) || !is_word(t_[i])) continue;
      const Token& t = t_[i];
      const bool number = is_number(t) || lang_.is("number_words", t.lower);
      if (number) {
        // "140 kg", "190 calories", "cinco años", "sq ft".
        if (i + 2 < size() && free(i + 2) && is_word(t_[i + 1]) && is_word(t_[i + 2]) &&
            is_unit(t_[i + 1].lower + " " + t_[i + 2].lower)) {
          add(i, i + 2, FactKind::quantity);
          i += 2;
          continue;
        }
        if (free(i + 1) && is_word(t_[i + 1]) && is_unit(t_[i + 1].lower)) {
          add(i, i + 1, FactKind::quantity);
          ++i;
          continue;
        }
        if (is_number(t)) add(i, i, FactKind::quantity);  // "1968", "3.0"
        continue;
      }
      if (!t.has_digit) continue;
      // "20g", "5K", "3-bed".
      std::string_view suffix = digit_suffix(t);
      if (suffix.starts_with('-')) suffix.remove_prefix(1);
      if (!suffix.empty() && is_unit(suffix) && t.lower[0] >= '0' && t.lower[0] <= '9') {
        add(i, i, FactKind::quantity);
      }
    }
  }

  bool name_word(std::size_t i) const {
    if (!free(i) || !is_word(t_[i]) || !t_[i].has_letter) return false;
    const Token& t = t_[i];
    if (t.all_caps || (t.has_digit && t.has_letter)) return true;
    return t.capitalized;
  }

  // A single capitalized word is a name only where capitals say so: mid-sentence, or a word
  // English does not know ("Kyoto in spring"), or written in capitals or with digits.
  bool single_name(std::size_t i) const {
    const Token& t = t_[i];
    if (t.all_caps || (t.has_digit && t.has_letter)) return true;
    if (pack_.stopwords().contains(t.lower) || lang_.is("weekdays", t.lower) ||
        lang_.is("months", t.lower))
      return false;
    if (pack_.capitalized_nouns()) return false;  // German: every noun has a capital
    if (!t.sentence_start) return true;
    return lexicon_ != nullptr && !lexicon_->lookup(t.lower).known;
  }

  void mark_names() {
    for (std::size_t i = 0; i < size(); ++i) {
      if (!name_word(i)) continue;
      std::size_t first = i, last = i;
      std::size_t words = 1;
      for (std::size_t k = i + 1; k < size();) {
        if (name_word(k)) {
          last = k;
          ++words;
          ++k;
          continue;
        }
        // "Feira do Empreendedor", "Bodega Los Almendros", "The Midnight Library".
        const bool connector = (word_in(k, "name_connectors") && !t_[k].capitalized) ||
                               symbol_in(k, "name_connectors");  // "Bramble & Oak"
        if (k + 1 < size() && connector && name_word(k + 1)) {
          last = k + 1;
          words += 2;
          k += 2;
          continue;
        }
        break;
      }
      // At a sentence's start, a common first word is not part of the name: "Every Tuesday",
      // "Our Jaguar" (but "Casa Verde" stays whole).
      if (t_[first].sentence_start && words > 1 && !t_[first].all_caps) {
        const bool common = pack_.stopwords().contains(t_[first].lower) ||
                            (lexicon_ != nullptr && lexicon_->lookup(t_[first].lower).known &&
                             !t_[first + 1].capitalized) ||
                            lang_.is("weekdays", t_[first].lower);
        if (common || pack_.stopwords().contains(t_[first].lower)) {
          ++first;
          --words;
          // "Meet the Orbit M2": the connector after the dropped word goes too.
          if (words > 1 && lang_.is("name_connectors", t_[first].lower) && !t_[first].capitalized) {
            ++first;
            --words;
          }
        }
      }
      if (words == 1 && !single_name(first)) {
        i = last;
        continue;
      }
      bool only_dates = true;
      for (std::size_t k = first; k <= last; ++k) {
        only_dates = only_dates && (lang_.is("weekdays", t_[k].lower) ||
                                    lang_.is("months", t_[k].lower) || !is_word(t_[k]));
      }
      if (only_dates) {
        i = last;
        continue;
      }
      const bool place = first > 0 && word_in(first - 1, "place_prepositions");
      add(first, last, place ? FactKind::place : FactKind::name);
      i = last;
    }
  }

  // "sand, olive and white", "hiking, planning and way too much fondue".
  void mark_lists() {
    constexpr std::size_t kMaxItemWords = 4;
    for (std::size_t k = 1; k + 1 < size(); ++k) {
      if (!(word_in(k, "list_and") || symbol_in(k, "list_and"))) continue;
      // Walk back over "item ," pairs.
      std::size_t first = k, commas = 0, p = k;
      while (p > 0) {
        std::size_t words = 0, q = p;
        while (q > 0 && is_word(t_[q - 1]) && !lang_.is("list_and", t_[q - 1].lower) &&
               words < kMaxItemWords) {
          --q;
          ++words;
          if (commas > 0 && words >= 1 && q > 0 && t_[q - 1].lower != ",") {
            // The first item: stop at a preposition or article before it.
            if (pack_.stopwords().contains(t_[q - 1].lower)) break;
          }
        }
        if (words == 0) break;
        first = q;
        if (q > 0 && t_[q - 1].lower == ",") {
          ++commas;
          p = q - 1;
          continue;
        }
        break;
      }
      if (commas == 0) continue;
      std::size_t last = k;
      for (std::size_t q = k + 1; q < size() && is_word(t_[q]) && q - k <= kMaxItemWords; ++q) {
        last = q;
      }
      if (last == k) continue;
      // A list's items may already be facts ("Rome, Paris and Lisbon"): the list wins only where
      // nothing inside it is taken.
      bool clear = true;
      for (std::size_t q = first; q <= last; ++q) clear = clear && free(q);
      if (!clear) continue;
      add(first, last, FactKind::list);
      k = last;
    }
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::string_view text_;
  std::vector<Token>& t_;
  const PostLanguage& lang_;
  const LanguagePack& pack_;
  const Lexicon* lexicon_;
  bool english_;
  std::vector<std::pair<std::size_t, Fact>> found_;
};

// The description's lower-case words (and ?, %, $) between single spaces, for cue matching.
std::string cue_text(const std::vector<Token>& tokens) {
  std::string out = " ";
  for (const Token& t : tokens) {
    if (t.kind == Token::Kind::word || t.lower == "?" || t.lower == "%" || t.lower == "&") {
      out += t.lower;
      out += ' ';
    }
  }
  return out;
}

// spaced starts and ends with a space, so a whole-word match has one on each side.
bool contains_phrase(std::string_view spaced, std::string_view phrase) {
  if (phrase.empty()) return false;
  for (std::size_t at = spaced.find(phrase); at != std::string_view::npos;
       at = spaced.find(phrase, at + 1)) {
    const std::size_t end = at + phrase.size();
    if (at > 0 && spaced[at - 1] == ' ' && end < spaced.size() && spaced[end] == ' ') return true;
  }
  return false;
}

bool any_phrase(std::string_view spaced, const std::vector<std::string_view>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return contains_phrase(spaced, p); });
}

void capitalize_first(std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 'a' && c <= 'z') {
      s[i] = static_cast<char>(c - 32);
      return;
    }
    if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0xA0 && d <= 0xBE && d != 0xB7) s[i + 1] = static_cast<char>(d - 0x20);
      return;
    }
    // Opening marks ("¿", "¡", quotes) and digits keep looking / stop.
    if (c == 0xC2 || c == '"' || c == '\'' || c == '(') continue;
    if (c >= 0x80 && (c & 0xC0) == 0x80) continue;
    return;
  }
}

bool ends_sentence(std::string_view s) {
  if (s.empty()) return true;
  const char c = s.back();
  if (c == '.' || c == '!' || c == '?' || c == ')' || c == '"') return true;
  if (s.ends_with("\xE2\x80\xA6")) return true;  // …
  // An emoji (or any symbol past U+2000) may close a sentence.
  std::size_t i = s.size();
  while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i;
  if (i > 0) --i;
  std::size_t k = i;
  const char32_t cp = next_code_point(s, k);
  return cp >= 0x2190 && !is_word_code_point(cp);
}

// "Ask our followers which songs they want" asks the reader: "Which songs do you want?"
// (English: "they" becomes "do you", "their" "your", "them" "you").
std::string ask_reader(std::string_view rest) {
  std::string out;
  bool asked = false;
  std::size_t i = 0;
  while (i < rest.size()) {
    const std::size_t space = rest.find(' ', i);
    const std::string_view word =
        rest.substr(i, space == std::string_view::npos ? space : space - i);
    std::string_view bare = word;
    while (!bare.empty() && (bare.back() == '.' || bare.back() == ',')) bare.remove_suffix(1);
    const std::string_view tail = word.substr(bare.size());
    if (!out.empty()) out += ' ';
    // The question's first subject trades places with its auxiliary ("we should add" -> "should
    // we add", "they are planning" -> "are you planning"), or takes "do" ("they want" -> "do you
    // want").
    const bool subject = bare == "they" || bare == "we";
    const std::string_view who = bare == "they" ? "you" : "we";
    std::string_view next;
    if (subject && tail.empty() && space != std::string_view::npos) {
      next = rest.substr(space + 1, rest.find(' ', space + 1) - space - 1);
    }
    static constexpr std::array<std::string_view, 9> kAuxiliaries = {
        "should", "could", "can", "will", "would", "shall", "must", "are", "were"};
    const bool auxiliary =
        std::find(kAuxiliaries.begin(), kAuxiliaries.end(), next) != kAuxiliaries.end();
    if (subject && !asked && auxiliary) {
      out.append(next).append(" ").append(who);
      asked = true;
      i = space + 1 + next.size() + 1;
      if (i > rest.size()) break;
      continue;
    }
    if (subject && !asked) {
      out.append("do ").append(who);
      asked = true;
    } else if (bare == "they") {
      out += "you";
    } else if (bare == "their") {
      out += "your";
    } else if (bare == "them") {
      out += "you";
    } else {
      out.append(bare);
    }
    out.append(tail);
    if (space == std::string_view::npos) break;
    i = space + 1;
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  if (!out.ends_with('?')) out += '?';
  return out;
}

// An instruction's replacement before the rest of the brief: "How to" takes a verb's base form
// ("How to clear out", not "How to clearing out").
std::string join_opening(std::string_view opening, std::string_view rest, const Lexicon* lexicon) {
  if (opening == "?") return ask_reader(rest);
  std::string out(opening);
  out += ' ';
  const std::size_t space = rest.find(' ');
  const std::string_view first = rest.substr(0, space);
  if (lexicon != nullptr && opening.ends_with(" to") && ends_with_stem(first, "ing", 2)) {
    const std::string base = lexicon->verb_lemma(lower_latin(first));
    if (!base.empty()) {
      out += base;
      if (space != std::string_view::npos) out.append(rest.substr(space));
      return out;
    }
  }
  out.append(rest);
  return out;
}

// How many of words a prefix of the data files covers, 0 when it does not match: its words in
// order, where "*" stands for one to four words ("remind * that": "remind our members that").
// A trailing ':' is not a word ("quick tip post:").
std::size_t prefix_words(std::string_view prefix, const std::vector<std::string_view>& words) {
  if (prefix.ends_with(':')) prefix.remove_suffix(1);
  // Most prefixes fail on their first word: tell that before splitting the rest.
  const std::string_view head = prefix.substr(0, prefix.find(' '));
  if (words.empty() || (head != "*" && head != words[0])) return 0;
  std::vector<std::string_view> want;
  for (std::size_t i = 0; i < prefix.size();) {
    const std::size_t space = std::min(prefix.find(' ', i), prefix.size());
    if (space > i) want.push_back(prefix.substr(i, space - i));
    i = space + 1;
  }
  constexpr std::size_t kMostWild = 4;
  // Lazy: a "*" takes as few words as let the rest match.
  auto match = [&](auto& self, std::size_t w, std::size_t at) -> std::size_t {
    if (w == want.size()) return at;
    if (want[w] != "*") {
      return at < words.size() && words[at] == want[w] ? self(self, w + 1, at + 1) : 0;
    }
    for (std::size_t n = 1; n <= kMostWild && at + n <= words.size(); ++n) {
      if (const std::size_t end = self(self, w + 1, at + n)) return end;
    }
    return 0;
  };
  return want.empty() ? 0 : match(match, 0, 0);
}

// The description without a leading "Photo of" / "Caption for", split into sentences.
std::vector<std::string> sentences_of(std::string_view text, const std::vector<Token>& tokens,
                                      const PostLanguage& lang, const Lexicon* lexicon) {
  // The longest meta prefix ("photo of") or instruction ("announce that") the description
  // opens with, and what replaces an instruction ("celebrate" -> "Celebrating").
  std::vector<std::string_view> words;
  std::vector<bool> ends_after;  // the word closes a sentence ("Thank you!")
  for (const Token& t : tokens) {
    if (t.kind == Token::Kind::word) {
      words.push_back(t.lower);
      ends_after.push_back(false);
    } else if (t.kind == Token::Kind::end && !ends_after.empty()) {
      ends_after.back() = true;
    }
  }
  // A prefix that is its sentence, or all of it but a word ("Thank you!"), instructs nobody.
  auto closes_sentence = [&](std::size_t covered) {
    return ends_after[covered - 1] || (covered < words.size() && ends_after[covered]);
  };
  std::size_t lead = 0;  // words of the description the prefix covers
  std::string_view replacement;
  for (std::string_view list : {"meta_prefixes", "instructions"}) {
    for (std::string_view item : lang.list(list)) {
      const std::size_t gt = item.find('>');
      const std::size_t covered = prefix_words(trim(item.substr(0, gt)), words);
      if (covered <= lead || closes_sentence(covered)) continue;
      lead = covered;
      replacement = gt == std::string_view::npos ? std::string_view{} : trim(item.substr(gt + 1));
    }
  }
  std::size_t start = 0;
  if (lead > 0) {
    std::size_t seen = 0;
    start = text.size();
    for (const Token& t : tokens) {
      if (t.kind != Token::Kind::word) continue;
      if (seen++ == lead) {
        start = t.begin;
        break;
      }
    }
  }
  std::vector<std::string> out;
  std::size_t begin = start;
  // A replacement writes ';' for the commas the list would split on ("Wir freuen uns; euch
  // mitzuteilen; dass").
  std::string opening(replacement);
  std::replace(opening.begin(), opening.end(), ';', ',');
  auto flush = [&](std::size_t end) {
    std::string_view part = trim(text.substr(begin, end - begin));
    while (!part.empty() && (part.front() == ',' || part.front() == ';' || part.front() == ' '))
      part.remove_prefix(1);
    if (part.empty()) return;
    std::string s(part);
    if (out.empty() && !opening.empty()) s = join_opening(opening, s, lexicon);
    // Only the caption's first sentence is capitalized: after an abbreviation ("bzw. zum") or
    // a list the description's own case stays.
    if (out.empty()) capitalize_first(s);
    if (!ends_sentence(s)) s += '.';
    out.push_back(std::move(s));
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.begin < start || t.kind != Token::Kind::end) continue;
    // Runs of ". ! ?" end together; an emoji right after stays with its sentence.
    std::size_t end = t.end;
    while (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::end) end = tokens[++i].end;
    flush(end);
    begin = end;
  }
  flush(text.size());
  return out;
}

// English: a word that is mostly a verb, or a verb form (-ed, -ing after a noun, -s); other
// languages: the verbs and auxiliaries their posts file lists.
bool has_verb(const std::vector<Token>& tokens, const PostLanguage& lang, const LanguagePack& pack,
              const Lexicon* lexicon) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != Token::Kind::word || t.has_digit) continue;
    if (lang.is("verbs", t.lower)) return true;
    if (lexicon == nullptr || pack.stopwords().contains(t.lower)) continue;
    if (t.capitalized && !t.sentence_start) continue;
    const WordSense sense = lexicon->lookup(t.lower);
    if (!sense.known) continue;
    if (sense.dominant == Pos::verb && !ends_with_stem(t.lower, "ing", 2)) return true;
    if (sense.can_be(Pos::verb) && (ends_with_stem(t.lower, "ed", 2))) {
      // "hand-poured candles", "baked goods": a participle before a noun describes it.
      const bool before_noun = i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::word &&
                               lexicon->lookup(tokens[i + 1].lower).can_be(Pos::noun);
      if (!before_noun) return true;
    }
    if (sense.can_be(Pos::verb) && i > 0 && ends_with_stem(t.lower, "s", 3) &&
        tokens[i - 1].kind == Token::Kind::word &&
        lexicon->lookup(tokens[i - 1].lower).dominant == Pos::noun &&
        (i + 1 == tokens.size() || tokens[i + 1].kind != Token::Kind::word ||
         tokens[i + 1].has_digit || lang.is("weekdays", tokens[i + 1].lower) ||
         pack.stopwords().contains(tokens[i + 1].lower))) {
      return true;  // "bar launches Friday"
    }
    if (ends_with_stem(t.lower, "ing", 2) && sense.can_be(Pos::verb) && i == 0) return true;
  }
  return false;
}

void score_intent(PostAnalysis& out, const std::string& spaced, const PostLanguage& lang) {
  // Each word of the description looks up the cues it starts; a phrase of several words is
  // then searched for whole.
  std::array<double, kIntentNames.size()> score{};
  for (std::string_view word : out.words) {
    for (const PostLanguage::Cue& cue : lang.cues_starting(word)) {
      if (cue.phrase.size() == word.size() || contains_phrase(spaced, cue.phrase))
        score[static_cast<int>(cue.intent)] += cue.weight;
    }
  }
  auto add = [&](Intent intent, double w) { score[static_cast<int>(intent)] += w; };
  // A recap tells of a sale or a launch that is over: it sells nothing now.
  if (out.past) {
    score[static_cast<int>(Intent::promotion)] *= 0.5;
    score[static_cast<int>(Intent::launch)] *= 0.5;
  }
  // A weekday or "today" alone sets a scene ("Rainy Saturday, cinnamon rolls in the oven"); a
  // date with a number or "this"/"next" names a day something happens.
  for (const Fact& f : out.facts) {
    if (f.kind != FactKind::date) continue;
    const std::string day = lower_latin(f.text);
    add(Intent::event, lang.is("weekdays", day) || lang.is("scene_days", day) ? 0.4 : 1.0);
    break;
  }
  if (out.has(FactKind::time)) add(Intent::event, 1.0);
  // Money in a recap was raised or spent, not offered.
  if (out.has(FactKind::price) && !out.past) add(Intent::promotion, 2.5);
  if (out.has(FactKind::discount)) add(Intent::promotion, 3.0);
  if (!out.sentences.empty() && out.sentences.back().ends_with('?')) add(Intent::question, 3.0);
  if (out.first_person) add(Intent::moment, 1.0);
  // "Three drills you can do", "5 ways to", "Why a walk helps": advice opens with a count or a
  // question word.
  const std::size_t first_word = spaced.find_first_not_of(' ');
  if (first_word != std::string::npos) {
    const std::string_view opener =
        std::string_view(spaced).substr(first_word, spaced.find(' ', first_word) - first_word);
    // A count, not a quantity: "Three drills", "5 ways", but not "6-pound bass" or "20 g".
    const std::size_t after = spaced.find(' ', first_word) + 1;
    const std::string_view next =
        std::string_view(spaced).substr(after, spaced.find(' ', after) - after);
    const bool digits = !opener.empty() && std::all_of(opener.begin(), opener.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
    const bool count = (lang.is("number_words", opener) || digits) && !lang.is("units", next) &&
                       !out.has(FactKind::price) && !out.has(FactKind::time);
    if (count || lang.is("tips_openers", opener)) add(Intent::tips, 2.5);
  }
  if (out.past) {
    // What already happened is a moment to share, not an event to come.
    add(Intent::moment, 1.0);
    score[static_cast<int>(Intent::event)] *= 0.3;
    score[static_cast<int>(Intent::launch)] *= 0.5;
  }
  // Ties go to the more specific intent: a question or tips post says so plainly.
  constexpr std::array<Intent, 8> kOrder = {Intent::question, Intent::tips,  Intent::promotion,
                                            Intent::launch,   Intent::event, Intent::announcement,
                                            Intent::showcase, Intent::moment};
  double best = 0, second = 0;
  Intent chosen = Intent::moment;
  for (Intent intent : kOrder) {
    const double s = score[static_cast<int>(intent)];
    if (s > best) {
      second = best;
      best = s;
      chosen = intent;
    } else if (s > second) {
      second = s;
    }
  }
  // One weak cue ("from", "only") says too little: such a post is a moment.
  constexpr double kEnoughEvidence = 1.0;
  if (best < kEnoughEvidence) chosen = Intent::moment;
  out.intent = chosen;
  out.intent_confidence = best < kEnoughEvidence ? 0.0 : best / (best + second + 1.0);
}

// An email address ("jobs@beanandbarley.com") or a phone number: nine digits or more with only
// spaces, dots, dashes and brackets between them ("+49 30 1234567"; dates have fewer).
bool gives_address(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at != std::string_view::npos && at > 0 && text[at - 1] != ' ' &&
      text.find('.', at) != std::string_view::npos)
    return true;
  int digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++digits >= 9) return true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
      digits = 0;
    }
  }
  return false;
}

}  // namespace

core::Result<PostLanguage> PostLanguage::parse(std::string_view text) {
  PostLanguage out;
  core::Result<void> status;
  read_sections(text, [&](std::string_view, std::string_view line) {
    std::string_view key, value;
    if (!split_key_value(line, key, value)) {
      if (status)
        status = core::fail(core::ErrorCode::internal, "posts: no '=' in " + std::string(line));
      return;
    }
    std::vector<std::string_view> items;
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      std::string_view item = trim(value.substr(start, comma - start));
      if (!item.empty()) items.push_back(item);
      start = comma + 1;
    }
    for (std::size_t i = 0; i < kIntentNames.size(); ++i) {
      if (key != kIntentNames[i]) continue;
      for (std::string_view item : items) {
        const std::size_t colon = item.rfind(':');
        Cue cue{item, {}, static_cast<Intent>(i), 1.0};
        if (colon != std::string_view::npos && colon > 0) {
          cue.phrase = item.substr(0, colon);
          cue.weight = std::strtod(std::string(item.substr(colon + 1)).c_str(), nullptr);
        }
        cue.first_word = cue.phrase.substr(0, cue.phrase.find(' '));
        out.cues_.push_back(cue);
      }
      return;
    }
    std::sort(items.begin(), items.end());
    out.lists_.emplace_back(key, std::move(items));
  });
  if (!status) return std::unexpected(status.error());
  std::sort(out.lists_.begin(), out.lists_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::stable_sort(out.cues_.begin(), out.cues_.end(),
                   [](const Cue& a, const Cue& b) { return a.first_word < b.first_word; });
  return out;
}

std::span<const PostLanguage::Cue> PostLanguage::cues_starting(std::string_view word) const {
  struct ByFirstWord {
    bool operator()(const Cue& c, std::string_view w) const { return c.first_word < w; }
    bool operator()(std::string_view w, const Cue& c) const { return w < c.first_word; }
  };
  const auto [from, to] = std::equal_range(cues_.begin(), cues_.end(), word, ByFirstWord{});
  return {from, to};
}

const std::vector<std::string_view>& PostLanguage::list(std::string_view name) const {
  static const std::vector<std::string_view> kEmpty;
  auto it = std::lower_bound(lists_.begin(), lists_.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != lists_.end() && it->first == name ? it->second : kEmpty;
}

bool PostLanguage::is(std::string_view name, std::string_view lower_word) const {
  const auto& items = list(name);
  return std::binary_search(items.begin(), items.end(), lower_word);
}

bool PostAnalysis::says(std::string_view word) const {
  return std::binary_search(words.begin(), words.end(), word);
}

bool PostAnalysis::has(FactKind kind) const {
  return std::any_of(facts.begin(), facts.end(), [&](const Fact& f) { return f.kind == kind; });
}

std::string_view PostAnalysis::first(FactKind kind) const {
  for (const Fact& f : facts) {
    if (f.kind == kind) return f.text;
  }
  return {};
}

PostAnalysis analyze_post(std::string_view description, const PostLanguage& language,
                          const LanguagePack& pack, const Lexicon* english_lexicon) {
  PostAnalysis out;
  std::vector<Token> tokens = scan(description);
  out.sentences = sentences_of(description, tokens, language, english_lexicon);
  out.facts = FactFinder(description, tokens, language, pack, english_lexicon).run();
  const std::string spaced = cue_text(tokens);
  for (std::size_t at = 0; at < spaced.size();) {
    const std::size_t end = std::min(spaced.find(' ', at), spaced.size());
    if (end > at) out.words.push_back(spaced.substr(at, end - at));
    at = end + 1;
  }
  std::sort(out.words.begin(), out.words.end());
  out.words.erase(std::unique(out.words.begin(), out.words.end()), out.words.end());
  out.first_person = any_phrase(spaced, language.list("first_person"));
  out.past = any_phrase(spaced, language.list("past"));
  out.contact = gives_address(description) || any_phrase(spaced, language.list("contact_words"));
  out.fragment = !has_verb(tokens, language, pack, english_lexicon);
  score_intent(out, spaced, language);
  return out;
}

std::vector<Fact> by_importance(const std::vector<Fact>& facts) {
  std::vector<Fact> out = facts;
  std::stable_sort(out.begin(), out.end(), [](const Fact& a, const Fact& b) {
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
  return out;
}

}  // namespace reelgen::captions::detail
