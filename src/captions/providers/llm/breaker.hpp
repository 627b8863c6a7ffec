#pragma once
// A circuit breaker for one model server: after `failures` consecutive failures (or timeouts)
// it opens and calls fall back at once; after `cooldown` one trial call goes through
// (half-open), and its outcome closes or reopens it. A 429's Retry-After holds calls back until
// that time without counting as a failure of the model. Thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "core/clock.hpp"

namespace reelgen::captions::llm {

enum class BreakerState : std::uint8_t { closed, open, half_open };
std::string_view name_of(BreakerState state);

class CircuitBreaker {
 public:
  CircuitBreaker(int failures, std::chrono::milliseconds cooldown, const core::Clock& clock)
      : failures_(failures), cooldown_(cooldown), clock_(clock) {}
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // Whether a call may go out now. In half-open, only the first caller gets true until the
  // trial's outcome is recorded.
  bool allow();
  void record_success();
  void record_failure();
  // The server said to come back after `after` (429 Retry-After).
  void hold_for(std::chrono::seconds after);
  BreakerState state() const;

 private:
  const int failures_;
  const std::chrono::milliseconds cooldown_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  BreakerState state_ = BreakerState::closed;
  int consecutive_ = 0;
  bool trial_out_ = false;
  std::chrono::steady_clock::time_point opened_{};
  std::chrono::steady_clock::time_point held_until_{};
};

}  // namespace reelgen::captions::llm
