// Keeps grpc.health.v1 in step with Redis: NOT_SERVING while Redis does not
// answer PING, SERVING again once it does. Redis is the system of record, so
// a service without it must not receive traffic.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/health_check_service_interface.h"

namespace dermaflow::common {

// Health name that is SERVING while the process runs, for liveness probes.
inline constexpr std::string_view kLivenessServiceName = "liveness";

class HealthMonitor {
 public:
  // `probe` returns true when the dependency is healthy.
  HealthMonitor(std::vector<grpc::HealthCheckServiceInterface*> targets,
                std::function<bool()> probe, absl::Duration interval = absl::Seconds(1));
  ~HealthMonitor();  // Stops the probe thread.

  // Serving from now on only if the probe passes; false forever after.
  void ShutDown();
  bool serving() const { return serving_; }

 private:
  void Run();
  void Publish(bool serving);

  std::vector<grpc::HealthCheckServiceInterface*> targets_;
  std::function<bool()> probe_;
  absl::Duration interval_;
  std::atomic<bool> serving_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dermaflow::common
