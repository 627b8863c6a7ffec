#pragma once
// The soundtrack: speech resampled to the output rate, padded, and optional background music
// mixed under it with ducking.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace reelgen::video::detail {

// Mono 16-bit speech at in_rate → mono float at out_rate.
core::Result<std::vector<float>> resample_speech(std::span<const std::int16_t> samples, int in_rate,
                                                 int out_rate);

// Decodes any audio file FFmpeg reads into mono float at rate; invalid_argument naming field
// when it cannot.
core::Result<std::vector<float>> load_audio(const std::filesystem::path& path, int rate,
                                            const std::string& field);

// Mixes music (looped) under track. The music plays at volume between phrases and drops to a
// quarter of it while someone speaks; it fades in and out over half a second.
void mix_music(std::vector<float>& track, std::span<const float> music, int rate, double volume);

}  // namespace reelgen::video::detail
