#pragma once
// Reading validated DTOs out of Boost.JSON values: each accessor checks type and range, records
// a FieldError naming the field and the rule, and remembers which keys were read so unknown
// fields can be rejected.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::core {

// Parses text as JSON. Malformed text or invalid UTF-8 is ErrorCode::malformed.
Result<boost::json::value> parse_json(std::string_view text);
// A request body that must be a JSON object; anything else is ErrorCode::malformed.
Result<boost::json::object> parse_json_object(std::string_view text);

// Serializes value as JSON with numbers as people write them: 6000 and 99.9, never 6E3 or
// 9.99E1 (Boost.JSON's form for doubles). Integral doubles print as integers; non-finite ones as
// null. Every JSON the program writes (responses, logs, stored results) goes through it.
std::string to_json(const boost::json::value& value);

class ObjectReader {
 public:
  // prefix is the path of this object in the document ("" for the root, "requests[2]" inside).
  ObjectReader(const boost::json::object& object, std::string prefix,
               std::vector<FieldError>& errors);

  // A string of min..max code points, whitespace-normalized. Missing → nullopt (error if required).
  std::optional<std::string> text(std::string_view name, bool required, std::size_t min_chars,
                                  std::size_t max_chars);
  // An integer in [min, max]. JSON numbers with a fraction are rejected.
  std::optional<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view name, double min, double max);
  std::optional<bool> boolean(std::string_view name);
  // A string that must be one of names; returns its index.
  std::optional<std::size_t> choice(std::string_view name, std::span<const std::string_view> names);
  // An array of min..max items; nullptr when missing or wrong.
  const boost::json::array* array(std::string_view name, std::size_t min_items,
                                  std::size_t max_items);
  // A nested object; nullptr when missing or not an object (an error in the latter case).
  const boost::json::object* object(std::string_view name);
  // Records an error for every key that no accessor asked for.
  void reject_unknown();

  std::string path(std::string_view name) const;
  void add_error(std::string_view name, std::string rule, std::string message);

 private:
  const boost::json::value* find(std::string_view name);

  const boost::json::object& object_;
  std::string prefix_;
  std::vector<FieldError>& errors_;
  std::vector<std::string_view> seen_;
};

// Joins names as "a, b, c" for messages that list valid values.
std::string join(std::span<const std::string_view> names);

}  // namespace reelgen::core
