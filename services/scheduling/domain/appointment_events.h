// Builds the events scheduling publishes (events.v1): an AppointmentInfo
// snapshot carries everything the notification service needs to plan and
// render reminders without calling back: ids, protocol version and category,
// clinic name, zone and phone, practitioner name, local start, course
// position and the course's next booked session, and, once fulfilled, the
// treated areas and side effects. Never notes, never patient data. Pure.
//
//   EventEnvelope envelope{org, caller.subject, now};
//   events::v1::Event e = envelope.New();
//   *e.mutable_appointment_booked()->mutable_appointment() =
//       MakeAppointmentInfo(appointment, clinic, practitioner, &course);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"

namespace dermaflow::scheduling {

// The course an appointment belongs to, as it will be after the change: its
// size and every appointment booked for it (the changed one included).
struct CourseSnapshot {
  int session_count = 0;
  std::vector<v1::Appointment> appointments;
};

// Who and when, shared by the events of one change.
struct EventEnvelope {
  std::string organization;
  std::string actor;  // the caller's subject
  absl::Time now;

  // An event with organization, actor, producer "scheduling" and occur_time
  // set; the id is set when it is sealed.
  events::v1::Event New() const;
};

// `course` may be null for a single appointment.
events::v1::AppointmentInfo MakeAppointmentInfo(const v1::Appointment& appointment,
                                                const v1::Clinic& clinic,
                                                const v1::Practitioner& practitioner,
                                                const CourseSnapshot* course);

// The course's earliest BOOKED session starting after `appointment` (not
// itself), or null.
const v1::Appointment* NextBookedSession(const v1::Appointment& appointment,
                                         const CourseSnapshot& course);

// The event announcing a change of `after`'s confirmation state:
// appointment.confirmation_requested, .confirmed,
// .confirmation_unanswered or .reschedule_requested. None when the state is
// unchanged, NOT_REQUESTED (a reschedule's reset: appointment.rescheduled
// says it) or DECLINED (the appointment.cancelled of the same change says
// it). `info` is the snapshot of `after`.
std::optional<events::v1::Event> ConfirmationEvent(const EventEnvelope& envelope,
                                                   const v1::Appointment& before,
                                                   const v1::Appointment& after,
                                                   const events::v1::AppointmentInfo& info);

events::v1::CourseSessionInfo MakeCourseSessionInfo(const v1::Appointment& appointment);

events::v1::CourseCompleted MakeCourseCompleted(const v1::Course& course, const v1::Clinic& clinic,
                                                const std::string& last_appointment_id,
                                                bool ended_early);

}  // namespace dermaflow::scheduling
