#pragma once
// One error type for every module boundary. An Error becomes an HTTP status and an RFC 9457
// problem document in exactly one place (http/problem.cpp).

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reelgen::core {

enum class ErrorCode {
  invalid_argument,        // a field breaks a rule (422)
  malformed,               // the body or request cannot be parsed (400)
  unauthenticated,         // missing or unknown credentials (401)
  forbidden,               // credentials lack the scope (403)
  not_found,               // (404)
  method_not_allowed,      // (405)
  conflict,                // (409)
  payload_too_large,       // (413)
  range_not_satisfiable,   // (416)
  unsupported_media_type,  // (415)
  rate_limited,            // (429)
  header_too_large,        // (431)
  request_timeout,         // the client did not send its request in time (408)
  not_implemented,         // a protocol feature the server does not support (501)
  unavailable,             // not ready, shutting down, overloaded (503)
  internal,                // our fault (500)
};

// A violated rule on one field of a request.
struct FieldError {
  std::string field;  // JSON path, e.g. "requests[3].style"
  std::string rule;   // machine-readable rule name, e.g. "min_length"
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;

  static Error make(ErrorCode code, std::string message) {
    return Error{code, std::move(message), {}};
  }
  // invalid_argument for several broken rules, summarized by the first ("field: message").
  // REQUIRES: fields is not empty.
  static Error invalid_fields(std::vector<FieldError> fields) {
    std::string summary = fields.front().field + ": " + fields.front().message;
    return Error{ErrorCode::invalid_argument, std::move(summary), std::move(fields)};
  }
  static Error invalid(std::string field, std::string rule, std::string message) {
    std::string summary = field + ": " + message;
    return Error{ErrorCode::invalid_argument,
                 std::move(summary),
                 {FieldError{std::move(field), std::move(rule), std::move(message)}}};
  }
};

// std::expected that must not be ignored: a dropped Result is a dropped error.
template <typename T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
  Result() = default;
  Result(std::expected<T, Error> e) : std::expected<T, Error>(std::move(e)) {}  // NOLINT: implicit
};

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected(Error::make(code, std::move(message)));
}

std::string_view to_string(ErrorCode code);

}  // namespace reelgen::core
