#include "services/scheduling/domain/course_planning.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace dermaflow::scheduling {
namespace {

absl::CivilSecond IdealLocalStart(const CoursePlanRequest& request, int index) {
  const absl::CivilSecond first = absl::ToCivilSecond(request.first_start, request.time_zone);
  const absl::CivilDay day = absl::CivilDay(first) + int64_t{index - 1} * request.interval_days;
  return absl::CivilSecond(day) + (first - absl::CivilSecond(absl::CivilDay(first)));
}

bool IsSkipped(absl::CivilSecond local, absl::TimeZone tz) {
  return tz.At(local).kind == absl::TimeZone::TimeInfo::SKIPPED;
}

}  // namespace

absl::Time IdealSessionStart(const CoursePlanRequest& request, int index) {
  return absl::FromCivil(IdealLocalStart(request, index), request.time_zone);
}

std::vector<absl::Time> CandidateStarts(const CoursePlanRequest& request, int index) {
  const absl::CivilSecond ideal = IdealLocalStart(request, index);
  const absl::TimeZone tz = request.time_zone;
  // Distances on the local clock, so "2 days" is two calendar days even when
  // one of them has 23 or 25 hours.
  const int64_t step = std::max<int64_t>(60, absl::ToInt64Seconds(request.step));
  const int64_t tolerance = absl::ToInt64Seconds(request.tolerance);
  std::vector<absl::Time> candidates;
  if (!IsSkipped(ideal, tz)) candidates.push_back(absl::FromCivil(ideal, tz));
  for (int64_t offset = step; offset <= tolerance; offset += step) {
    for (absl::CivilSecond local : {ideal - offset, ideal + offset}) {
      if (!IsSkipped(local, tz)) candidates.push_back(absl::FromCivil(local, tz));
    }
  }
  return candidates;
}

absl::StatusOr<std::vector<absl::Time>> PlanCourseSessions(const CoursePlanRequest& request,
                                                           TryTakeSession try_take) {
  std::vector<absl::Time> starts;
  absl::Status first = try_take(1, request.first_start);
  if (!first.ok()) return first;
  starts.push_back(request.first_start);
  for (int index = 2; index <= request.session_count; ++index) {
    bool taken = false;
    for (absl::Time candidate : CandidateStarts(request, index)) {
      absl::Status status = try_take(index, candidate);
      if (status.ok()) {
        starts.push_back(candidate);
        taken = true;
        break;
      }
      if (status.code() != absl::StatusCode::kFailedPrecondition &&
          status.code() != absl::StatusCode::kAlreadyExists &&
          status.code() != absl::StatusCode::kInvalidArgument) {
        return status;
      }
    }
    if (!taken) {
      return common::FailedPreconditionError(
          absl::StrCat("no bookable time for session ", index, " within the protocol's tolerance"),
          {{"NO_SLOT_IN_TOLERANCE", absl::StrCat("session/", index),
            absl::StrCat("session ", index, " cannot be booked within ",
                         absl::FormatDuration(request.tolerance), " of ",
                         absl::FormatTime("%Y-%m-%d %H:%M %Z", IdealSessionStart(request, index),
                                          request.time_zone))}});
    }
  }
  return starts;
}

absl::CivilDay AddCalendarMonths(absl::CivilDay last_session_day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(last_session_day) + months;
  const absl::CivilDay month_end = absl::CivilDay(month + 1) - 1;
  return absl::CivilDay(month.year(), month.month(),
                        std::min(last_session_day.day(), month_end.day()));
}

}  // namespace dermaflow::scheduling
