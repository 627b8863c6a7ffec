#pragma once
// A YUV 4:2:0 frame in one allocation, and a fixed pool of them shared by the rendering and
// encoding threads so steady-state rendering allocates nothing.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace reelgen::video::detail {

struct Yuv420 {
  int width = 0, height = 0;
  int stride[3] = {0, 0, 0};
  std::uint8_t* plane[3] = {nullptr, nullptr, nullptr};
  std::vector<std::uint8_t> storage;

  Yuv420(int w, int h) : width(w), height(h) {
    // Rows aligned to 64 bytes: what the SIMD paths of swscale and x264 like.
    stride[0] = (w + 63) & ~63;
    stride[1] = stride[2] = ((w / 2) + 63) & ~63;
    const std::size_t luma = static_cast<std::size_t>(stride[0]) * h;
    const std::size_t chroma = static_cast<std::size_t>(stride[1]) * (h / 2);
    storage.resize(luma + 2 * chroma + 64);
    plane[0] = storage.data();
    plane[1] = plane[0] + luma;
    plane[2] = plane[1] + chroma;
  }
  void copy_from(const Yuv420& other) {
    std::copy(other.storage.begin(), other.storage.end(), storage.begin());
  }
};

// Converts the area [x0, x1) x [y0, y1) of a BGRA picture (cairo's ARGB32, opaque) into the
// same area of out, BT.601 limited range; each chroma sample is the mean of its 2x2 pixels.
// Writes nothing outside the area, and a pixel's value depends only on its own 2x2 block, so
// converting a picture piece by piece gives exactly the picture converted whole.
// REQUIRES: x0, y0 even; x1, y1 even or the picture's edge; the area inside out.
void convert_to_yuv420(const std::uint8_t* bgra, int bgra_stride, Yuv420& out, int x0, int y0,
                       int x1, int y1);

class FramePool {
 public:
  FramePool(int width, int height, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      free_.push_back(std::make_unique<Yuv420>(width, height));
  }
  FramePool(const FramePool&) = delete;
  FramePool& operator=(const FramePool&) = delete;

  // Blocks until a frame is free; the frame returns to the pool when the last owner drops it.
  // REQUIRES: the pool outlives every frame it hands out.
  std::shared_ptr<Yuv420> acquire() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !free_.empty(); });
    Yuv420* frame = free_.back().release();
    free_.pop_back();
    return std::shared_ptr<Yuv420>(frame, [this](Yuv420* f) {
      std::lock_guard guard(mutex_);
      free_.emplace_back(f);
      ready_.notify_one();
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::unique_ptr<Yuv420>> free_;
};

}  // namespace reelgen::video::detail
