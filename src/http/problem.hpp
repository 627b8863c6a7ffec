#pragma once
// The one place where an Error becomes HTTP: status code and RFC 9457 problem+json.

#include <string_view>

#include "core/error.hpp"
#include "http/message.hpp"

namespace reelgen::http {

int status_of(core::ErrorCode code);
std::string_view reason_of(int status);

// {"type","title","status","detail","instance"} plus "errors":[{field,rule,message}] for 422.
// instance is the request id.
Response problem_response(const core::Error& error, std::string_view request_id);

}  // namespace reelgen::http
