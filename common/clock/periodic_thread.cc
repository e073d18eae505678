#include "common/clock/periodic_thread.h"

#include <chrono>
#include <utility>

namespace dermaflow::common {

PeriodicThread::PeriodicThread(absl::Duration interval, std::function<void()> task,
                               bool run_at_start)
    : interval_(interval), task_(std::move(task)), run_at_start_(run_at_start) {}

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    const auto interval = absl::ToChronoNanoseconds(interval_);
    if (run_at_start_) task_();
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      task_();
      lock.lock();
    }
  });
}

void PeriodicThread::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  cv_.notify_all();
  if (thread.joinable()) thread.join();
}

bool PeriodicThread::StopRequested() {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

bool PeriodicThread::SleepUnlessStopped(absl::Duration d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, absl::ToChronoNanoseconds(d), [this] { return stopping_; });
}

}  // namespace dermaflow::common
