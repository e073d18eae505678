#include "services/scheduling/app/booking/reschedule_appointment.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/booking/booking_request.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/booking/busy_calendars.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/confirmation_rules.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

// The subject of the move: the appointment's clinic and protocol version,
// the requested (else the current) practitioner, and the requested room or,
// first among the candidates, the current one.
absl::StatusOr<BookingSubject> SubjectOfMove(SchedulingDeps& deps, const CallContext& call,
                                             const v1::Appointment& old,
                                             const v1::RescheduleAppointmentRequest& request) {
  const std::string practitioner_id =
      request.practitioner_id().empty() ? old.practitioner_id() : request.practitioner_id();
  google::protobuf::RepeatedField<int> areas(old.areas().begin(), old.areas().end());
  DF_ASSIGN_OR_RETURN(BookingSubject s,
                      LoadBookingSubject(deps, call,
                                         {old.clinic_id(), practitioner_id, request.room_id(),
                                          old.protocol_id(), old.protocol_version(), &areas}));
  if (!s.room) {  // keep the current room when it is still free and suitable
    auto it = std::find(s.room_ids.begin(), s.room_ids.end(), old.room_id());
    if (it != s.room_ids.end()) std::rotate(s.room_ids.begin(), it, it + 1);
  }
  return s;
}

// `appointment.rescheduled` for `after`, with the course's sessions when it
// belongs to one.
absl::StatusOr<events::v1::Event> RescheduledEvent(SchedulingDeps& deps, const CallContext& call,
                                                   const BookingSubject& s,
                                                   const v1::Appointment& old,
                                                   const v1::Appointment& after, absl::Time now) {
  const std::string& org = call.caller.organization;
  std::optional<CourseSnapshot> snapshot;
  if (!old.course_id().empty()) {
    DF_ASSIGN_OR_RETURN(v1::Course course, deps.appointments.GetCourse(org, old.course_id()));
    DF_ASSIGN_OR_RETURN(snapshot, LoadCourseSnapshot(deps, org, course, {after}));
  }
  events::v1::Event event = EventEnvelope{org, call.caller.subject, now}.New();
  auto* moved = event.mutable_appointment_rescheduled();
  *moved->mutable_appointment() =
      MakeAppointmentInfo(after, s.clinic, s.practitioner, snapshot ? &*snapshot : nullptr);
  *moved->mutable_previous_start_time() = old.start_time();
  return event;
}

}  // namespace

absl::StatusOr<v1::Appointment> MoveAppointment(SchedulingDeps& deps, const CallContext& call,
                                                const v1::RescheduleAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("RescheduleAppointment")));
  const absl::Time now = deps.clock.Now();
  DF_RETURN_IF_ERROR(ValidateRescheduleRequest(request, now));
  const std::string& org = call.caller.organization;
  const absl::Time start = ToTime(request.start_time());

  for (int attempt = 1;; ++attempt) {
    DF_ASSIGN_OR_RETURN(AppointmentRecord before,
                        deps.appointments.GetAppointment(org, request.id()));
    const v1::Appointment& old = before.appointment;
    if (old.etag() != request.etag()) {
      return common::EtagMismatchError(kErrorDomain, kAppointmentType, old.id());
    }
    DF_RETURN_IF_ERROR(CheckReschedulable(old));
    DF_ASSIGN_OR_RETURN(BookingSubject s, SubjectOfMove(deps, call, old, request));
    const absl::Duration duration = ToTime(old.end_time()) - ToTime(old.start_time());
    const Interval occupied{start, start + duration + s.buffer()};
    DF_RETURN_IF_ERROR(CheckSessionRules(s, occupied));
    v1::Appointment after = old;
    SetTimes(after, start, duration, s.tz);
    after.set_practitioner_id(s.practitioner.id());
    after.clear_room_id();
    after.set_etag(NewEtag());
    *after.mutable_update_time() = ToTimestamp(now);
    // A new time is a new question: any earlier answer was about the old one.
    *after.mutable_confirmation() =
        PlanConfirmation(s.clinic.confirmation_policy(), start, s.tz, now);

    if (request.validate_only()) {
      DF_ASSIGN_OR_RETURN(BusyCalendars calendars,
                          LoadBusyCalendars(deps, org, s, old.patient_id(), occupied, &before));
      DF_ASSIGN_OR_RETURN(std::string room, FreeRoomFor(calendars, s, old.patient_id(), 1, start));
      after.set_room_id(room);
      after.set_etag(old.etag());
      return after;
    }
    DF_ASSIGN_OR_RETURN(events::v1::Event event, RescheduledEvent(deps, call, s, old, after, now));
    AppointmentMove move{before, after, occupied.end, s.room_ids, {std::move(event)}};
    absl::StatusOr<std::string> room = deps.appointments.Reschedule(org, move);
    // ABORTED: changed since read; the next read tells a stale etag apart.
    if (absl::IsAborted(room.status()) && attempt < kRaceAttempts) continue;
    if (!room.ok()) return room.status();
    after.set_room_id(*room);
    return after;
  }
}

}  // namespace dermaflow::scheduling
