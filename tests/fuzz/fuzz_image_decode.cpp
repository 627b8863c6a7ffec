// Image loading (portraits and backgrounds): any bytes decode into an image within the size
// limits, with rows of the promised stride, or are refused naming the field.

extern "C" {
#include <libavutil/log.h>
}

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "video/image.hpp"
#include "video/video.hpp"

// FFmpeg's complaints about each broken input would cost more time than decoding it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  av_log_set_level(AV_LOG_QUIET);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Uploads are PNG or JPEG; the name's extension is the probe's hint, as for a stored upload.
  const std::string name = size > 0 && data[0] == 0x89 ? "upload.png" : "upload.jpg";
  auto image = reelgen::video::detail::decode_image(std::span(data, size), name, "background");
  if (!image) {
    const auto& e = image.error();
    if (e.fields.size() != 1 || e.fields[0].field != "background") std::abort();
    return 0;
  }
  const auto& i = *image;
  if (i.width < 1 || i.height < 1 || i.width > reelgen::video::kMaxImageSide ||
      i.height > reelgen::video::kMaxImageSide || i.stride < i.width * 4 ||
      i.pixels.size() != static_cast<std::size_t>(i.stride) * i.height) {
    std::abort();
  }
  // Premultiplied: no colour exceeds its alpha. Reading every pixel also lets ASan see the rows.
  for (std::size_t p = 0; p + 3 < i.pixels.size(); p += 4) {
    const auto a = i.pixels[p + 3];
    if (i.pixels[p] > a || i.pixels[p + 1] > a || i.pixels[p + 2] > a) std::abort();
  }
  return 0;
}
