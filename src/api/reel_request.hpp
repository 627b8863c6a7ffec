#pragma once
// The body of POST /api/v1/reels: {"video": {...}, "caption": {...}}.

#include <boost/json/object.hpp>

#include "core/error.hpp"

namespace reelgen::api {

struct ReelParts {
  const boost::json::object* video = nullptr;    // a video request, for jobs::parse_video_request
  const boost::json::object* caption = nullptr;  // a caption request, read and valid
};

// Both parts are required objects and the caption part must be a valid caption request (errors
// named "caption.<field>"); the video part is read when the job is submitted. The parts point
// into body.
core::Result<ReelParts> read_reel_request(const boost::json::object& body);

}  // namespace reelgen::api
