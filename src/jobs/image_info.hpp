#pragma once
// What an uploaded file really is, read from its first bytes rather than trusted from its name or
// Content-Type.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace reelgen::jobs {

struct ImageInfo {
  std::string content_type;  // "image/png" or "image/jpeg"
  std::string extension;     // "png" or "jpg"
  int width = 0;
  int height = 0;
};

// PNG (IHDR) and baseline or progressive JPEG (SOFn); anything else is unsupported_media_type.
// A truncated file (PNG without IEND, JPEG without its end-of-image marker) or an inconsistent
// header is invalid_argument naming "body".
core::Result<ImageInfo> inspect_image(std::string_view bytes);

}  // namespace reelgen::jobs
