#pragma once
// A caption provider writes captions for a validated request. The builtin engine is one;
// an LLM-backed provider is another. Providers are chosen by configuration.

#include <memory>
#include <string_view>

#include "captions/caption.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace reelgen::captions {
namespace llm {
struct LlmMetrics;
}

class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string_view name() const = 0;
  // Thread-safe; called concurrently from every I/O and worker thread.
  virtual core::Result<CaptionResult> generate(const CaptionRequest& request) const = 0;
  // Scores a caption written elsewhere (its text and hashtags) with the checks that score the
  // provider's own: the score fields, intent, niche and facts are filled in.
  virtual core::Result<Caption> score(const CaptionRequest& request, Caption caption) const = 0;
  // Who would answer request ("builtin" or "llm:<model>"): part of the cache key, so a model's
  // captions and the builtin's never share an entry.
  virtual std::string route(const CaptionRequest& request) const = 0;
  // The model's counters; null for a provider without a model.
  virtual const llm::LlmMetrics* model_metrics() const { return nullptr; }
};

// The builtin engine: loads its lexicon and phrase banks from data compiled into the binary.
// Returns an error when the embedded data is missing or malformed.
// A request for "provider": "llm" gets 422 naming the field.
core::Result<std::unique_ptr<Provider>> make_builtin_provider();

// The provider the configuration asks for: the builtin engine alone, or (with a model
// configured) the model guarded by the builtin engine, which also answers "provider": "builtin".
// clock drives the model's circuit breaker and retry waits.
// The model provider alone (make_provider picks it when a model is configured).
core::Result<std::unique_ptr<Provider>> make_llm_provider(const core::LlmConfig& config,
                                                          const core::Clock& clock);
core::Result<std::unique_ptr<Provider>> make_provider(const core::LlmConfig& config,
                                                      const core::Clock& clock);

}  // namespace reelgen::captions
