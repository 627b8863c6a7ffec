#pragma once
// The one place where an Error becomes HTTP: status code and RFC 9457 problem+json.

#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "http/message.hpp"

namespace reelgen::http {

int status_of(core::ErrorCode code);
std::string_view reason_of(int status);

// {"type","title","status","detail","instance"} plus "errors":[{field,rule,message}] for 422.
// instance is the request id.
Response problem_response(const core::Error& error, std::string_view request_id);

// The exception boundary: fn's response, or, when an exception escapes fn, a 500 problem for
// request_id and one error log line saying where (what) and why.
Response answer_exceptions(std::string_view request_id, std::string_view what,
                           const std::function<Response()>& fn);

}  // namespace reelgen::http
