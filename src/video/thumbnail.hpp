#pragma once
// A JPEG still of one frame, for listings and link previews.

#include <cairo.h>

#include <filesystem>

#include "core/error.hpp"

namespace reelgen::video::detail {

// Encodes an ARGB32 cairo surface as a JPEG file at path.
core::Result<void> write_jpeg(cairo_surface_t* surface, const std::filesystem::path& path);

}  // namespace reelgen::video::detail
