#include "common/logging/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace dermaflow::common {
namespace {

std::mutex& OutputMutex() {
  static std::mutex* mu = new std::mutex();
  return *mu;
}
std::string& ServiceName() {
  static std::string* name = new std::string("dermaflow");
  return *name;
}
std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void SetLogServiceName(std::string_view service) {
  std::lock_guard<std::mutex> lock(OutputMutex());
  ServiceName() = std::string(service);
}

void SetMinLogLevel(LogLevel level) { min_level = static_cast<int>(level); }

bool ParseLogLevel(std::string_view text, LogLevel* level) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (text == LevelName(l)) {
      *level = l;
      return true;
    }
  }
  return false;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {  // DEL too: YAML (dermactl -o yaml) requires it
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string FormatLogLine(LogLevel level, std::string_view service, std::string_view message,
                          std::initializer_list<LogField> fields, std::string_view time) {
  std::string line =
      absl::StrFormat(R"({"time":"%s","level":"%s","service":"%s","message":"%s")", time,
                      LevelName(level), JsonEscape(service), JsonEscape(message));
  for (const auto& [key, value] : fields) {
    absl::StrAppendFormat(&line, R"(,"%s":"%s")", JsonEscape(key), JsonEscape(value));
  }
  line += "}";
  return line;
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (static_cast<int>(level) < min_level.load()) return;
  std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::lock_guard<std::mutex> lock(OutputMutex());
  std::string line = FormatLogLine(level, ServiceName(), message, fields, time);
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace dermaflow::common
