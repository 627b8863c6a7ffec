// Upload sniffing: PNG and JPEG headers, chunk and marker walks, completeness checks.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "jobs/image_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto info = reelgen::jobs::inspect_image(bytes);
  if (info && info->content_type != "image/png" && info->content_type != "image/jpeg") std::abort();
  return 0;
}
