#include "bench/scheduling/process_cpu.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace dermaflow::bench {

absl::Duration ProcessCpu(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return absl::ZeroDuration();
  // The command name (field 2) may hold spaces: count fields after its ')'.
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return absl::ZeroDuration();
  std::vector<std::string> fields = absl::StrSplit(line.substr(paren + 2), ' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  if (fields.size() < 13) return absl::ZeroDuration();
  long long utime = 0;
  long long stime = 0;
  if (!absl::SimpleAtoi(fields[11], &utime) || !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::ZeroDuration();
  }
  static const long ticks = sysconf(_SC_CLK_TCK);
  return absl::Seconds(static_cast<double>(utime + stime) / static_cast<double>(ticks));
}

absl::StatusOr<absl::Duration> RedisCpu(common::RedisClient& redis) {
  absl::StatusOr<common::RedisReply> reply = redis.Command({"INFO", "cpu"});
  if (!reply.ok()) return reply.status();
  double total = 0;
  for (absl::string_view line : absl::StrSplit(reply->str(), "\r\n")) {
    for (absl::string_view name : {"used_cpu_user:", "used_cpu_sys:"}) {
      if (absl::ConsumePrefix(&line, name)) {
        double seconds = 0;
        if (!absl::SimpleAtod(line, &seconds)) return absl::InternalError("bad INFO cpu line");
        total += seconds;
      }
    }
  }
  return absl::Seconds(total);
}

}  // namespace dermaflow::bench
