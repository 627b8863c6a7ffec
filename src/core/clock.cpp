#include "core/clock.hpp"

namespace reelgen::core {

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace reelgen::core
