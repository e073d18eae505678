#include "services/scheduling/app/booking/book_appointment.h"

#include <optional>
#include <string>
#include <utility>

#include "common/api/request_id.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/booking/booking_plan.h"
#include "services/scheduling/app/booking/booking_request.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/booking/busy_calendars.h"
#include "services/scheduling/app/booking/patient_screening.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/course_progress.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

// The appointment a known request_id booked, nullopt for a new request.
absl::StatusOr<std::optional<v1::Appointment>> Replayed(SchedulingDeps& deps,
                                                        const std::string& org,
                                                        const v1::BookAppointmentRequest& request,
                                                        const std::string& fingerprint) {
  DF_ASSIGN_OR_RETURN(
      auto replay, deps.appointments.FindRequest(org, "book", request.request_id(), fingerprint));
  if (!replay) return std::nullopt;
  DF_ASSIGN_OR_RETURN(AppointmentRecord r, deps.appointments.GetAppointment(org, *replay));
  return r.appointment;
}

// The course a replacement session joins (nullopt: no course_id), checked to
// be the patient's course of this protocol, open, with that session index.
absl::StatusOr<std::optional<v1::Course>> CourseToJoin(SchedulingDeps& deps, const std::string& org,
                                                       const v1::BookAppointmentRequest& request) {
  if (request.course_id().empty()) return std::nullopt;
  DF_ASSIGN_OR_RETURN(v1::Course course, deps.appointments.GetCourse(org, request.course_id()));
  if (course.patient_id() != request.patient_id() ||
      course.protocol_id() != request.protocol_id()) {
    return common::InvalidArgumentError("course_id",
                                        "the course is for another patient or protocol");
  }
  if (request.course_session_index() > course.session_count()) {
    return common::InvalidArgumentError("course_session_index", "beyond the course's sessions");
  }
  DF_RETURN_IF_ERROR(CheckCourseOpen(course, false));
  return course;
}

// validate_only: the appointment as it would be booked now (room chosen from
// the calendars), without id or etag.
absl::StatusOr<v1::Appointment> Preview(SchedulingDeps& deps, const std::string& org,
                                        const BookingSubject& s, const Interval& occupied,
                                        v1::Appointment a) {
  DF_ASSIGN_OR_RETURN(BusyCalendars calendars,
                      LoadBusyCalendars(deps, org, s, a.patient_id(), occupied));
  DF_ASSIGN_OR_RETURN(std::string room,
                      FreeRoomFor(calendars, s, a.patient_id(), 1, occupied.start));
  a.set_room_id(room);
  a.clear_id();
  a.clear_etag();
  return a;
}

// Everything after the first request_id check: load, screen and book.
absl::StatusOr<v1::Appointment> LoadAndBook(SchedulingDeps& deps, const CallContext& call,
                                            const v1::BookAppointmentRequest& request,
                                            const std::string& fingerprint, absl::Time now) {
  const std::string& org = call.caller.organization;
  // A replacement session joins its course and books the course's version.
  DF_ASSIGN_OR_RETURN(std::optional<v1::Course> course, CourseToJoin(deps, org, request));
  DF_ASSIGN_OR_RETURN(
      BookingSubject s,
      LoadBookingSubject(
          deps, call,
          {request.clinic_id(), request.practitioner_id(), request.room_id(), request.protocol_id(),
           course ? course->protocol_version() : 0, &request.areas()}));
  const absl::Time start = ToTime(request.start_time());
  const Interval occupied = s.Occupied(start);
  DF_RETURN_IF_ERROR(CheckSessionRules(s, occupied));
  DF_ASSIGN_OR_RETURN(std::optional<v1::Override> practitioner_override,
                      ScreenPatient(deps, call, request.patient_id(), s, start,
                                    request.has_override() ? &request.override() : nullptr));

  for (int attempt = 1;; ++attempt) {
    v1::Appointment a = NewAppointment(call, s, request.patient_id(), start, request.notes(),
                                       practitioner_override, now);
    std::optional<CourseJoin> join;
    if (course) {
      DF_ASSIGN_OR_RETURN(
          join, JoinCourse(deps, org, course->id(), request.course_session_index(), now, a));
    }
    if (request.validate_only()) return Preview(deps, org, s, occupied, std::move(a));
    absl::StatusOr<BookingResult> result = deps.appointments.Book(
        org, AppointmentBooking(call, request.request_id(), fingerprint, a, s, occupied.end,
                                join ? &*join : nullptr, now));
    if (absl::IsAborted(result.status()) && attempt < kRaceAttempts)
      continue;  // the course moved on
    if (!result.ok()) return result.status();
    if (result->replayed_id) {
      DF_ASSIGN_OR_RETURN(AppointmentRecord r,
                          deps.appointments.GetAppointment(org, *result->replayed_id));
      return r.appointment;
    }
    a.set_room_id(result->rooms.at(0));
    return a;
  }
}

}  // namespace

absl::StatusOr<v1::Appointment> BookOneAppointment(SchedulingDeps& deps, const CallContext& call,
                                                   const v1::BookAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("BookAppointment")));
  const absl::Time now = deps.clock.Now();
  DF_RETURN_IF_ERROR(ValidateBookRequest(request, now));
  const std::string& org = call.caller.organization;
  const std::string fingerprint = common::RequestFingerprint(request);
  if (request.validate_only()) return LoadAndBook(deps, call, request, fingerprint, now);

  DF_ASSIGN_OR_RETURN(std::optional<v1::Appointment> replayed,
                      Replayed(deps, org, request, fingerprint));
  if (replayed) return *std::move(replayed);
  absl::StatusOr<v1::Appointment> booked = LoadAndBook(deps, call, request, fingerprint, now);
  // UNAVAILABLE may mean it was booked but not confirmed by the replicas
  // (--redis_durable_replicas): never answer that with a replay.
  if (booked.ok() || booked.status().code() == absl::StatusCode::kUnavailable) return booked;
  // A concurrent replay may have booked since the check above, and what it
  // booked is then what this call tripped over (the course session it
  // joined, the patient's screening): answer with that appointment.
  DF_ASSIGN_OR_RETURN(replayed, Replayed(deps, org, request, fingerprint));
  if (replayed) return *std::move(replayed);
  return booked;
}

}  // namespace dermaflow::scheduling
