#pragma once
// The builtin caption engine: the loaded lexicon, emoji tables, languages, niches and phrase
// banks, and the pipeline analyze -> compose -> hashtags -> score. Immutable after load, so
// generate() is safe to call from any number of threads.

#include <array>
#include <memory>

#include "captions/analyzer.hpp"
#include "captions/caption.hpp"
#include "captions/composer.hpp"
#include "captions/emojis.hpp"
#include "captions/language.hpp"
#include "captions/lexicon.hpp"
#include "captions/niches.hpp"
#include "captions/phrase_bank.hpp"
#include "captions/sorted_lines.hpp"
#include "captions/voices.hpp"
#include "core/error.hpp"

namespace reelgen::captions::detail {

inline constexpr std::size_t kStyleCount = kStyleNames.size();

// Everything the engine reads at load, each table indexing the text compiled into the binary.
struct EngineTables {
  std::unique_ptr<Lexicon> lexicon;
  SortedLines banned;
  SortedLines topics;
  SortedLines relatives;
  std::array<EmojiTable, kLanguageCount> emoji;
  std::array<LanguagePack, kLanguageCount> languages;
  NicheSet niches;
  std::array<std::array<StyleBank, kStyleCount>, kLanguageCount> styles;
  VoiceMap voices;
};

// A sorted table compiled into the binary (data/captions or the generated lexicon), mapped over
// its prebuilt index when it has one.
core::Result<SortedLines> embedded_table(const std::string& name);

class Engine {
 public:
  // Loads every table from the data compiled into the binary.
  static core::Result<std::unique_ptr<Engine>> load();

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  core::Result<CaptionResult> generate(const CaptionRequest& request) const;

  const Analyzer& analyzer() const { return analyzer_; }
  const Lexicon& lexicon() const { return *t_.lexicon; }
  const SortedLines& banned_hashtags() const { return t_.banned; }
  const NicheSet& niches() const { return t_.niches; }
  const SortedLines& relatives() const { return t_.relatives; }
  const LanguagePack& language(std::size_t i) const { return t_.languages[i]; }
  // Heap bytes held by the lookup structures (the tables themselves stay in the binary).
  std::size_t memory_bytes() const;

 private:
  explicit Engine(EngineTables tables);

  struct Steering {
    std::string_view brand_adjective;
    std::vector<std::string_view> voices;
    Register register_ = Register::neutral;
  };

  Caption write(const CaptionRequest& request, const Analysis& analysis, const StyleBank& style,
                const Niche& niche, const Steering& steering, std::vector<Choice>& taken,
                std::size_t variant, std::uint64_t seed) const;

  EngineTables t_;
  Analyzer analyzer_;
};

}  // namespace reelgen::captions::detail
