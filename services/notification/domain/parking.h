// When a SCHEDULED reminder waits outside the due queue. Reminders due far
// ahead are "parked": their ids wait in one bucket per UTC day instead of
// the queue's sorted set (a 16-byte id instead of a skiplist node), and a
// promoter moves a day into the queue a while before it starts. Pure, so the
// writer's and the promoter's rules are tested together without Redis.
//
//   if (ShouldPark(due_ms, now_ms, absl::Hours(48))) ... ParkDay(due_ms) ...
//   for (day in parked days) if (day <= LastPromotableDay(now_ms, absl::Hours(48))) promote
//
// Invariant: a writer never parks into a day the promoter already takes
// (ShouldPark is false for every day up to LastPromotableDay), so with the
// 48 h default each reminder is in the queue at least a day before it is due.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace dermaflow::notification {

inline constexpr int64_t kParkDayMs = int64_t{24} * 60 * 60 * 1000;
// Parked ids are concatenated without separators: every one is this long.
inline constexpr size_t kParkedIdLength = 16;

// The UTC day (days since the epoch) `ms` falls in.
int64_t ParkDay(int64_t ms);
// The first millisecond of `day`.
int64_t ParkDayStartMs(int64_t day);

// The last day whose parked reminders belong in the queue at `now_ms`: the
// days starting before now + park_after / 2.
int64_t LastPromotableDay(int64_t now_ms, absl::Duration park_after);

// True when a reminder due at `due_ms`, written at `now_ms`, is parked:
// parking is on (park_after > 0), it is due at least park_after ahead, its
// day is not promotable yet, and its id has the fixed width the buckets
// hold (ReminderId; anything else simply stays in the queue).
bool ShouldPark(const std::string& id, int64_t due_ms, int64_t now_ms, absl::Duration park_after);

}  // namespace dermaflow::notification
