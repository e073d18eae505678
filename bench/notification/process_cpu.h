// notification_bench: CPU seconds (user + system) this process has used so
// far, all threads (getrusage RUSAGE_SELF); and how long a process's main
// thread has waited runnable for a CPU (/proc/<pid>/schedstat), which shows
// a single-threaded server short of CPU even where its own CPU time is not
// a whole core.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <fstream>
#include <string>

namespace dermaflow::bench {

inline double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// 0 where the kernel keeps no schedstat.
inline double RunQueueWaitSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
  double on_cpu_ns = 0, waiting_ns = 0;
  in >> on_cpu_ns >> waiting_ns;
  return waiting_ns / 1e9;
}

}  // namespace dermaflow::bench
