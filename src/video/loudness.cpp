#include "video/loudness.hpp"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>

namespace reelgen::video::detail {
namespace {

double db_to_gain(double db) { return std::pow(10.0, db / 20); }
double gain_to_db(double gain) { return 20 * std::log10(gain); }

constexpr double kLookaheadSeconds = 0.002;
constexpr double kReleaseSeconds = 0.05;

// Look-ahead peak limiter: the gain reaches what a peak needs within the look-ahead before it,
// by a moving average of the running minimum, and recovers with a release time constant.
void limit(std::vector<float>& x, int rate, double ceiling) {
  const auto n = x.size();
  const auto window = std::max<std::size_t>(1, static_cast<std::size_t>(kLookaheadSeconds * rate));
  std::vector<float> need(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double a = std::abs(x[i]);
    need[i] = a > ceiling ? static_cast<float>(ceiling / a) : 1.0f;
  }
  // Minimum of need over [i, i + window], with a monotonic deque.
  std::vector<float> ahead(n);
  std::deque<std::size_t> q;
  for (std::size_t j = 0, i = 0; i < n; ++i) {
    for (; j < n && j <= i + window; ++j) {
      while (!q.empty() && need[q.back()] >= need[j]) q.pop_back();
      q.push_back(j);
    }
    while (q.front() < i) q.pop_front();
    ahead[i] = need[q.front()];
  }
  // Release: the gain may rise only slowly, never above what is needed ahead.
  const double release = 1 - std::exp(-1.0 / (kReleaseSeconds * rate));
  double g = 1;
  for (std::size_t i = 0; i < n; ++i) {
    g = std::min<double>(ahead[i], g + (1 - g) * release);
    ahead[i] = static_cast<float>(g);
  }
  // Moving average over the past window: a peak at p lies ahead of every sample averaged there,
  // so the result is still at or below what p needs.
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += ahead[i];
    if (i >= window) sum -= ahead[i - window];
    const double smooth = sum / static_cast<double>(std::min(i + 1, window));
    x[i] = static_cast<float>(x[i] * smooth);
  }
}

}  // namespace

Loudness measure_loudness(std::span<const float> samples, int rate) {
  Loudness out{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  ebur128_state* st =
      ebur128_init(1, static_cast<unsigned long>(rate), EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
  if (st == nullptr) return out;
  ebur128_add_frames_float(st, samples.data(), samples.size());
  double lufs = 0, peak = 0;
  if (ebur128_loudness_global(st, &lufs) == EBUR128_SUCCESS) out.integrated_lufs = lufs;
  if (ebur128_true_peak(st, 0, &peak) == EBUR128_SUCCESS && peak > 0)
    out.true_peak_dbtp = gain_to_db(peak);
  ebur128_destroy(&st);
  return out;
}

void normalize_loudness(std::vector<float>& track, int rate, std::span<const std::size_t> starts,
                        const LoudnessTarget& target) {
  // Segments to one loudness first, by gain alone.
  for (std::size_t i = 0; starts.size() > 1 && i < starts.size(); ++i) {
    const std::size_t begin = std::min(starts[i], track.size());
    const std::size_t end =
        i + 1 < starts.size() ? std::min(starts[i + 1], track.size()) : track.size();
    if (end <= begin) continue;
    const std::span<float> part(track.data() + begin, end - begin);
    const double lufs = measure_loudness(part, rate).integrated_lufs;
    if (!std::isfinite(lufs)) continue;
    const auto g = static_cast<float>(db_to_gain(target.integrated_lufs - lufs));
    for (float& s : part) s *= g;
  }
  const Loudness before = measure_loudness(track, rate);
  if (!std::isfinite(before.integrated_lufs)) return;
  // Gain to the target, limit, measure again: limiting lowers the loudness (by several LU for
  // espeak-ng's peaky voices), so the gain is corrected by the secant through the last two
  // rounds, and the limiter's ceiling lowered if the true peak still overshoots.
  double gain_db = target.integrated_lufs - before.integrated_lufs;
  double ceiling_db = target.true_peak_dbtp - target.codec_margin_db;
  double last_gain = 0, last_lufs = before.integrated_lufs;
  std::vector<float> out;
  for (int round = 0; round < 8; ++round) {
    out = track;
    const auto g = static_cast<float>(db_to_gain(gain_db));
    for (float& s : out) s *= g;
    limit(out, rate, db_to_gain(ceiling_db));
    const Loudness now = measure_loudness(out, rate);
    const double error = target.integrated_lufs - now.integrated_lufs;
    const double over = now.true_peak_dbtp - (target.true_peak_dbtp - target.codec_margin_db);
    if (std::abs(error) <= 0.15 && over <= 0) break;
    // LU gained per dB of gain: 1 without limiting, less with it; kept within (0.05, 1].
    const double slope =
        std::clamp((now.integrated_lufs - last_lufs) / (gain_db - last_gain), 0.05, 1.0);
    last_gain = gain_db;
    last_lufs = now.integrated_lufs;
    gain_db += error / slope;
    if (over > 0) ceiling_db -= over + 0.05;
  }
  track = std::move(out);
}

}  // namespace reelgen::video::detail
