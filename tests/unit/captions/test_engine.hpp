#pragma once
// One engine shared by the tests of a binary (loading is cheap but not free), and a way to
// generate with it.

#include <gtest/gtest.h>

#include "captions/engine.hpp"

namespace reelgen::captions::testing {

inline const detail::Engine& engine() {
  static const std::unique_ptr<detail::Engine> instance = [] {
    auto loaded = detail::Engine::load();
    if (!loaded) ADD_FAILURE() << loaded.error().message;
    return loaded ? std::move(*loaded) : nullptr;
  }();
  return *instance;
}

// engine().generate(r), failing the test with the error when there is one.
inline CaptionResult generate(const CaptionRequest& r) {
  auto result = engine().generate(r);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : CaptionResult{};
}

}  // namespace reelgen::captions::testing
