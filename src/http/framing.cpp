#include "http/framing.hpp"

#include "http/message.hpp"

namespace reelgen::http {
namespace {

using core::ErrorCode;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<core::Error> check_transfer_encoding(std::string_view header) {
  if (header.empty()) return std::nullopt;
  int chunked = 0;
  while (true) {
    const auto comma = header.find(',');
    const std::string_view coding = trim(header.substr(0, comma));
    if (iequals(coding, "chunked")) {
      ++chunked;
    } else if (coding.empty()) {
      return core::Error::make(ErrorCode::malformed, "Transfer-Encoding has an empty coding");
    } else {
      return core::Error::make(
          ErrorCode::not_implemented,
          "Transfer-Encoding '" + std::string(coding) + "' is not supported; only chunked is");
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (chunked > 1) {
    return core::Error::make(ErrorCode::malformed,
                             "Transfer-Encoding names chunked more than once");
  }
  return std::nullopt;
}

}  // namespace reelgen::http
