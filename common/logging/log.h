// JSON-lines logging: one object per line on stderr with time, level,
// service, message and flat fields. Our own ~100 lines rather than spdlog:
// Debian's Abseil has no absl/log, and spdlog would still need our own JSON
// escaping and field handling, so it would add a dependency and no safety.
//
// Never log patient names, contacts or medical fields: log ids.
//
//   LogInfo("patient created", {{"patient_id", id}, {"org", org}});
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace dermaflow::common {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogField = std::pair<std::string_view, std::string>;

// Set once at start by the server bootstrap.
void SetLogServiceName(std::string_view service);
void SetMinLogLevel(LogLevel level);
// Parses "debug", "info", "warning", "error"; false when unknown.
bool ParseLogLevel(std::string_view text, LogLevel* level);

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void LogDebug(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kDebug, m, f);
}
inline void LogInfo(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, m, f);
}
inline void LogWarning(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarning, m, f);
}
inline void LogError(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, m, f);
}

// Builds the line without writing it (for tests).
std::string FormatLogLine(LogLevel level, std::string_view service, std::string_view message,
                          std::initializer_list<LogField> fields, std::string_view time);

// Escapes a string for a JSON string literal (without the quotes).
std::string JsonEscape(std::string_view text);

}  // namespace dermaflow::common
