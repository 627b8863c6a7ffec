#pragma once
// The JSON of a video job, as every video and reel response shows it. Internal to api/.

#include <boost/json/object.hpp>

#include "api/services.hpp"
#include "store/store.hpp"

namespace reelgen::api {

boost::json::object video_json(const Services& s, const store::Job& job);

// A problem response; quota refusals also say when to try again.
http::Response submit_problem(const http::Context& ctx, const core::Error& error);

}  // namespace reelgen::api
