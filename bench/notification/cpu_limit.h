// notification_bench: a CPU-limited cgroup for one process, as Kubernetes
// gives a pod with resources.limits.cpu (a CFS quota per 100 ms period), so a
// bench replica gets a share of a core rather than whatever the machine has
// free. cgroup v2 (cpu.max) where the unified hierarchy has the cpu
// controller, else cgroup v1 (/sys/fs/cgroup/cpu, cpu.cfs_quota_us); throws
// naming the file when neither can be written, never runs unlimited.
//
//   CpuLimit limit("dermaflow-bench-replica-0", 0.25);  // a quarter of a core
//   limit.Add(child_pid);
//   CpuThrottling t = limit.Throttling();                // periods the quota bit
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace dermaflow::bench {

struct CpuThrottling {
  int64_t periods = 0;    // CFS periods in which the group ran
  int64_t throttled = 0;  // of them, periods that ended with the quota used up
};

class CpuLimit {
 public:
  // Creates cgroup `name` with a quota of `cores` CPUs per 100 ms period
  // (0.01 <= cores <= 64). Throws on a bad `cores` or when no cgroup cpu
  // controller can be written.
  CpuLimit(const std::string& name, double cores);
  // Moves any process still inside back to the parent group and removes
  // the group (warns on stderr if it cannot: a leftover empty group is
  // harmless, but should be seen).
  ~CpuLimit();
  CpuLimit(const CpuLimit&) = delete;
  CpuLimit& operator=(const CpuLimit&) = delete;

  // Removes the empty groups "<prefix><pid>-..." left by benches that were
  // killed before their destructors ran (pid no longer alive).
  static void RemoveAbandoned(const std::string& prefix);

  void Add(pid_t pid);  // throws if the pid cannot be moved in
  CpuThrottling Throttling() const;
  const std::string& path() const { return path_; }
  // How the limit is set, e.g. "cgroup v1, cpu.cfs_quota_us 25000 per
  // cpu.cfs_period_us 100000".
  std::string Describe() const;

 private:
  std::string parent_;  // the hierarchy's directory the group was made in
  std::string path_;
  bool v2_ = false;
  int64_t quota_us_ = 0;
};

}  // namespace dermaflow::bench
