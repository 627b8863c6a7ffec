#include "monitor/metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace reelgen::monitor {

int LatencyHistogram::bucket_of(std::uint64_t micros) {
  if (micros < 8) return static_cast<int>(micros);
  const int exponent = std::bit_width(micros) - 1;  // >= 3
  const int sub = static_cast<int>((micros >> (exponent - 3)) & 7);
  const int bucket = (exponent - 2) * 8 + sub;
  return bucket < kBuckets ? bucket : kBuckets - 1;
}

double LatencyHistogram::upper_micros(int bucket) {
  if (bucket < 8) return bucket + 1;
  const int exponent = bucket / 8 + 2;
  const int sub = bucket % 8;
  return std::ldexp(8 + sub + 1, exponent - 3);
}

void LatencyHistogram::record(std::chrono::nanoseconds d) {
  const auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(0, d.count()));
  buckets_[bucket_of(ns / 1000)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(ns, std::memory_order_relaxed);
}

double LatencyHistogram::sum_seconds() const { return sum_ns_.load() / 1e9; }

double LatencyHistogram::mean_ms() const {
  const auto n = count();
  return n == 0 ? 0.0 : sum_ns_.load() / 1e6 / n;
}

double LatencyHistogram::quantile_ms(double q) const { return snapshot().quantile_ms(q); }

HistogramSnapshot LatencyHistogram::snapshot() const {
  HistogramSnapshot snap;
  snap.buckets.resize(kBuckets);
  for (int i = 0; i < kBuckets; ++i) {
    snap.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    snap.count += snap.buckets[i];
  }
  snap.sum_seconds = sum_seconds();
  return snap;
}

double HistogramSnapshot::quantile_ms(double q) const {
  std::uint64_t total = 0;
  for (const auto n : buckets) total += n;
  if (total == 0) return 0;
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * total)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    seen += buckets[i];
    if (seen >= rank && buckets[i] > 0)
      return LatencyHistogram::upper_micros(static_cast<int>(i)) / 1000.0;
  }
  return LatencyHistogram::upper_micros(LatencyHistogram::kBuckets - 1) / 1000.0;
}

HistogramSnapshot HistogramSnapshot::since(const HistogramSnapshot& earlier) const {
  HistogramSnapshot out = *this;
  if (earlier.buckets.size() != buckets.size()) return out;
  out.count = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    out.buckets[i] = buckets[i] >= earlier.buckets[i] ? buckets[i] - earlier.buckets[i] : 0;
    out.count += out.buckets[i];
  }
  out.sum_seconds = std::max(0.0, sum_seconds - earlier.sum_seconds);
  return out;
}

std::uint64_t LatencyHistogram::count_at_most(double le_seconds) const {
  std::uint64_t n = 0;
  for (int i = 0; i < kBuckets; ++i) {
    if (upper_micros(i) / 1e6 > le_seconds + 1e-12) break;
    n += buckets_[i].load(std::memory_order_relaxed);
  }
  return n;
}

std::int64_t RateWindow::second_now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
}

void RateWindow::add(std::uint64_t n) {
  const std::int64_t now = second_now();
  Slot& slot = slots_[static_cast<std::size_t>(now % 60)];
  std::int64_t seen = slot.second.load(std::memory_order_relaxed);
  if (seen != now && slot.second.compare_exchange_strong(seen, now)) {
    slot.count.store(0, std::memory_order_relaxed);
  }
  slot.count.fetch_add(n, std::memory_order_relaxed);
}

double RateWindow::per_second_last_minute() const {
  const std::int64_t now = second_now();
  std::uint64_t total = 0;
  for (const auto& slot : slots_) {
    const std::int64_t s = slot.second.load(std::memory_order_relaxed);
    if (s > now - 60 && s <= now) total += slot.count.load(std::memory_order_relaxed);
  }
  return total / 60.0;
}

void Exposition::header(std::string_view name, std::string_view type, std::string_view help) {
  out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Exposition::sample(std::string_view name, std::string_view labels, double value) {
  out_.append(name);
  if (!labels.empty()) out_.append("{").append(labels).append("}");
  char buf[64];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof buf, " %.0f\n", value);
  } else {
    std::snprintf(buf, sizeof buf, " %.9g\n", value);
  }
  out_.append(buf);
}

void Exposition::metric(std::string_view name, std::string_view type, std::string_view help,
                        std::string_view labels, double value) {
  header(name, type, help);
  sample(name, labels, value);
}

void Exposition::histogram(std::string_view name, std::string_view labels,
                           const LatencyHistogram& h) {
  static constexpr double kLe[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  histogram(name, labels, h, kLe);
}

void Exposition::histogram(std::string_view name, std::string_view labels,
                           const LatencyHistogram& h, std::span<const double> bounds) {
  const std::string bucket = std::string(name) + "_bucket";
  const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  for (const double le : bounds) {
    char lebuf[32];
    std::snprintf(lebuf, sizeof lebuf, "le=\"%g\"", le);
    sample(bucket, prefix + lebuf, static_cast<double>(h.count_at_most(le)));
  }
  sample(bucket, prefix + "le=\"+Inf\"", static_cast<double>(h.count()));
  sample(std::string(name) + "_sum", labels, h.sum_seconds());
  sample(std::string(name) + "_count", labels, static_cast<double>(h.count()));
}

std::string label_value(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

namespace {

double count_entries(const char* dir) {
  double n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    n += 1;
  }
  return n;
}

}  // namespace

ProcessUsage read_process_usage() {
  ProcessUsage usage;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    unsigned long size = 0, resident = 0;
    if (std::fscanf(f, "%lu %lu", &size, &resident) == 2) {
      usage.resident_bytes =
          static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
    }
    std::fclose(f);
  }
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) == 0) {
    usage.cpu_seconds =
        ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  }
  usage.open_fds = count_entries("/proc/self/fd");
  usage.threads = count_entries("/proc/self/task");
  return usage;
}

}  // namespace reelgen::monitor
