// Which primary serves each of the 16384 hash slots, as CLUSTER SLOTS says.
// Pure data and parsing, so it is tested without a cluster.
//
//   DF_ASSIGN_OR_RETURN(SlotMap map, ParseClusterSlots(reply, "10.0.0.5"));
//   const RedisNodeAddress* owner = map.OwnerOf(KeyHashSlot(key));
//
// Why CLUSTER SLOTS and not CLUSTER SHARDS (Redis 7.0): routing needs only
// each slot range's primary, which SLOTS gives as a flat list of ranges;
// it has answered since Redis 3.0 and on the managed services and forks
// that speak the Cluster protocol, where SHARDS (7.0+) is not everywhere.
// SHARDS adds per-node health we do not act on: a dead primary shows as
// connection errors and CLUSTERDOWN, and a fail-over as MOVED.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common::redis_internal {

class SlotMap {
 public:
  SlotMap();

  // nullptr if no primary serves `slot` (the cluster lacks coverage).
  const RedisNodeAddress* OwnerOf(int slot) const;
  // Index into primaries() of the owner of `slot`, or -1.
  int OwnerIndexOf(int slot) const { return owner_[slot]; }
  // Every primary that owns at least one slot, each once, ordered by the
  // lowest slot it owns.
  const std::vector<RedisNodeAddress>& primaries() const { return primaries_; }
  // The lowest slot `primaries()[index]` owns.
  int FirstSlotOf(int index) const { return first_slot_[index]; }

  // Points `slot` at `node` (after a MOVED), adding it as a primary if new.
  void Assign(int slot, const RedisNodeAddress& node) { AssignRange(slot, slot, node); }
  // Points slots first..last at `node`.
  void AssignRange(int first, int last, const RedisNodeAddress& node);

 private:
  friend absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply&, const std::string&);
  int IndexOf(const RedisNodeAddress& node);

  std::vector<RedisNodeAddress> primaries_;
  std::vector<int> first_slot_;
  std::vector<int16_t> owner_;  // per slot: index into primaries_, or -1
};

// Reads a CLUSTER SLOTS reply: [[start, end, [host, port, id, ...],
// replicas...]...]. A primary announced without an address (empty, "?" or
// nil: cluster-preferred-endpoint-type unknown-endpoint) is reached at
// `asked_host`, the host that answered, on the announced port. INTERNAL if
// the reply is not shaped so; an empty map is not an error here.
absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply& reply, const std::string& asked_host);

}  // namespace dermaflow::common::redis_internal
