#pragma once
// Time is passed in: rate limiters, caches and leases take a Clock so tests can drive it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace reelgen::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time for durations and expiry.
  virtual std::chrono::steady_clock::time_point now() const = 0;
  // Wall-clock time for timestamps shown to people.
  virtual std::chrono::system_clock::time_point wall() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point wall() const override {
    return std::chrono::system_clock::now();
  }
  // The process-wide instance.
  static const SystemClock& instance();
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ticks_.load()));
  }
  std::chrono::system_clock::time_point wall() const override {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(ticks_.load())));
  }
  void advance(std::chrono::nanoseconds d) { ticks_ += d.count(); }

 private:
  std::atomic<std::int64_t> ticks_{1'000'000'000'000};
};

// "2026-11-23T13:41:00.123Z"
std::string iso8601(std::chrono::system_clock::time_point t);
// The same for Unix milliseconds, as the job store keeps times.
inline std::string iso8601_ms(std::int64_t unix_ms) {
  return iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
}
// RFC 9110 IMF-fixdate, as in Date and Last-Modified: "Mon, 23 Nov 2026 13:41:00 GMT"
std::string http_date(std::chrono::system_clock::time_point t);
// Unix milliseconds of a wall-clock time.
std::int64_t unix_ms(std::chrono::system_clock::time_point t);

}  // namespace reelgen::core
