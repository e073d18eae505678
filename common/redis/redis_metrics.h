// What RedisClient reports about each call, so the metrics layer can count
// Redis commands and latencies without this library depending on prometheus.
//
//   class PrometheusRedisMetrics : public RedisMetrics {
//     void OnCommand(std::string_view command, absl::Duration latency,
//                    absl::StatusCode code) override { ... }
//   };
//   RedisClient redis(options, &prometheus_redis_metrics);
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dermaflow::common {

// Called from whichever thread ran the command, so implementations must be
// thread-safe; they should be cheap (they run on the request path).
class RedisMetrics {
 public:
  virtual ~RedisMetrics() = default;

  // One call per Command/Eval/Pipeline/Ping. `command` is the upper-cased
  // command name ("GET", "XADD"), "EVAL:<script name>" for Eval, or
  // "PIPELINE" — a small, fixed set, safe as a label. `code` is OK also when
  // Redis answered with an error reply inside a pipeline.
  virtual void OnCommand(std::string_view command, absl::Duration latency, absl::StatusCode code) {}

  // One call per attempt to open a connection (OK or UNAVAILABLE), so
  // reconnect storms are visible.
  virtual void OnConnect(absl::StatusCode code) {}

  // Sentinel mode: the client moved to a new primary (a fail-over).
  virtual void OnPrimarySwitch() {}

  // A durable write's WAIT: whether enough replicas confirmed it in time.
  virtual void OnDurableWrite(bool acknowledged) {}

  // Redis Cluster only. One call per command a node sent back unrun:
  // `kind` is "moved", "ask", "tryagain" or "clusterdown" (a fixed set; node
  // addresses are left out so the series stay few).
  virtual void OnClusterRedirection(std::string_view kind) {}
  // One call per reload of the slot map (CLUSTER SLOTS), OK or the error.
  virtual void OnClusterMapRefresh(absl::StatusCode code) {}
};

}  // namespace dermaflow::common
