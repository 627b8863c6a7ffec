#pragma once
// The builtin caption engine: the loaded lexicon, emoji table, niches and phrase banks, and the
// pipeline analyze -> compose -> hashtags -> score. Immutable after load, so generate() is safe
// to call from any number of threads.

#include <array>
#include <memory>

#include "captions/analyzer.hpp"
#include "captions/caption.hpp"
#include "captions/composer.hpp"
#include "captions/emojis.hpp"
#include "captions/lexicon.hpp"
#include "captions/niches.hpp"
#include "captions/phrase_bank.hpp"
#include "captions/sorted_lines.hpp"
#include "core/error.hpp"

namespace reelgen::captions::detail {

class Engine {
 public:
  // Loads every table from the data compiled into the binary.
  static core::Result<std::unique_ptr<Engine>> load();

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  core::Result<CaptionResult> generate(const CaptionRequest& request) const;

  const Analyzer& analyzer() const { return analyzer_; }
  const Lexicon& lexicon() const { return lexicon_; }
  const SortedLines& banned_hashtags() const { return banned_; }
  // Heap bytes held by the lookup structures (the tables themselves stay in the binary).
  std::size_t memory_bytes() const;

 private:
  Engine(Lexicon lexicon, SortedLines stopwords, SortedLines sentiment, SortedLines banned,
         EmojiTable emoji, NicheSet niches, std::array<StyleBank, 9> styles);

  Caption write(const CaptionRequest& request, const Analysis& analysis, const StyleBank& style,
                const Niche& niche, std::string_view brand_adjective, std::vector<Choice>& taken,
                std::size_t variant, std::uint64_t seed) const;

  Lexicon lexicon_;
  SortedLines stopwords_;
  SortedLines sentiment_;
  SortedLines banned_;
  EmojiTable emoji_;
  NicheSet niches_;
  std::array<StyleBank, 9> styles_;
  Analyzer analyzer_;
};

}  // namespace reelgen::captions::detail
