#pragma once
// Structured logging: one JSON object per line on stdout (pretty "ts level msg k=v" on a TTY).

#include <boost/json/object.hpp>
#include <string_view>

namespace reelgen::core {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// Returns nullopt-like off when name is unknown; accepted: debug, info, warn, error, off.
bool parse_log_level(std::string_view name, LogLevel& level);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);

// Writes one line atomically (a single write(2)); safe from any thread.
void log(LogLevel level, std::string_view message, const boost::json::object& fields = {});

inline void log_info(std::string_view m, const boost::json::object& f = {}) {
  log(LogLevel::info, m, f);
}
inline void log_warn(std::string_view m, const boost::json::object& f = {}) {
  log(LogLevel::warn, m, f);
}
inline void log_error(std::string_view m, const boost::json::object& f = {}) {
  log(LogLevel::error, m, f);
}

}  // namespace reelgen::core
