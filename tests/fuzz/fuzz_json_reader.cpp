// A request body through the JSON reader every DTO uses (text, numbers, choices, nesting, unknown
// fields), and the serializer: what it writes must read back.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = reelgen::core::parse_json_object(text);
  if (!body) return 0;
  std::vector<reelgen::core::FieldError> errors;
  reelgen::core::ObjectReader in(*body, "", errors);
  static constexpr std::string_view kStyles[] = {"casual", "professional", "luxury"};
  in.text("content_description", true, 5, 2000);
  in.text("script", false, 1, 5000);
  in.integer("hashtag_count", 0, 30);
  in.number("speed", 0.5, 2.0);
  in.boolean("test");
  in.choice("style", kStyles);
  if (const auto* items = in.array("keywords", 0, 20)) {
    for (const auto& item : *items) {
      if (item.is_object()) {
        reelgen::core::ObjectReader nested(item.get_object(), "keywords[0]", errors);
        nested.text("word", false, 1, 50);
        nested.reject_unknown();
      }
    }
  }
  if (const auto* sub = in.object("subtitles")) {
    reelgen::core::ObjectReader nested(*sub, "subtitles", errors);
    nested.boolean("enabled");
    nested.reject_unknown();
  }
  in.reject_unknown();
  for (const auto& e : errors) {
    if (e.rule.empty() || e.message.empty()) std::abort();
  }
  const std::string written = reelgen::core::to_json(*body);
  boost::system::error_code ec;
  boost::json::parse(written, ec);
  if (ec) std::abort();  // our own output must be valid JSON
  return 0;
}
