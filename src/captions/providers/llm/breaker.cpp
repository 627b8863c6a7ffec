#include "captions/providers/llm/breaker.hpp"

namespace reelgen::captions::llm {

std::string_view name_of(BreakerState state) {
  switch (state) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "closed";
}

bool CircuitBreaker::allow() {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (now < held_until_) return false;
  switch (state_) {
    case BreakerState::closed:
      return true;
    case BreakerState::open:
      if (now - opened_ < cooldown_) return false;
      state_ = BreakerState::half_open;
      trial_out_ = true;
      return true;
    case BreakerState::half_open:
      if (trial_out_) return false;
      trial_out_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::record_success() {
  std::lock_guard lock(mutex_);
  state_ = BreakerState::closed;
  consecutive_ = 0;
  trial_out_ = false;
}

void CircuitBreaker::record_failure() {
  std::lock_guard lock(mutex_);
  trial_out_ = false;
  if (state_ == BreakerState::half_open || ++consecutive_ >= failures_) {
    state_ = BreakerState::open;
    opened_ = clock_.now();
  }
}

void CircuitBreaker::hold_for(std::chrono::seconds after) {
  std::lock_guard lock(mutex_);
  trial_out_ = false;
  held_until_ = std::max(held_until_, clock_.now() + after);
}

BreakerState CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

}  // namespace reelgen::captions::llm
