// CPU time spent by the processes a benchmark drives, so a run can state the
// CPU each request cost in each process: a child by its /proc/<pid>/stat
// (utime + stime, all threads), Redis by its own account (INFO cpu), which
// also covers its I/O threads and needs no pid.
//
//   absl::Duration before = ProcessCpu(pid);
//   ... load ...
//   double us_per_call = absl::ToDoubleMicroseconds(ProcessCpu(pid) - before) / calls;
#pragma once

#include <sys/types.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace dermaflow::bench {

// User + system time of `pid` so far (clock-tick resolution, 10 ms);
// zero if the process is gone.
absl::Duration ProcessCpu(pid_t pid);

// used_cpu_user + used_cpu_sys from INFO cpu (microsecond resolution).
absl::StatusOr<absl::Duration> RedisCpu(common::RedisClient& redis);

}  // namespace dermaflow::bench
