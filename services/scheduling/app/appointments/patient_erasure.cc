#include "services/scheduling/app/appointments/patient_erasure.h"

#include <vector>

#include "common/status/macros.h"
#include "services/scheduling/app/appointments/appointment_transition.h"
#include "services/scheduling/domain/appointment_state.h"

namespace dermaflow::scheduling {

absl::StatusOr<FreedCalendar> PatientErasure::FreeCalendar(const std::string& org,
                                                           const std::string& patient_id) {
  const common::Caller system{.organization = org, .subject = kErasureActor};
  const CallContext call{system};
  FreedCalendar freed;

  DF_ASSIGN_OR_RETURN(std::vector<std::string> course_ids,
                      deps_.appointments.ListCourseIds(org, CourseListing::kPatient, patient_id));
  for (const std::string& id : course_ids) {
    DF_ASSIGN_OR_RETURN(v1::Course course, deps_.appointments.GetCourse(org, id));
    if (course.state() != v1::COURSE_STATE_PLANNED && course.state() != v1::COURSE_STATE_ACTIVE) {
      continue;
    }
    absl::StatusOr<v1::Course> cancelled = courses_.CancelForErasedPatient(call, id);
    // Ended meanwhile (completed at the desk, or by a twin consumer): nothing to free.
    if (absl::IsFailedPrecondition(cancelled.status())) continue;
    DF_RETURN_IF_ERROR(cancelled.status());
    ++freed.courses;
  }

  const absl::Time now = deps_.clock.Now();
  DF_ASSIGN_OR_RETURN(
      std::vector<ListedAppointment> listed,
      deps_.appointments.ListAppointmentIds(org, AppointmentListing::kPatient, patient_id, now,
                                            absl::InfiniteFuture()));
  v1::Cancellation erased;
  erased.set_reason(v1::CANCELLATION_REASON_PATIENT_ERASED);
  for (const ListedAppointment& a : listed) {
    absl::StatusOr<v1::Appointment> cancelled = TransitionAppointment(
        deps_, call, a.id, /*etag=*/"", [&](v1::Appointment& appointment, absl::TimeZone) {
          if (!HoldsSlot(appointment.state())) {
            return absl::FailedPreconditionError("already ended");
          }
          return Cancel(appointment, erased, now, kErasureActor);
        });
    if (absl::IsFailedPrecondition(cancelled.status())) continue;  // cancelled with its course
    DF_RETURN_IF_ERROR(cancelled.status());
    ++freed.appointments;
  }
  return freed;
}

}  // namespace dermaflow::scheduling
