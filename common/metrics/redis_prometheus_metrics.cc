#include "common/metrics/redis_prometheus_metrics.h"

#include <string>

namespace dermaflow::common {
namespace {

// Redis answers in well under a millisecond on a healthy network.
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
  return *buckets;
}

}  // namespace

RedisPrometheusMetrics::RedisPrometheusMetrics(prometheus::Registry& registry)
    : commands_(prometheus::BuildCounter()
                    .Name("dermaflow_redis_commands_total")
                    .Help("Redis commands sent, by command and result (a gRPC code name).")
                    .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("dermaflow_redis_command_duration_seconds")
                    .Help("Time from sending a Redis command to its reply.")
                    .Register(registry)),
      connects_(prometheus::BuildCounter()
                    .Name("dermaflow_redis_connects_total")
                    .Help("Attempts to open a Redis connection, by result.")
                    .Register(registry)) {}

void RedisPrometheusMetrics::OnCommand(std::string_view command, absl::Duration latency,
                                       absl::StatusCode code) {
  std::string name(command);
  commands_.Add({{"command", name}, {"result", absl::StatusCodeToString(code)}}).Increment();
  duration_.Add({{"command", name}}, DurationBuckets()).Observe(absl::ToDoubleSeconds(latency));
}

void RedisPrometheusMetrics::OnConnect(absl::StatusCode code) {
  connects_.Add({{"result", absl::StatusCodeToString(code)}}).Increment();
}

}  // namespace dermaflow::common
