#include "services/scheduling/app/booking/plan_course.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/request_id.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/booking/booking_plan.h"
#include "services/scheduling/app/booking/booking_request.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/booking/busy_calendars.h"
#include "services/scheduling/app/booking/patient_screening.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/course_planning.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

// The course plan of the request on the protocol: the session count (the
// request's, else the protocol's) and the interval, tolerance and grid.
absl::StatusOr<CoursePlanRequest> CoursePlanOf(const v1::PlanCourseRequest& request,
                                               const BookingSubject& s) {
  const protocol::v1::CoursePlan& plan = s.protocol.course_plan();
  const int sessions = request.session_count() > 0 ? request.session_count() : plan.session_count();
  if (sessions == 0) {
    return common::InvalidArgumentError(
        "session_count",
        "required: the protocol leaves the number of sessions to the practitioner");
  }
  CoursePlanRequest course_plan{s.tz,
                                ToTime(request.first_start_time()),
                                sessions,
                                static_cast<int>(ToDuration(plan.interval()) / absl::Hours(24)),
                                ToDuration(plan.tolerance()),
                                SlotIntervalOf(s.clinic)};
  if (sessions > 1 && course_plan.interval_days < 1) {
    return common::FailedPreconditionError(
        "the protocol has no interval between sessions",
        {{"COURSE_PLAN", absl::StrCat("protocol/", s.protocol.id()),
          "course_plan.interval must be at least one day"}});
  }
  return course_plan;
}

// Where each session goes and the room it was planned in (by session index).
struct SessionPlan {
  std::vector<absl::Time> starts;
  std::map<int, std::string> rooms;
};

// Plans every session against the calendars as read now, each planned
// session counting as busy for the next.
absl::StatusOr<SessionPlan> PlanSessions(SchedulingDeps& deps, const std::string& org,
                                         const BookingSubject& s, const std::string& patient_id,
                                         const CoursePlanRequest& course_plan, absl::Time now) {
  const Interval window{course_plan.first_start - course_plan.tolerance - absl::Hours(24),
                        IdealSessionStart(course_plan, course_plan.session_count) +
                            course_plan.tolerance + absl::Hours(48)};
  DF_ASSIGN_OR_RETURN(BusyCalendars calendars, LoadBusyCalendars(deps, org, s, patient_id, window));
  SessionPlan plan;
  auto try_take = [&](int index, absl::Time start) -> absl::Status {
    if (index > 1) DF_RETURN_IF_ERROR(CheckStartTime(start, now, "first_start_time"));
    const Interval occupied = s.Occupied(start);
    DF_RETURN_IF_ERROR(CheckSessionRules(s, occupied));
    DF_ASSIGN_OR_RETURN(std::string room, FreeRoomFor(calendars, s, patient_id, index, start));
    calendars.practitioner.Add(occupied);
    calendars.patient.Add({start, start + s.duration()});
    calendars.rooms.at(room).Add(occupied);
    plan.rooms[index] = room;
    return absl::OkStatus();
  };
  DF_ASSIGN_OR_RETURN(plan.starts, PlanCourseSessions(course_plan, try_take));
  return plan;
}

// validate_only: the course as it would be booked now, without ids or etags.
v1::Course Preview(PlannedCourse planned, const std::map<int, std::string>& rooms) {
  v1::Course& course = planned.course;
  course.clear_id();
  course.clear_etag();
  course.clear_appointment_ids();
  for (v1::Appointment& a : planned.snapshot.appointments) {
    a.set_room_id(rooms.at(a.course_session_index()));
    a.clear_id();
    a.clear_etag();
    a.clear_course_id();
    *course.add_appointments() = std::move(a);
  }
  return std::move(course);
}

