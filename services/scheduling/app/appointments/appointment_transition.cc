#include "services/scheduling/app/appointments/appointment_transition.h"

#include <optional>
#include <utility>

#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/course_progress.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

// The event announcing `after`'s new state (none when the state is unchanged).
std::optional<events::v1::Event> StateEvent(const EventEnvelope& envelope,
                                            const v1::Appointment& before,
                                            const v1::Appointment& after,
                                            events::v1::AppointmentInfo info) {
  if (before.state() == after.state()) return std::nullopt;
  events::v1::Event e = envelope.New();
  switch (after.state()) {
    case v1::APPOINTMENT_STATE_ARRIVED:
      *e.mutable_appointment_arrived()->mutable_appointment() = std::move(info);
      break;
    case v1::APPOINTMENT_STATE_FULFILLED:
      *e.mutable_appointment_fulfilled()->mutable_appointment() = std::move(info);
      *e.mutable_appointment_fulfilled()->mutable_complete_time() =
          after.completion().complete_time();
      break;
    case v1::APPOINTMENT_STATE_CANCELLED:
      *e.mutable_appointment_cancelled()->mutable_appointment() = std::move(info);
      e.mutable_appointment_cancelled()->set_reason(after.cancellation().reason());
      break;
    case v1::APPOINTMENT_STATE_NOSHOW:
      *e.mutable_appointment_noshow()->mutable_appointment() = std::move(info);
      break;
    default:
      return std::nullopt;
  }
  return e;
}

}  // namespace

absl::StatusOr<v1::Appointment> TransitionAppointment(SchedulingDeps& deps, const CallContext& call,
                                                      const std::string& id,
                                                      const std::string& etag,
                                                      const ApplyChange& apply) {
  const std::string& org = call.caller.organization;
  for (int attempt = 1;; ++attempt) {
    const absl::Time now = deps.clock.Now();
    DF_ASSIGN_OR_RETURN(AppointmentRecord before, deps.appointments.GetAppointment(org, id));
    if (!etag.empty() && before.appointment.etag() != etag) {
      return common::EtagMismatchError(kErrorDomain, kAppointmentType, id);
    }
    DF_ASSIGN_OR_RETURN(v1::Clinic clinic,
                        deps.resources.GetClinic(org, before.appointment.clinic_id()));
    DF_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(clinic));
    v1::Appointment after = before.appointment;
    DF_RETURN_IF_ERROR(apply(after, tz));
    if (google::protobuf::util::MessageDifferencer::Equals(after, before.appointment)) {
      RedactForCaller(after, call.caller);
      return after;  // nothing to change (e.g. the same answer again): nothing written
    }
    after.set_etag(NewEtag());

    Change change;
    change.appointments.push_back({before, after});
    if (after.state() != before.appointment.state() ||
        after.confirmation().state() != before.appointment.confirmation().state()) {
      const EventEnvelope envelope{org, call.caller.subject, now};
      DF_ASSIGN_OR_RETURN(v1::Practitioner practitioner,
                          deps.resources.GetPractitioner(org, after.practitioner_id()));
      std::optional<CourseSnapshot> snapshot;
      std::optional<events::v1::Event> course_event;
      if (!after.course_id().empty()) {
        DF_ASSIGN_OR_RETURN(v1::Course course, deps.appointments.GetCourse(org, after.course_id()));
        DF_ASSIGN_OR_RETURN(snapshot, LoadCourseSnapshot(deps, org, course, {after}));
        if (after.state() == v1::APPOINTMENT_STATE_FULFILLED) {
          DF_ASSIGN_OR_RETURN(protocol::v1::Protocol protocol,
                              deps.protocols.GetProtocol(call.origin(), course.protocol_id(),
                                                         course.protocol_version()));
          v1::Course updated = course;
          if (RecordFulfilledSession(updated, after, protocol.maintenance().interval_months(),
                                     now)) {
            course_event = envelope.New();
            *course_event->mutable_course_completed() =
                MakeCourseCompleted(updated, clinic, after.id(), /*ended_early=*/false);
          }
          updated.set_etag(NewEtag());
          change.course = Change::Course{course.etag(), std::move(updated)};
        }
      }
      const events::v1::AppointmentInfo info =
          MakeAppointmentInfo(after, clinic, practitioner, snapshot ? &*snapshot : nullptr);
      if (auto event = ConfirmationEvent(envelope, before.appointment, after, info)) {
        change.events.push_back(std::move(*event));
      }
      if (auto event = StateEvent(envelope, before.appointment, after, info)) {
        change.events.push_back(std::move(*event));
      }
      if (course_event) change.events.push_back(std::move(*course_event));
    }
    absl::Status status = deps.appointments.Commit(org, change);
    if (absl::IsAborted(status) && attempt < kRaceAttempts) continue;  // re-read and re-apply
    DF_RETURN_IF_ERROR(status);
    RedactForCaller(after, call.caller);
    return after;
  }
}
}  // namespace dermaflow::scheduling
