#include "captions/engine.hpp"
#include "captions/provider.hpp"

namespace reelgen::captions {
namespace {

class BuiltinProvider final : public Provider {
 public:
  explicit BuiltinProvider(std::unique_ptr<detail::Engine> engine) : engine_(std::move(engine)) {}

  std::string_view name() const override { return "builtin"; }

  core::Result<CaptionResult> generate(const CaptionRequest& request) const override {
    return engine_->generate(request);
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

}  // namespace reelgen::captions
