#pragma once
// Lock-free counters and histograms, and a writer for the Prometheus text format.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace reelgen::monitor {

class LatencyHistogram;

// A histogram's counts at one moment; the difference of two is the histogram of what happened
// between them (how the analyzer sees a window).
struct HistogramSnapshot {
  std::vector<std::uint64_t> buckets;  // empty: nothing recorded yet
  std::uint64_t count = 0;
  double sum_seconds = 0;

  // Upper bound of the bucket holding the q-quantile, in milliseconds; 0 when empty.
  double quantile_ms(double q) const;
  double mean_ms() const { return count == 0 ? 0.0 : sum_seconds * 1e3 / count; }
  // What was recorded after earlier (taken from the same histogram).
  HistogramSnapshot since(const HistogramSnapshot& earlier) const;
};

// Latency histogram with log-linear buckets from 1 µs to ~17 s (8 sub-buckets per power of two):
// cheap to record, precise enough for p50/p95/p99 within 10%.
class LatencyHistogram {
 public:
  static constexpr int kBuckets = 25 * 8;
  void record(std::chrono::nanoseconds d);
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum_seconds() const;
  double mean_ms() const;
  // q in [0, 1]; upper bound of the bucket holding the q-quantile, in milliseconds.
  double quantile_ms(double q) const;
  // Cumulative count of observations <= le_seconds (for Prometheus buckets).
  std::uint64_t count_at_most(double le_seconds) const;
  HistogramSnapshot snapshot() const;
  static double upper_micros(int bucket);

 private:
  static int bucket_of(std::uint64_t micros);
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

// Events per second over the last minute, in one-second slots.
class RateWindow {
 public:
  explicit RateWindow(const core::Clock& clock) : clock_(clock) {}
  void add(std::uint64_t n = 1);
  double per_second_last_minute() const;

 private:
  std::int64_t second_now() const;
  const core::Clock& clock_;
  struct Slot {
    std::atomic<std::int64_t> second{-1};
    std::atomic<std::uint64_t> count{0};
  };
  std::array<Slot, 60> slots_{};
};

// Appends Prometheus exposition text.
class Exposition {
 public:
  void header(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, std::string_view labels, double value);
  // A metric with one sample: header plus sample.
  void metric(std::string_view name, std::string_view type, std::string_view help,
              std::string_view labels, double value);
  // Buckets from 100 µs to 10 s, or the given upper bounds (ascending, at most ~134 s, the
  // histogram's range).
  void histogram(std::string_view name, std::string_view labels, const LatencyHistogram& h);
  void histogram(std::string_view name, std::string_view labels, const LatencyHistogram& h,
                 std::span<const double> bounds);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

// Escapes a label value ("\" and newlines and quotes).
std::string label_value(std::string_view value);

struct ProcessUsage {
  double resident_bytes = 0;
  double cpu_seconds = 0;
  double open_fds = 0;
  double threads = 0;
};
ProcessUsage read_process_usage();

}  // namespace reelgen::monitor
