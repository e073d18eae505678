#include "common/server/health_monitor.h"

#include "common/logging/log.h"

namespace dermaflow::common {

HealthMonitor::HealthMonitor(std::vector<grpc::HealthCheckServiceInterface*> targets,
                             std::function<bool()> probe, absl::Duration interval)
    : targets_(std::move(targets)), probe_(std::move(probe)), interval_(interval) {
  Publish(probe_());
  thread_ = std::thread([this] { Run(); });
}

HealthMonitor::~HealthMonitor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HealthMonitor::ShutDown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto* t : targets_) t->Shutdown();  // NOT_SERVING for every service, for good
  serving_ = false;
}

void HealthMonitor::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    bool healthy = probe_();
    lock.lock();
    if (!stopping_ && healthy != serving_) Publish(healthy);
  }
}

void HealthMonitor::Publish(bool serving) {
  if (serving != serving_) {
    LogInfo(serving ? "redis reachable: SERVING" : "redis unreachable: NOT_SERVING");
  }
  serving_ = serving;
  for (auto* t : targets_) {
    t->SetServingStatus(serving);
    // Liveness says only that the process runs; kubelet must not restart
    // pods because Redis is away.
    t->SetServingStatus(std::string(kLivenessServiceName), true);
  }
}

}  // namespace dermaflow::common
