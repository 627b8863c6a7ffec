#pragma once
// The encoder behind a small interface: frames in, a finished file out. The FFmpeg
// implementation writes H.264 (libx264, or h264_nvenc when the GPU has an encoder) + AAC in MP4
// with faststart, or VP9 + Opus in WebM.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "video/frame.hpp"
#include "video/video.hpp"

namespace reelgen::video::detail {

struct EncoderSettings {
  std::filesystem::path path;  // written as-is; the caller renames it into place
  int width = 0, height = 0, fps = 30;
  Quality quality = Quality::medium;
  Format format = Format::mp4;
  bool allow_hardware = true;
  int audio_rate = 48000;
  std::vector<float> audio;  // mono at audio_rate, exactly as long as the video
};

// What quality maps to, documented in docs/video.md.
struct EncoderTuning {
  std::string x264_preset;
  int x264_crf = 23;
  int vp9_crf = 33;
  int vp9_cpu_used = 8;
  int audio_bitrate = 96000;
};
EncoderTuning tuning_for(Quality quality);

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Frame n of the video (n counts from 0 in call order). The encoder keeps a reference to
  // frame until it no longer needs it. Call from one thread at a time.
  virtual core::Result<void> write_video(std::shared_ptr<Yuv420> frame) = 0;
  // Flushes the codecs and closes the file.
  virtual core::Result<void> finish() = 0;
  virtual std::string video_codec() const = 0;
  virtual std::string audio_codec() const = 0;
};

core::Result<std::unique_ptr<Encoder>> open_ffmpeg_encoder(EncoderSettings settings);

}  // namespace reelgen::video::detail
