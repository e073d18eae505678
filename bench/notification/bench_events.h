// notification_bench: the events and ids it feeds the engine, shaped like the
// real services' (patients 32 hex, scheduling "ap_"/"co_" + 20 hex), and a
// checked, batched publisher: a failed XADD fails the bench loudly instead of
// leaving it waiting for events that never arrived.
//
//   Publish(redis, kOrg, 0, n, [&](int i) { return BookedSoon(i, patients, protocol, now); });
#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "dermaflow/events/v1/events.pb.h"

namespace dermaflow::bench {

inline constexpr char kOrg[] = "bench-clinics";
inline constexpr char kHydralift[] = "8f14e45fceea167a5a36dedd4bea2543";

std::string PatientId(int i);
std::string SchedulingId(const char* prefix, int i);

// Appointment i of patient (i % patients) booked now, starting in two hours:
// its 24 h reminder is already past, so the shortest lead is due at once.
events::v1::Event BookedSoon(int i, int patients, absl::Time now);
// Course i completed now: MAINTENANCE + MAINTENANCE_NUDGE far in the future.
events::v1::Event CourseDone(int i, absl::Time now);

// XADDs events [first, first + count) made by `make`, 1000 per pipeline, and
// registers the organization. Throws on any failed command.
void Publish(common::RedisClient& redis, int first, int count,
             const std::function<events::v1::Event(int)>& make);

}  // namespace dermaflow::bench
