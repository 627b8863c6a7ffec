#pragma once
// How video::render() and reelgen-render talk: the request as one JSON document on the child's
// stdin, then one JSON object per line on its stdout:
//   {"progress":{"stage":"render","percent":41.5}}   any number of times
//   {"summary":{...}} or {"error":{...}}              exactly once, last
// Both ends are built together, so enums travel as their integer values.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "video/video.hpp"

namespace reelgen::video::wire {

boost::json::object to_json(const RenderRequest& request);
core::Result<RenderRequest> request_from_json(const boost::json::value& json);

boost::json::object to_json(const RenderSummary& summary);
core::Result<RenderSummary> summary_from_json(const boost::json::value& json);

boost::json::object to_json(const core::Error& error);
core::Error error_from_json(const boost::json::value& json);

}  // namespace reelgen::video::wire