// Everything after the first request_id check: load, screen, plan and book,
// planning again when a session was taken since the calendars were read.
absl::StatusOr<v1::Course> PlanAndBook(SchedulingDeps& deps, const CallContext& call,
                                       const v1::PlanCourseRequest& request,
                                       const std::string& fingerprint, absl::Time now) {
  const std::string& org = call.caller.organization;
  DF_ASSIGN_OR_RETURN(
      BookingSubject s,
      LoadBookingSubject(deps, call,
                         {request.clinic_id(), request.practitioner_id(), request.room_id(),
                          request.protocol_id(), 0, &request.areas()}));
  DF_ASSIGN_OR_RETURN(CoursePlanRequest course_plan, CoursePlanOf(request, s));
  DF_ASSIGN_OR_RETURN(std::optional<v1::Override> override_,
                      ScreenPatient(deps, call, request.patient_id(), s, course_plan.first_start,
                                    request.has_override() ? &request.override() : nullptr));

  for (int attempt = 1;; ++attempt) {
    DF_ASSIGN_OR_RETURN(SessionPlan plan,
                        PlanSessions(deps, org, s, request.patient_id(), course_plan, now));
    PlannedCourse planned = NewCourse(call, request, s, plan.starts, override_, now);
    if (request.validate_only()) return Preview(std::move(planned), plan.rooms);
    absl::StatusOr<BookingResult> result = deps.appointments.Book(
        org, CourseBooking(call, request.request_id(), fingerprint, s, planned, plan.rooms, now));
    // A session taken since the calendars were read: plan again around it.
    if (absl::IsAlreadyExists(result.status()) && attempt < kRaceAttempts) continue;
    if (!result.ok()) return result.status();
    if (result->replayed_id) return GetCourseWithAppointments(deps, org, *result->replayed_id);
    v1::Course& course = planned.course;
    for (size_t i = 0; i < planned.snapshot.appointments.size(); ++i) {
      planned.snapshot.appointments[i].set_room_id(result->rooms.at(i));
      *course.add_appointments() = std::move(planned.snapshot.appointments[i]);
    }
    return std::move(course);
  }
}

// The course an earlier call with this request_id booked, if any.
absl::StatusOr<std::optional<v1::Course>> ReplayedCourse(SchedulingDeps& deps,
                                                         const std::string& org,
                                                         const v1::PlanCourseRequest& request,
                                                         const std::string& fingerprint) {
  DF_ASSIGN_OR_RETURN(
      auto replay, deps.appointments.FindRequest(org, "plan", request.request_id(), fingerprint));
  if (!replay) return std::nullopt;
  DF_ASSIGN_OR_RETURN(v1::Course course, GetCourseWithAppointments(deps, org, *replay));
  return course;
}

}  // namespace

absl::StatusOr<v1::Course> BookCourse(SchedulingDeps& deps, const CallContext& call,
                                      const v1::PlanCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("PlanCourse")));
  const absl::Time now = deps.clock.Now();
  DF_RETURN_IF_ERROR(ValidatePlanRequest(request, now));
  const std::string& org = call.caller.organization;
  const std::string fingerprint = common::RequestFingerprint(request);
  if (request.validate_only()) return PlanAndBook(deps, call, request, fingerprint, now);

  DF_ASSIGN_OR_RETURN(std::optional<v1::Course> replayed,
                      ReplayedCourse(deps, org, request, fingerprint));
  if (replayed) return *std::move(replayed);
  absl::StatusOr<v1::Course> booked = PlanAndBook(deps, call, request, fingerprint, now);
  // UNAVAILABLE may mean it was booked but not confirmed by the replicas
  // (--redis_durable_replicas): never answer that with a replay.
  if (booked.ok() || booked.status().code() == absl::StatusCode::kUnavailable) return booked;
  // A concurrent replay of this request_id may have booked the course since
  // the check above; its sessions are then what blocked this plan (the
  // calendars, the patient's screening). Every replay answers with that one
  // course, never with the conflict its twin caused.
  DF_ASSIGN_OR_RETURN(replayed, ReplayedCourse(deps, org, request, fingerprint));
  if (replayed) return *std::move(replayed);
  return booked;
}

}  // namespace dermaflow::scheduling
