#include "core/error.hpp"

namespace reelgen::core {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::malformed:
      return "malformed";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::method_not_allowed:
      return "method_not_allowed";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::payload_too_large:
      return "payload_too_large";
    case ErrorCode::range_not_satisfiable:
      return "range_not_satisfiable";
    case ErrorCode::unsupported_media_type:
      return "unsupported_media_type";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::header_too_large:
      return "header_too_large";
    case ErrorCode::request_timeout:
      return "request_timeout";
    case ErrorCode::not_implemented:
      return "not_implemented";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace reelgen::core
