#pragma once
// Still images (PNG, JPEG, ...) decoded with FFmpeg into cairo's premultiplied BGRA layout.

#include <cairo.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace reelgen::video::detail {

struct Image {
  int width = 0, height = 0, stride = 0;  // stride in bytes
  std::vector<std::uint8_t> pixels;       // BGRA, premultiplied alpha (CAIRO_FORMAT_ARGB32)
};

// invalid_argument (naming field) when the file is missing, unreadable, not an image, larger
// than kMaxImageBytes or wider/taller than kMaxImageSide.
core::Result<Image> load_image(const std::filesystem::path& path, const std::string& field);

// The same from an image's bytes; name (a file name, or any label) appears in the messages and
// its extension helps FFmpeg recognise the format.
core::Result<Image> decode_image(std::span<const std::uint8_t> bytes, const std::string& name,
                                 const std::string& field);

// Where an image goes to cover a width x height area at (x, y): scaled to fill it, centred, the
// overflow cut (CSS's background-size: cover).
struct Placement {
  double x = 0, y = 0, scale = 1;
};
Placement cover(const Image& image, double x, double y, double width, double height);

// Paints image at placement into cr, smoothly scaled.
void paint_image(cairo_t* cr, Image& image, const Placement& placement);

}  // namespace reelgen::video::detail
