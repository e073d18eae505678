// notification_bench: CPU seconds (user + system) this process has used so
// far, all threads (getrusage RUSAGE_SELF).
#pragma once

#include <sys/resource.h>

namespace dermaflow::bench {

inline double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

}  // namespace dermaflow::bench
