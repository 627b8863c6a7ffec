#pragma once
// The builtin caption engine: the loaded lexicon, emoji tables, languages, niches and phrase
// banks, and the pipeline analyze -> compose -> hashtags -> score. Immutable after load, so
// generate() is safe to call from any number of threads.

#include <array>
#include <memory>

#include "captions/analyzer.hpp"
#include "captions/caption.hpp"
#include "captions/emojis.hpp"
#include "captions/language.hpp"
#include "captions/lexicon.hpp"
#include "captions/niches.hpp"
#include "captions/plans.hpp"
#include "captions/post_analysis.hpp"
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
  std::array<EmojiTable, kLanguageCount> emoji;
  std::array<LanguagePack, kLanguageCount> languages;
  std::array<PostLanguage, kLanguageCount> posts;
  std::array<PlanBank, kLanguageCount> plans;
  NicheSet niches;
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
  const LanguagePack& language(std::size_t i) const { return t_.languages[i]; }
  const PostLanguage& post_language(std::size_t i) const { return t_.posts[i]; }
  const PlanBank& plan_bank(std::size_t i) const { return t_.plans[i]; }

  // What the engine reads from a description: the post (intent, facts, sentences) and the
  // words (subject, niche). Shared by generate() and the scorer of given captions.
  struct Reading {
    Analysis words;
    PostAnalysis post;
    std::string subject;            // the noun phrase a caption names, as written
    std::string lower_description;  // the description lower-cased, for lines it already says
  };
  Reading read(const CaptionRequest& request) const;
  // Scores caption (text, hashtags, emojis set) for request: fills every score field.
  void assess(const CaptionRequest& request, const Reading& reading, Caption& caption) const;
  // Heap bytes held by the lookup structures (the tables themselves stay in the binary).
  std::size_t memory_bytes() const;

 private:
  explicit Engine(EngineTables tables);

  // Which plan lines a caption used; variants avoid each other's.
  struct Taken {
    std::vector<int> hooks, ctas, bodies;
  };
  // What every draft of a request shares: its hashtags and the emojis that fit it.
  struct Decoration {
    std::vector<std::string> hashtags;
    EmojiChoice emojis;
  };
  Decoration decorate(const CaptionRequest& request, const Reading& reading) const;
  Caption write(const CaptionRequest& request, const Reading& reading, const Decoration& decor,
                Taken& taken, std::uint64_t seed) const;

  EngineTables t_;
  Analyzer analyzer_;
};

}  // namespace reelgen::captions::detail
