// notification_bench: the whole machine's CPU time (all processes, all
// cores) from /proc/stat, so a phase can show how much of the machine was
// idle, and how much went to processes other than the bench's, while it ran.
//
//   MachineCpu m0 = ReadMachineCpu();  ...;  double idle = ReadMachineCpu().idle_s - m0.idle_s;
#pragma once

#include <unistd.h>

#include <fstream>
#include <string>

namespace dermaflow::bench {

struct MachineCpu {
  double busy_s = 0;  // user, nice, system, irq, softirq, steal: summed over cores
  double idle_s = 0;  // idle + iowait
};

inline MachineCpu ReadMachineCpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {(user + nice + system + irq + softirq + steal) / tick, (idle + iowait) / tick};
}

}  // namespace dermaflow::bench
