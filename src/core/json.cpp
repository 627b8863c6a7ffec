#include "core/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/utf8.hpp"

namespace reelgen::core {

Result<boost::json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec) {
    return fail(ErrorCode::malformed, "request body is not valid JSON: " + ec.message());
  }
  return value;
}

Result<boost::json::object> parse_json_object(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return std::unexpected(doc.error());
  if (!doc->is_object())
    return fail(ErrorCode::malformed, "the request body must be a JSON object");
  return std::move(doc->get_object());
}

namespace {

void append_number(std::string& out, double d) {
  char buf[64];
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  if (d == std::trunc(d) && std::fabs(d) < 1e15) {
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d));
    out.append(buf, r.ptr);
    return;
  }
  const double magnitude = std::fabs(d);
  const auto format =
      magnitude >= 1e-6 && magnitude < 1e15 ? std::chars_format::fixed : std::chars_format::general;
  const auto r = std::to_chars(buf, buf + sizeof buf, d, format);
  out.append(buf, r.ptr);
}

void append_json(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      out += boost::json::serialize(v);
      return;
    case boost::json::kind::double_:
      append_number(out, v.get_double());
      return;
    case boost::json::kind::string:
      out += boost::json::serialize(v.get_string());
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(key);
        out += ':';
        append_json(out, item);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string to_json(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  append_json(out, value);
  return out;
}

ObjectReader::ObjectReader(const boost::json::object& object, std::string prefix,
                           std::vector<FieldError>& errors)
    : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

std::string ObjectReader::path(std::string_view name) const {
  if (prefix_.empty()) return std::string(name);
  return prefix_ + "." + std::string(name);
}

void ObjectReader::add_error(std::string_view name, std::string rule, std::string message) {
  errors_.push_back(FieldError{path(name), std::move(rule), std::move(message)});
}

const boost::json::value* ObjectReader::find(std::string_view name) {
  seen_.push_back(name);
  const auto* value = object_.if_contains(name);
  if (value != nullptr && value->is_null()) return nullptr;  // null means "use the default"
  return value;
}

std::optional<std::string> ObjectReader::text(std::string_view name, bool required,
                                              std::size_t min_chars, std::size_t max_chars) {
  const auto* value = find(name);
  if (value == nullptr) {
    if (required) add_error(name, "required", "is required");
    return std::nullopt;
  }
  if (!value->is_string()) {
    add_error(name, "type", "must be a string");
    return std::nullopt;
  }
  if (auto bad = forbidden_code_point(value->get_string())) {
    add_error(name, "characters", forbidden_message(*bad));
    return std::nullopt;
  }
  std::string normalized = normalize_space(value->get_string());
  const std::size_t length = utf8_length(normalized);
  if (length < min_chars) {
    add_error(name, "min_length", "must be at least " + std::to_string(min_chars) + " characters");
    return std::nullopt;
  }
  if (length > max_chars) {
    add_error(name, "max_length", "must be at most " + std::to_string(max_chars) + " characters");
    return std::nullopt;
  }
  return normalized;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view name, std::int64_t min,
                                                  std::int64_t max) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (value->is_int64()) {
    n = value->get_int64();
  } else if (value->is_uint64()) {
    // Only values past INT64_MAX are stored as uint64: always above any maximum we use.
    add_error(name, "maximum", "must be at most " + std::to_string(max));
    return std::nullopt;
  } else {
    add_error(name, "type", "must be an integer");
    return std::nullopt;
  }
  if (n < min) {
    add_error(name, "minimum", "must be at least " + std::to_string(min));
    return std::nullopt;
  }
  if (n > max) {
    add_error(name, "maximum", "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<double> ObjectReader::number(std::string_view name, double min, double max) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) {
    add_error(name, "type", "must be a number");
    return std::nullopt;
  }
  const double d = value->to_number<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    add_error(name, "range",
              "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return d;
}

std::optional<bool> ObjectReader::boolean(std::string_view name) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    add_error(name, "type", "must be true or false");
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<std::size_t> ObjectReader::choice(std::string_view name,
                                                std::span<const std::string_view> names) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) {
    const std::string_view s = value->get_string();
    const auto it = std::find(names.begin(), names.end(), s);
    if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  }
  add_error(name, "enum", "must be one of: " + join(names));
  return std::nullopt;
}

const boost::json::array* ObjectReader::array(std::string_view name, std::size_t min_items,
                                              std::size_t max_items) {
  const auto* value = find(name);
  if (value == nullptr) {
    if (min_items > 0) add_error(name, "required", "is required");
    return nullptr;
  }
  if (!value->is_array()) {
    add_error(name, "type", "must be an array");
    return nullptr;
  }
  const auto& items = value->get_array();
  if (items.size() < min_items) {
    add_error(name, "min_items", "must have at least " + std::to_string(min_items) + " items");
    return nullptr;
  }
  if (items.size() > max_items) {
    add_error(name, "max_items", "must have at most " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return &items;
}

const boost::json::object* ObjectReader::object(std::string_view name) {
  const auto* value = find(name);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    add_error(name, "type", "must be an object");
    return nullptr;
  }
  return &value->get_object();
}

void ObjectReader::reject_unknown() {
  for (const auto& [key, value] : object_) {
    if (std::find(seen_.begin(), seen_.end(), std::string_view(key)) == seen_.end()) {
      errors_.push_back(FieldError{path(key), "unknown_field", "is not a known field"});
    }
  }
}

std::string join(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace reelgen::core
