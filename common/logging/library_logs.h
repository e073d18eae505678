// Protobuf and gRPC write their own log lines ("[libprotobuf ERROR …]",
// "E1205 … grpc …") to stderr in their own formats; a request with invalid
// UTF-8 produced one such line per call, unauthenticated (issue 16). This
// routes both through Log() as JSON lines with "source", and at most
// kLibraryLogLinesPerSecond per second; the next line written says how many
// were dropped ("suppressed").
//
//   RouteLibraryLogs();  // once at start, by the server bootstrap
#pragma once

#include <cstdint>
#include <string_view>

namespace dermaflow::common {

inline constexpr int kLibraryLogLinesPerSecond = 5;

void RouteLibraryLogs();

// The limiter behind it, for tests: true when a line at `now_seconds`
// may be written; *suppressed is then the count dropped since the last one.
class LogRateLimiter {
 public:
  explicit LogRateLimiter(int per_second) : per_second_(per_second) {}
  bool Allow(int64_t now_seconds, int64_t* suppressed);

 private:
  const int per_second_;
  int64_t second_ = -1;
  int written_ = 0;
  int64_t dropped_ = 0;
};

}  // namespace dermaflow::common
