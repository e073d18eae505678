// Where a command goes in a Redis Cluster: to the primary owning its keys'
// hash slot, to any node, to every primary, or (SCAN) to each in turn.
// Pure, so the table is tested without a cluster.
//
//   DF_ASSIGN_OR_RETURN(CommandRoute route, RouteCommand({"HGET", key, "pb"}));
//   if (route.target == CommandRoute::Target::kSlot) ... route.slot ...
//
// The table lists the commands this code base sends (and the usual
// single-key ones). A command not in it is refused rather than guessed:
// sending it to an arbitrary node could read or write the wrong shard.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dermaflow::common::redis_internal {

struct CommandRoute {
  enum class Target {
    kSlot,          // the primary owning `slot`
    kAnyNode,       // keyless and the same everywhere (TIME, INFO, CONFIG GET)
    kEveryPrimary,  // keyless and per node (PING, SCRIPT, FLUSHALL, BGREWRITEAOF)
    kScan,          // SCAN: walks every primary's keyspace (cluster_scan.h)
  };
  Target target = Target::kAnyNode;
  int slot = -1;  // kSlot only
  // Index in argv of the first key (kSlot), for error messages.
  int first_key = -1;
};

// INVALID_ARGUMENT for an empty argv, a command without a routing rule, one
// whose keys cannot be found (EVAL numkeys, XREAD without STREAMS), or a
// multi-key command whose keys are in different hash slots. The message
// names the command and the slots, never the keys (they may name a patient
// record).
absl::StatusOr<CommandRoute> RouteCommand(const std::vector<std::string>& argv);

// True for the refusal RouteCommand gives to keys in different slots.
bool IsCrossSlotRefusal(const absl::Status& status);

}  // namespace dermaflow::common::redis_internal
