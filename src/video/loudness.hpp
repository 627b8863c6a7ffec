#pragma once
// Loudness normalisation of the soundtrack to what the platforms play at (EBU R 128 / ITU-R
// BS.1770 integrated loudness and true peak, measured with libebur128).

#include <span>
#include <vector>

namespace reelgen::video::detail {

struct LoudnessTarget {
  double integrated_lufs = -14;  // Instagram, TikTok, YouTube
  double true_peak_dbtp = -1;    // after decoding; the limiter keeps a margin for the codec
  double codec_margin_db = 0.7;  // AAC and Opus overshoot a little
};

struct Loudness {
  double integrated_lufs = 0;  // -inf for silence
  double true_peak_dbtp = 0;
};

// Mono float samples at rate.
Loudness measure_loudness(std::span<const float> samples, int rate);

// Brings each segment [starts[i], starts[i+1]) to the same loudness (so scenes with different
// voices match), then the whole track to target.integrated_lufs with a look-ahead limiter holding
// true peaks under target.true_peak_dbtp - target.codec_margin_db. A silent track is left alone.
// starts are sample offsets, ascending; empty means one segment.
void normalize_loudness(std::vector<float>& track, int rate, std::span<const std::size_t> starts,
                        const LoudnessTarget& target = {});

}  // namespace reelgen::video::detail
