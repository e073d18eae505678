// Appends domain events to the organization's stream and registers the
// organization, so consumers (notification) find it.
//
//   EventPublisher publisher(redis, SystemClock());
//   Event event;
//   event.set_organization(org);  // from the caller's token
//   event.set_producer("scheduling");
//   *event.mutable_appointment_booked() = ...;
//   DF_ASSIGN_OR_RETURN(std::string event_id, publisher.Publish(std::move(event)));
//
// Publish runs after a state change, so a crash between the two loses the
// event. Where that matters, append the event inside the store's own Lua
// script, atomically with the change (the stream shares the tenant's hash
// slot, so this also works on Redis Cluster):
//
//   -- KEYS[1] = state key, KEYS[2] = StreamKey(org)
//   -- ARGV[1] = new state, ARGV[2] = SealEvent(event, clock), ARGV[3] = max_len
//   redis.call('SET', KEYS[1], ARGV[1])
//   redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[2])
//
// and make sure the organization is registered once (RegisterOrganization;
// `df:orgs` lives in another slot, so a script cannot do it).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock/clock.h"
#include "common/events/event_stream.h"
#include "common/redis/redis_client.h"
#include "dermaflow/events/v1/events.pb.h"

namespace dermaflow::common {

class EventPublisher {
 public:
  // `redis` and `clock` must outlive the publisher. Thread-safe.
  EventPublisher(RedisClient& redis, const Clock& clock, EventStreamOptions options = {});

  // Fills id (if empty) and occur_time (if unset) as SealEvent does, then in
  // one round trip adds the organization to `df:orgs` and XADDs the event to
  // `df:{org}:events` (MAXLEN ~ max_len). Returns the event id.
  // INVALID_ARGUMENT for a bad organization or a missing payload; Redis
  // errors as RedisClient returns them. On UNAVAILABLE the event may or may
  // not have been appended; publishing it again with the same id is safe.
  absl::StatusOr<std::string> Publish(dermaflow::events::v1::Event event);

  // SADD org to `df:orgs`; idempotent. For services that XADD from Lua.
  absl::Status RegisterOrganization(std::string_view org);

  const EventStreamOptions& options() const { return options_; }

 private:
  RedisClient& redis_;
  const Clock& clock_;
  const EventStreamOptions options_;
};

}  // namespace dermaflow::common
