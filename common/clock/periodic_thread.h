// A thread that runs one task every `interval` of real time until stopped:
// heartbeats that must keep beating while the thread that does the work is
// busy (renewing claim leases, keeping pending stream entries fresh), and
// the services' background sweeps (retention, erasure rewrites). Stop()
// wakes it at once instead of waiting out the interval, and a long task
// can ask StopRequested() between steps, or pause with SleepUnlessStopped.
//
//   PeriodicThread beat(absl::Seconds(3), [&] { (void)RenewLeases(); });
//   beat.Start();  ...  beat.Stop();  // also in the destructor
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace dermaflow::common {

class PeriodicThread {
 public:
  // The first run is one interval after Start(), or at once with
  // `run_at_start`.
  PeriodicThread(absl::Duration interval, std::function<void()> task, bool run_at_start = false);
  ~PeriodicThread();
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Idempotent; a stopped thread can be started again.
  void Start();
  // Waits for a run in progress to end. Idempotent.
  void Stop();

  // True once Stop() was called (for a task that works in steps).
  bool StopRequested();
  // Sleeps up to `d`; false as soon as Stop() is called.
  bool SleepUnlessStopped(absl::Duration d);

 private:
  const absl::Duration interval_;
  const std::function<void()> task_;
  const bool run_at_start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dermaflow::common
