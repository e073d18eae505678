// What RedisClient reports about each call, so the metrics layer can count
// Redis commands and latencies without this library depending on prometheus.
//
//   class PrometheusRedisMetrics : public RedisMetrics {
//     void OnCommand(std::string_view command, absl::Duration latency,
//                    absl::StatusCode code) override { ... }
//   };
//   RedisClient redis(options, &prometheus_redis_metrics);
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dermaflow::common {

// One primary as the last health check (RedisClient::Ping) found it.
struct RedisNodeHealth {
  std::string node;  // "host:port", as the client reaches it
  bool up = false;   // answered as a serving primary
};

// Why a command failed on a node for the node's own reasons, never the
// command's (a script's error, WRONGTYPE, an ACL refusal are not counted):
//   connect   no connection could be opened (refused, unreachable, AUTH)
//   timeout   no reply within the command's timeout
//   io        the connection broke mid-command (reset, closed by Redis)
//   loading   LOADING: the node is reading its dataset after a restart
//   busy      BUSY: a script runs past lua-time-limit
//   oom       OOM: maxmemory reached
//   misconf   MISCONF: the node cannot write its RDB/AOF (disk)
//   readonly  READONLY, NOREPLICAS: the node refuses writes (demoted, or
//             min-replicas-to-write not met)
inline constexpr std::array<std::string_view, 8> kRedisNodeErrorKinds = {
    "connect", "timeout", "io", "loading", "busy", "oom", "misconf", "readonly"};

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
  // Redis Cluster only. After each good reload: how many primaries the map
  // names. (No replica count: the map is reloaded when a primary changes,
  // not when a replica does, so such a count would go stale.)
  virtual void OnClusterPrimaries(int primaries) {}

  // Per node: `node` is "host:port", infrastructure and never patient data,
  // and there are as many as the primaries in use, so it is safe as a label.
  // After each health check: every primary in the client's view (a
  // Cluster's slot map, the primary Sentinel names, the one server) and
  // whether it answered. A node missing from the list has left the view.
  virtual void OnPrimariesChecked(const std::vector<RedisNodeHealth>& primaries) {}
  // A command on `node` failed for the node's own reason; `kind` is one of
  // kRedisNodeErrorKinds.
  virtual void OnNodeError(std::string_view node, std::string_view kind) {}
};

}  // namespace dermaflow::common
