#include "api/reel_request.hpp"

#include <vector>

#include "api/caption_dto.hpp"
#include "core/json.hpp"

namespace reelgen::api {

core::Result<ReelParts> read_reel_request(const boost::json::object& body) {
  std::vector<core::FieldError> errors;
  core::ObjectReader in(body, "", errors);
  ReelParts parts{in.object("video"), in.object("caption")};
  if (parts.video == nullptr && errors.empty()) in.add_error("video", "required", "is required");
  if (parts.caption == nullptr && errors.empty()) {
    in.add_error("caption", "required", "is required");
  }
  in.reject_unknown();
  if (parts.caption != nullptr) read_caption_request(*parts.caption, "caption", errors);
  if (!errors.empty()) return std::unexpected(core::Error::invalid_fields(std::move(errors)));
  return parts;
}

}  // namespace reelgen::api
