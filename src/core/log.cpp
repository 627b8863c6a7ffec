#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "core/json.hpp"

namespace reelgen::core {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::info)};

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error", "off"};

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

void write_all(const std::string& line) {
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n <= 0) return;  // a closed stdout must not take the server down
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

bool parse_log_level(std::string_view name, LogLevel& level) {
  for (int i = 0; i <= static_cast<int>(LogLevel::off); ++i) {
    if (kLevelNames[i] == name) {
      level = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

void set_log_level(LogLevel level) { g_level.store(static_cast<int>(level)); }

bool log_enabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void log(LogLevel level, std::string_view message, const boost::json::object& fields) {
  if (!log_enabled(level) || level == LogLevel::off) return;
  static const bool pretty = ::isatty(STDOUT_FILENO) == 1;
  std::string line;
  if (pretty) {
    line = timestamp() + " " + std::string(kLevelNames[static_cast<int>(level)]) + " " +
           std::string(message);
    for (const auto& [key, value] : fields) {
      line += " " + std::string(key) + "=" + to_json(value);
    }
  } else {
    boost::json::object obj;
    obj.reserve(fields.size() + 3);
    obj["ts"] = timestamp();
    obj["level"] = kLevelNames[static_cast<int>(level)];
    obj["msg"] = message;
    for (const auto& [key, value] : fields) obj[key] = value;
    line = to_json(obj);
  }
  line.push_back('\n');
  write_all(line);
}

}  // namespace reelgen::core
