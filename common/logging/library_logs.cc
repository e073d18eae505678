#include "common/logging/library_logs.h"

#include <grpc/support/log.h>

#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"
#include "google/protobuf/stubs/logging.h"

namespace dermaflow::common {
namespace {

// `fatal`: the line that explains a crash is never dropped.
void Write(LogLevel level, bool fatal, std::string_view source, std::string_view message,
           const char* file, int line) {
  static std::mutex mu;
  static LogRateLimiter limiter(kLibraryLogLinesPerSecond);
  int64_t suppressed = 0;
  if (!fatal) {
    std::lock_guard<std::mutex> lock(mu);
    if (!limiter.Allow(absl::ToUnixSeconds(absl::Now()), &suppressed)) return;
  }
  // gRPC's lines can quote peer addresses or metadata: bounded like errors.
  constexpr size_t kMaxLibraryLogBytes = 2048;
  const std::string_view shown = message.substr(0, kMaxLibraryLogBytes);
  Log(level, shown,
      {{"source", std::string(source)},
       {"at", absl::StrCat(file ? file : "?", ":", line)},
       {"suppressed", absl::StrCat(suppressed)}});
}

void FromProtobuf(google::protobuf::LogLevel level, const char* file, int line,
                  const std::string& message) {
  const LogLevel ours = level >= google::protobuf::LOGLEVEL_ERROR     ? LogLevel::kError
                        : level == google::protobuf::LOGLEVEL_WARNING ? LogLevel::kWarning
                                                                      : LogLevel::kInfo;
  Write(ours, level == google::protobuf::LOGLEVEL_FATAL, "protobuf", message, file, line);
}

void FromGrpc(gpr_log_func_args* args) {
  const LogLevel ours = args->severity == GPR_LOG_SEVERITY_ERROR  ? LogLevel::kError
                        : args->severity == GPR_LOG_SEVERITY_INFO ? LogLevel::kInfo
                                                                  : LogLevel::kDebug;
  Write(ours, /*fatal=*/false, "grpc", args->message ? args->message : "", args->file, args->line);
}

}  // namespace

bool LogRateLimiter::Allow(int64_t now_seconds, int64_t* suppressed) {
  if (now_seconds != second_) {
    second_ = now_seconds;
    written_ = 0;
  }
  if (written_ >= per_second_) {
    ++dropped_;
    return false;
  }
  ++written_;
  *suppressed = dropped_;
  dropped_ = 0;
  return true;
}

void RouteLibraryLogs() {
  google::protobuf::SetLogHandler(&FromProtobuf);
  gpr_set_log_function(&FromGrpc);
}

}  // namespace dermaflow::common
