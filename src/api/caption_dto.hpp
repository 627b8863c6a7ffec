#pragma once
// The caption API's wire format: JSON → validated CaptionRequest, CaptionResult → JSON.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption.hpp"
#include "core/error.hpp"

namespace reelgen::api {

inline constexpr std::string_view kCaptionApiVersion = "14.0";
inline constexpr std::size_t kMaxBatchItems = 100;

// Reads one request object; field errors are prefixed with prefix ("" or "requests[3]").
// Appends to errors and returns nullopt when any rule fails.
std::optional<captions::CaptionRequest> read_caption_request(const boost::json::object& object,
                                                             const std::string& prefix,
                                                             std::vector<core::FieldError>& errors);

// Parses a /generate body.
core::Result<captions::CaptionRequest> parse_caption_request(std::string_view body);

// The cached part of a response: every field except request_id and performance_metrics,
// as `"caption":…,"api_version":"14.0"` (no braces).
std::string render_caption_fragment(const captions::CaptionRequest& request,
                                    const captions::CaptionResult& result);

// What performance_metrics reports besides the time.
struct ResponseOrigin {
  bool cache_hit = false;
  std::string_view provider = "builtin";  // "builtin" or "llm:<model>"
  bool fallback = false;                  // the model failed and the builtin answered
};

// {"request_id":…, <fragment>, "performance_metrics":{…}}
std::string render_caption_response(std::string_view request_id, std::string_view fragment,
                                    double processing_ms, const ResponseOrigin& origin);

}  // namespace reelgen::api
