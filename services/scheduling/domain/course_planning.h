// Course planning: where each session of a treatment course goes. Session k
// is planned on the first session's local date + (k-1) x interval days at the
// same local time of day, so a weekly 10:00 stays 10:00 across a DST change
// (its UTC offset moves instead). When that time cannot be booked, the nearest
// bookable time within the protocol's tolerance is taken; if there is none,
// nothing is planned (all or nothing). Pure: the caller says what is bookable.
//
//   auto starts = PlanCourseSessions(request, [&](int index, absl::Time start) {
//     return TryTake(index, start);  // OK and remembered, or why not
//   });
#pragma once

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dermaflow::scheduling {

struct CoursePlanRequest {
  absl::TimeZone time_zone;
  absl::Time first_start;
  int session_count = 1;
  int interval_days = 0;  // CoursePlan.interval in whole days
  // How far a follow-on session may move from its ideal time (CoursePlan.
  // tolerance): whole days count calendar days, like every protocol offset.
  absl::Duration tolerance = absl::ZeroDuration();
  absl::Duration step = absl::Minutes(15);  // the clinic's slot interval
};

// The ideal start of session `index` (1-based): local date of first_start +
// (index-1) x interval_days, at first_start's local time of day.
absl::Time IdealSessionStart(const CoursePlanRequest& request, int index);

// Where session `index` may go, in order of preference: its ideal start,
// then ideal -/+ step, -/+ 2 x step, ... (earlier first on equal distance),
// as long as the local-clock distance stays within the tolerance. Local times
// skipped by a DST change are left out.
std::vector<absl::Time> CandidateStarts(const CoursePlanRequest& request, int index);

// Asks `try_take(index, start)` whether a session can go there; it returns OK
// after remembering the session (so later sessions see it as busy) or an
// error saying why not.
using TryTakeSession = absl::FunctionRef<absl::Status(int index, absl::Time start)>;

// Plans every session. Session 1 must go exactly at first_start: its error
// is returned as it is. A later session takes the first candidate that
// try_take accepts; when none does, FAILED_PRECONDITION NO_SLOT_IN_TOLERANCE
// (subject session/<index>). Errors other than FAILED_PRECONDITION and
// ALREADY_EXISTS (e.g. UNAVAILABLE) stop planning at once.
absl::StatusOr<std::vector<absl::Time>> PlanCourseSessions(const CoursePlanRequest& request,
                                                           TryTakeSession try_take);

// Maintenance due date: `last_session_day` + `months` calendar months, the
// day clamped to the month's end (31 Aug + 6 months = 28/29 Feb).
absl::CivilDay AddCalendarMonths(absl::CivilDay last_session_day, int months);

}  // namespace dermaflow::scheduling
