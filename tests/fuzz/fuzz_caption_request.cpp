// The caption request reader (POST /api/v14/generate, batch items, a reel's caption part):
// any body is refused with named fields or read into a request within the documented limits.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/caption_dto.hpp"
#include "core/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = reelgen::api::parse_caption_request(text);
  if (!request) {
    for (const auto& field : request.error().fields) {
      if (field.rule.empty() || field.message.empty()) std::abort();  // (a key may be "")
    }
    return 0;
  }
  const auto& r = *request;
  if (reelgen::core::utf8_length(r.content_description) < 5 || r.hashtag_count < 0 ||
      r.hashtag_count > 30 || r.keywords.size() > 20) {
    std::abort();
  }
  // Nothing refused at the door reaches the engine.
  if (reelgen::core::forbidden_code_point(r.content_description)) std::abort();
  for (const auto& k : r.keywords) {
    if (reelgen::core::forbidden_code_point(k)) std::abort();
  }
  return 0;
}
