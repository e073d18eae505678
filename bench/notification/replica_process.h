// notification_bench: one notification replica as its own OS process (the
// bench re-executed in --replica_child mode), talked to over its stdin and
// stdout:
//   child -> "ready"            engine built, connected, waiting
//   parent -> "go"              start intake and dispatcher
//   parent closes stdin         stop, and report
//   child -> "delivered <n>"    the engine's own delivered counter; exit 0
// The child gets SIGKILL when the parent dies (PR_SET_PDEATHSIG, set between
// fork and exec), and the destructor SIGKILLs and reaps it by pid if it is
// still running, so no replica outlives the bench, also on an exception.
//
//   ReplicaProcess r({"--redis_url=" + url, "--consumer=replica-0"});
//   limit.Add(r.pid()); r.WaitReady(); r.Go(); ... ; int64_t n = r.StopAndReport();
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace dermaflow::bench {

class ReplicaProcess {
 public:
  // Starts /proc/self/exe --replica_child plus `flags`; stderr is shared
  // with the bench, so a child's failure is printed where the bench's is.
  explicit ReplicaProcess(const std::vector<std::string>& flags);
  ~ReplicaProcess();
  ReplicaProcess(const ReplicaProcess&) = delete;
  ReplicaProcess& operator=(const ReplicaProcess&) = delete;

  pid_t pid() const { return pid_; }
  void WaitReady();  // throws if "ready" does not come within 30 s
  void Go();
  // Closes its stdin, reads "delivered <n>" and waits for exit 0 (throws
  // otherwise, within 30 s); returns n.
  int64_t StopAndReport();
  // user + system CPU of all its threads so far, seconds (/proc/<pid>/stat
  // utime + stime; clock-tick resolution, 10 ms).
  double CpuSeconds() const;

 private:
  // The next line from the child's stdout without the newline; throws on
  // EOF or when none comes within `timeout`.
  std::string ReadLine(std::chrono::milliseconds timeout);
  int WaitExit(std::chrono::milliseconds timeout);  // exit code, or -1 on timeout

  pid_t pid_ = -1;
  int to_child_ = -1;    // the child's stdin
  int from_child_ = -1;  // the child's stdout
  std::string buffered_;
  bool reaped_ = false;
};

}  // namespace dermaflow::bench
