#include "services/scheduling/domain/appointment_events.h"

#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {

events::v1::Event EventEnvelope::New() const {
  events::v1::Event event;
  event.set_organization(organization);
  event.set_actor(actor);
  event.set_producer("scheduling");
  *event.mutable_occur_time() = ToTimestamp(now);
  return event;
}

const v1::Appointment* NextBookedSession(const v1::Appointment& appointment,
                                         const CourseSnapshot& course) {
  const v1::Appointment* next = nullptr;
  const absl::Time start = ToTime(appointment.start_time());
  for (const v1::Appointment& other : course.appointments) {
    if (other.id() == appointment.id() || other.state() != v1::APPOINTMENT_STATE_BOOKED) continue;
    const absl::Time other_start = ToTime(other.start_time());
    if (other_start <= start) continue;
    if (next == nullptr || other_start < ToTime(next->start_time())) next = &other;
  }
  return next;
}

events::v1::AppointmentInfo MakeAppointmentInfo(const v1::Appointment& a, const v1::Clinic& clinic,
                                                const v1::Practitioner& practitioner,
                                                const CourseSnapshot* course) {
  events::v1::AppointmentInfo info;
  info.set_appointment_id(a.id());
  info.set_patient_id(a.patient_id());
  info.set_protocol_id(a.protocol_id());
  info.set_protocol_version(a.protocol_version());
  info.set_protocol_category(a.protocol_category());
  info.set_clinic_id(a.clinic_id());
  info.set_clinic_display_name(clinic.display_name());
  info.set_clinic_time_zone(a.time_zone());
  info.set_clinic_contact_phone(clinic.contact_phone());
  info.set_clinic_patient_app_url(clinic.patient_app_url());
  info.set_practitioner_id(a.practitioner_id());
  info.set_practitioner_display_name(practitioner.display_name());
  *info.mutable_start_time() = a.start_time();
  *info.mutable_end_time() = a.end_time();
  *info.mutable_local_start_date() = a.local_start_date();
  *info.mutable_local_start_time() = a.local_start_time();
  *info.mutable_areas() = a.areas();
  info.set_course_id(a.course_id());
  info.set_course_session_index(a.course_session_index());
  if (course != nullptr) {
    info.set_course_session_count(course->session_count);
    if (const v1::Appointment* next = NextBookedSession(a, *course)) {
      *info.mutable_next_session_start_time() = next->start_time();
      info.set_next_session_appointment_id(next->id());
    }
  }
  info.set_state(a.state());
  info.set_confirmation_state(a.confirmation().state());
  if (a.state() == v1::APPOINTMENT_STATE_FULFILLED) {
    *info.mutable_treated_areas() = a.completion().treated_areas();
    *info.mutable_side_effects() = a.completion().side_effects();
  }
  *info.mutable_update_time() = a.update_time();
  return info;
}

std::optional<events::v1::Event> ConfirmationEvent(const EventEnvelope& envelope,
                                                   const v1::Appointment& before,
                                                   const v1::Appointment& after,
                                                   const events::v1::AppointmentInfo& info) {
  const v1::Confirmation& c = after.confirmation();
  if (c.state() == before.confirmation().state()) return std::nullopt;
  events::v1::Event e = envelope.New();
  switch (c.state()) {
    case v1::CONFIRMATION_STATE_REQUESTED: {
      auto* requested = e.mutable_appointment_confirmation_requested();
      *requested->mutable_appointment() = info;
      *requested->mutable_answer_deadline() = c.answer_deadline();
      break;
    }
    case v1::CONFIRMATION_STATE_CONFIRMED:
      *e.mutable_appointment_confirmed()->mutable_appointment() = info;
      e.mutable_appointment_confirmed()->set_answered_via(c.answered_via());
      break;
    case v1::CONFIRMATION_STATE_NO_ANSWER:
      *e.mutable_appointment_confirmation_unanswered()->mutable_appointment() = info;
      break;
    case v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED:
      *e.mutable_appointment_reschedule_requested()->mutable_appointment() = info;
      e.mutable_appointment_reschedule_requested()->set_answered_via(c.answered_via());
      break;
    default:
      return std::nullopt;
  }
  return e;
}

events::v1::CourseSessionInfo MakeCourseSessionInfo(const v1::Appointment& a) {
  events::v1::CourseSessionInfo info;
  info.set_index(a.course_session_index());
  info.set_appointment_id(a.id());
  *info.mutable_start_time() = a.start_time();
  *info.mutable_local_start_date() = a.local_start_date();
  *info.mutable_local_start_time() = a.local_start_time();
  return info;
}

events::v1::CourseCompleted MakeCourseCompleted(const v1::Course& course, const v1::Clinic& clinic,
                                                const std::string& last_appointment_id,
                                                bool ended_early) {
  events::v1::CourseCompleted e;
  e.set_course_id(course.id());
  e.set_patient_id(course.patient_id());
  e.set_protocol_id(course.protocol_id());
  e.set_protocol_version(course.protocol_version());
  e.set_protocol_category(course.protocol_category());
  e.set_clinic_id(course.clinic_id());
  e.set_clinic_display_name(clinic.display_name());
  e.set_clinic_time_zone(course.time_zone());
  if (course.has_maintenance_due_date()) {
    *e.mutable_maintenance_due_date() = course.maintenance_due_date();
  }
  e.set_last_appointment_id(last_appointment_id);
  e.set_ended_early(ended_early);
  return e;
}

}  // namespace dermaflow::scheduling
