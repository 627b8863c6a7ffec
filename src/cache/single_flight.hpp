#pragma once
// Concurrent identical cache misses compute once: the first caller runs the work, the others
// wait for its result.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

namespace reelgen::cache {

class SingleFlight {
 public:
  using Work = std::function<core::Result<std::string>()>;
  // Runs work unless an identical call (same hash and key) is in flight, in which case it waits
  // for that call's result. shared is set when the result came from another caller's work.
  core::Result<std::string> run(std::uint64_t hash, std::string_view key, const Work& work,
                                bool* shared = nullptr);
  std::uint64_t shared_results() const;

 private:
  struct Call {
    std::string key;
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    core::Result<std::string> result = core::fail(core::ErrorCode::internal, "not computed");
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Call>> calls_;
  std::uint64_t shared_results_ = 0;
};

}  // namespace reelgen::cache
