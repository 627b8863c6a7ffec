#include "captions/engine.hpp"
#include "captions/provider.hpp"

namespace reelgen::captions {
namespace {

class BuiltinProvider final : public Provider {
 public:
  explicit BuiltinProvider(std::unique_ptr<detail::Engine> engine) : engine_(std::move(engine)) {}

  std::string_view name() const override { return "builtin"; }

  core::Result<CaptionResult> generate(const CaptionRequest& request) const override {
    if (request.provider == ProviderChoice::llm) {
      return std::unexpected(core::Error::invalid(
          "provider", "unavailable", "no language model is configured (LLM_MODEL, LLM_BASE_URL)"));
    }
    return engine_->generate(request);
  }

  std::string route(const CaptionRequest&) const override { return "builtin"; }

  core::Result<Caption> score(const CaptionRequest& request, Caption caption) const override {
    try {
      caption.emojis = detail::emojis_in(caption.text);
      engine_->assess(request, engine_->read(request), caption);
      return caption;
    } catch (const std::exception& e) {
      return core::fail(core::ErrorCode::internal, std::string("caption scorer: ") + e.what());
    }
  }

 private:
  std::unique_ptr<detail::Engine> engine_;
};

}  // namespace

core::Result<std::unique_ptr<Provider>> make_builtin_provider() {
  auto engine = detail::Engine::load();
  if (!engine) return std::unexpected(engine.error());
  return std::unique_ptr<Provider>(std::make_unique<BuiltinProvider>(std::move(*engine)));
}

core::Result<std::unique_ptr<Provider>> make_provider(const core::LlmConfig& config,
                                                      const core::Clock& clock) {
  if (config.configured()) return make_llm_provider(config, clock);
  return make_builtin_provider();
}

}  // namespace reelgen::captions
