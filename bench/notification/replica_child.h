// notification_bench --replica_child: the other end of ReplicaProcess. One
// engine (intake + dispatcher, as one pod runs them) on the phase's Redis:
// says "ready" once connected, starts on "go", runs until its stdin closes,
// then prints "delivered <n>" (its own delivered counter) and returns 0;
// any failure goes to stderr and returns 1.
//
//   if (absl::GetFlag(FLAGS_replica_child)) return RunReplicaChild(url, options);
#pragma once

#include <string>

#include "bench/notification/engine_harness.h"

namespace dermaflow::bench {

int RunReplicaChild(const std::string& redis_url, const EngineOptions& options);

}  // namespace dermaflow::bench
