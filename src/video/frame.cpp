#include "video/frame.hpp"

namespace reelgen::video::detail {
namespace {

// BT.601 limited range in 8.8 fixed point, the matrix the encoder declares (SMPTE 170M).
inline std::uint8_t luma(int b, int g, int r) {
  return static_cast<std::uint8_t>(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

// Sums of four pixels' channels in, so the mean is taken inside the rounding.
inline std::uint8_t chroma_u(int b4, int g4, int r4) {
  return static_cast<std::uint8_t>(((-38 * r4 - 74 * g4 + 112 * b4 + 512) >> 10) + 128);
}
inline std::uint8_t chroma_v(int b4, int g4, int r4) {
  return static_cast<std::uint8_t>(((112 * r4 - 94 * g4 - 18 * b4 + 512) >> 10) + 128);
}

}  // namespace

void convert_to_yuv420(const std::uint8_t* bgra, int bgra_stride, Yuv420& out, int x0, int y0,
                       int x1, int y1) {
  for (int y = y0; y < y1; y += 2) {
    const std::uint8_t* row0 = bgra + static_cast<std::ptrdiff_t>(y) * bgra_stride;
    // An odd last row pairs with itself.
    const std::uint8_t* row1 = y + 1 < y1 ? row0 + bgra_stride : row0;
    std::uint8_t* luma0 = out.plane[0] + static_cast<std::ptrdiff_t>(y) * out.stride[0];
    std::uint8_t* luma1 = y + 1 < y1 ? luma0 + out.stride[0] : nullptr;
    std::uint8_t* u = out.plane[1] + static_cast<std::ptrdiff_t>(y / 2) * out.stride[1];
    std::uint8_t* v = out.plane[2] + static_cast<std::ptrdiff_t>(y / 2) * out.stride[2];
    for (int x = x0; x < x1; ++x) luma0[x] = luma(row0[4 * x], row0[4 * x + 1], row0[4 * x + 2]);
    if (luma1 != nullptr) {
      for (int x = x0; x < x1; ++x) luma1[x] = luma(row1[4 * x], row1[4 * x + 1], row1[4 * x + 2]);
    }
    for (int x = x0; x < x1; x += 2) {
      // An odd last column pairs with itself.
      const int x2 = x + 1 < x1 ? x + 1 : x;
      const int b = row0[4 * x] + row0[4 * x2] + row1[4 * x] + row1[4 * x2];
      const int g = row0[4 * x + 1] + row0[4 * x2 + 1] + row1[4 * x + 1] + row1[4 * x2 + 1];
      const int r = row0[4 * x + 2] + row0[4 * x2 + 2] + row1[4 * x + 2] + row1[4 * x2 + 2];
      u[x / 2] = chroma_u(b, g, r);
      v[x / 2] = chroma_v(b, g, r);
    }
  }
}

}  // namespace reelgen::video::detail
