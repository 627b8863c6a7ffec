#pragma once
// One engine shared by the tests of a binary: loading is cheap but not free.

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

}  // namespace reelgen::captions::testing
