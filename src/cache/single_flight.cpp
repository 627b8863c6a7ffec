#include "cache/single_flight.hpp"

namespace reelgen::cache {

core::Result<std::string> SingleFlight::run(std::uint64_t hash, std::string_view key,
                                            const Work& work, bool* shared) {
  std::shared_ptr<Call> call;
  bool leader = false;
  {
    std::lock_guard lock(mutex_);
    auto& slot = calls_[hash];
    if (slot && slot->key == key) {
      call = slot;
      ++shared_results_;
    } else if (!slot) {
      slot = call = std::make_shared<Call>();
      call->key = std::string(key);
      leader = true;
    }
  }
  if (!call) {  // a different key with the same hash is in flight: compute independently
    if (shared) *shared = false;
    return work();
  }
  if (!leader) {
    std::unique_lock lock(call->mutex);
    call->done_cv.wait(lock, [&] { return call->done; });
    if (shared) *shared = true;
    return call->result;
  }
  auto result = work();
  {
    std::lock_guard lock(call->mutex);
    call->result = result;
    call->done = true;
  }
  call->done_cv.notify_all();
  {
    std::lock_guard lock(mutex_);
    calls_.erase(hash);
  }
  if (shared) *shared = false;
  return result;
}

std::uint64_t SingleFlight::shared_results() const {
  std::lock_guard lock(mutex_);
  return shared_results_;
}

}  // namespace reelgen::cache
