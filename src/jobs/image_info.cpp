#include "jobs/image_info.hpp"

#include <cstdint>
#include <optional>

namespace reelgen::jobs {
namespace {

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

std::uint16_t be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) |
                                    static_cast<unsigned char>(b[at + 1]));
}

core::Error broken(std::string message) {
  return core::Error::invalid("body", "image", std::move(message));
}

core::Result<ImageInfo> png(std::string_view b) {
  // Signature (8), then the IHDR chunk: length (4), "IHDR", width (4), height (4).
  if (b.size() < 33 || b.substr(12, 4) != "IHDR")
    return std::unexpected(broken("the PNG header is incomplete"));
  // Chunks follow one another up to IEND: length (4), type (4), data, CRC (4).
  for (std::size_t at = 8;;) {
    if (at + 12 > b.size()) return std::unexpected(broken("the PNG is truncated (no IEND chunk)"));
    const std::uint64_t length = be32(b, at);
    if (b.substr(at + 4, 4) == "IEND") break;
    at += 12 + length;
  }
  ImageInfo info{"image/png", "png", static_cast<int>(be32(b, 16)), static_cast<int>(be32(b, 20))};
  return info;
}

core::Result<ImageInfo> jpeg(std::string_view b) {
  std::size_t at = 2;
  std::optional<ImageInfo> info;
  while (at + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF)
      return std::unexpected(broken("the JPEG markers are corrupt"));
    const unsigned char marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      at += 2;
      continue;
    }
    const std::uint16_t length = be16(b, at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame && !info) {
      if (at + 9 > b.size()) break;
      info = ImageInfo{"image/jpeg", "jpg", be16(b, at + 7), be16(b, at + 5)};
    }
    if (marker == 0xDA || length < 2) break;  // the entropy-coded image data begins
    at += 2 + length;
  }
  if (!info) return std::unexpected(broken("the JPEG has no frame header"));
  // The image data runs to the end-of-image marker; without it the file was cut short.
  if (b.find(std::string_view("\xFF\xD9", 2), at) == std::string_view::npos) {
    return std::unexpected(broken("the JPEG is truncated (no end-of-image marker)"));
  }
  return *info;
}

}  // namespace

core::Result<ImageInfo> inspect_image(std::string_view b) {
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return png(b);
  if (b.size() >= 3 && b.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) return jpeg(b);
  return core::fail(core::ErrorCode::unsupported_media_type,
                    "the body is not a PNG or JPEG image (checked from its bytes)");
}

}  // namespace reelgen::jobs
