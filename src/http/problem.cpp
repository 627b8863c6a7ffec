#include "http/problem.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/log.hpp"

namespace reelgen::http {

int status_of(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::invalid_argument:
      return 422;
    case ErrorCode::malformed:
      return 400;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::method_not_allowed:
      return 405;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::range_not_satisfiable:
      return 416;
    case ErrorCode::unsupported_media_type:
      return 415;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::header_too_large:
      return 431;
    case ErrorCode::request_timeout:
      return 408;
    case ErrorCode::not_implemented:
      return 501;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

std::string_view reason_of(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

Response problem_response(const core::Error& error, std::string_view request_id) {
  const int status = status_of(error.code);
  boost::json::object doc;
  doc["type"] = "urn:reelgen:problem:" + std::string(core::to_string(error.code));
  doc["title"] = reason_of(status);
  doc["status"] = status;
  doc["detail"] = error.message;
  doc["instance"] = request_id;
  if (!error.fields.empty()) {
    boost::json::array errors;
    for (const auto& f : error.fields) {
      errors.push_back({{"field", f.field}, {"rule", f.rule}, {"message", f.message}});
    }
    doc["errors"] = std::move(errors);
  }
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = core::to_json(doc);
  return r;
}

Response answer_exceptions(std::string_view request_id, std::string_view what,
                           const std::function<Response()>& fn) {
  std::string reason;
  try {
    return fn();
  } catch (const std::exception& e) {
    reason = e.what();
  } catch (...) {
    reason = "an exception that is not a std::exception";
  }
  core::log_error("unhandled exception",
                  {{"where", what}, {"request_id", request_id}, {"error", reason}});
  return problem_response(
      core::Error::make(core::ErrorCode::internal,
                        "the server failed while answering; the failure is logged with this "
                        "request's id"),
      request_id);
}

}  // namespace reelgen::http
