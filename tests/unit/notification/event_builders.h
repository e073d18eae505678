// Test helpers: domain events and protocols as the scheduling and protocol
// services would produce them, for the notification tests (unit and
// integration). Times are given as Berlin local civil times.
//
//   AppointmentInfo info = Appointment("a-1", "p-1", "proto-1", Berlin(2026, 3, 24, 10, 0));
//   Event e = Booked(info, Berlin(2026, 3, 17, 9, 0));
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification::testing {

using dermaflow::events::v1::AppointmentInfo;
using dermaflow::events::v1::Event;

inline absl::TimeZone BerlinZone() {
  absl::TimeZone tz;
  absl::LoadTimeZone("Europe/Berlin", &tz);
  return tz;
}

inline absl::Time Berlin(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), BerlinZone());
}

inline AppointmentInfo Appointment(const std::string& id, const std::string& patient,
                                   const std::string& protocol, absl::Time start,
                                   std::initializer_list<protocol::v1::TreatmentArea> areas = {
                                       protocol::v1::TREATMENT_AREA_FACE}) {
  AppointmentInfo a;
  a.set_appointment_id(id);
  a.set_patient_id(patient);
  a.set_protocol_id(protocol);
  a.set_protocol_version(1);
  a.set_clinic_id("clinic-mitte");
  a.set_clinic_display_name("Dermaflow Berlin Mitte");
  a.set_clinic_time_zone("Europe/Berlin");
  a.set_clinic_contact_phone("+49301234567");
  a.set_practitioner_id("pr-1");
  *a.mutable_start_time() = ToTimestamp(start);
  *a.mutable_end_time() = ToTimestamp(start + absl::Minutes(30));
  for (auto area : areas) a.add_areas(area);
  a.set_state(scheduling::v1::APPOINTMENT_STATE_BOOKED);
  *a.mutable_update_time() = ToTimestamp(start - absl::Hours(24 * 30));
  return a;
}

inline Event Envelope(absl::Time at, const std::string& org = "clinic-a") {
  static int counter = 0;
  Event e;
  e.set_id("evt-" + std::to_string(++counter));
  e.set_organization(org);
  *e.mutable_occur_time() = ToTimestamp(at);
  e.set_producer("scheduling");
  return e;
}

inline Event Booked(AppointmentInfo info, absl::Time at) {
  *info.mutable_update_time() = ToTimestamp(at);
  Event e = Envelope(at);
  *e.mutable_appointment_booked()->mutable_appointment() = info;
  return e;
}

inline Event Rescheduled(AppointmentInfo info, absl::Time new_start, absl::Time at) {
  const auto previous = info.start_time();
  *info.mutable_start_time() = ToTimestamp(new_start);
  *info.mutable_end_time() = ToTimestamp(new_start + absl::Minutes(30));
  *info.mutable_update_time() = ToTimestamp(at);
  Event e = Envelope(at);
  *e.mutable_appointment_rescheduled()->mutable_appointment() = info;
  *e.mutable_appointment_rescheduled()->mutable_previous_start_time() = previous;
  return e;
}

inline Event Cancelled(AppointmentInfo info, absl::Time at) {
  info.set_state(scheduling::v1::APPOINTMENT_STATE_CANCELLED);
  *info.mutable_update_time() = ToTimestamp(at);
  Event e = Envelope(at);
  *e.mutable_appointment_cancelled()->mutable_appointment() = info;
  e.mutable_appointment_cancelled()->set_reason(
      scheduling::v1::CANCELLATION_REASON_PATIENT_REQUEST);
  return e;
}

inline Event ConfirmationRequested(AppointmentInfo info, absl::Time at) {
  info.set_confirmation_state(scheduling::v1::CONFIRMATION_STATE_REQUESTED);
  *info.mutable_update_time() = ToTimestamp(at);
  Event e = Envelope(at);
  *e.mutable_appointment_confirmation_requested()->mutable_appointment() = info;
  *e.mutable_appointment_confirmation_requested()->mutable_answer_deadline() =
      ToTimestamp(at + absl::Hours(24));
  return e;
}

inline Event Confirmed(AppointmentInfo info, absl::Time at) {
  info.set_confirmation_state(scheduling::v1::CONFIRMATION_STATE_CONFIRMED);
  *info.mutable_update_time() = ToTimestamp(at);
  Event e = Envelope(at);
  *e.mutable_appointment_confirmed()->mutable_appointment() = info;
  e.mutable_appointment_confirmed()->set_answered_via(scheduling::v1::CONFIRMATION_CHANNEL_LINK);
  return e;
}

inline Event NoShow(AppointmentInfo info, absl::Time at) {
  info.set_state(scheduling::v1::APPOINTMENT_STATE_NOSHOW);
  *info.mutable_update_time() = ToTimestamp(at);
  Event e = Envelope(at);
  *e.mutable_appointment_noshow()->mutable_appointment() = info;
  return e;
}

inline Event Fulfilled(AppointmentInfo info, absl::Time completed,
                       std::initializer_list<scheduling::v1::SideEffect> side_effects = {}) {
  info.set_state(scheduling::v1::APPOINTMENT_STATE_FULFILLED);
  for (int area : info.areas())
    info.add_treated_areas(static_cast<protocol::v1::TreatmentArea>(area));
  for (auto s : side_effects) info.add_side_effects(s);
  *info.mutable_update_time() = ToTimestamp(completed);
  Event e = Envelope(completed);
  *e.mutable_appointment_fulfilled()->mutable_appointment() = info;
  *e.mutable_appointment_fulfilled()->mutable_complete_time() = ToTimestamp(completed);
  return e;
}

inline Event CourseCompleted(const std::string& course, const std::string& patient,
                             const std::string& protocol, int y, int m, int d, absl::Time at) {
  Event e = Envelope(at);
  auto* c = e.mutable_course_completed();
  c->set_course_id(course);
  c->set_patient_id(patient);
  c->set_protocol_id(protocol);
  c->set_protocol_version(1);
  c->set_clinic_id("clinic-mitte");
  c->set_clinic_display_name("Dermaflow Berlin Mitte");
  c->set_clinic_time_zone("Europe/Berlin");
  c->mutable_maintenance_due_date()->set_year(y);
  c->mutable_maintenance_due_date()->set_month(m);
  c->mutable_maintenance_due_date()->set_day(d);
  c->set_last_appointment_id("a-last");
  return e;
}

inline Event ConsentChanged(const std::string& patient, patient::v1::Channel channel,
                            patient::v1::ConsentState state, absl::Time at) {
  Event e = Envelope(at);
  e.set_producer("patient");
  auto* c = e.mutable_patient_consent_changed();
  c->set_patient_id(patient);
  c->set_channel(channel);
  c->set_state(state);
  return e;
}

inline Event Erased(const std::string& patient, absl::Time at) {
  Event e = Envelope(at);
  e.set_producer("patient");
  e.mutable_patient_erased()->set_patient_id(patient);
  return e;
}

}  // namespace dermaflow::notification::testing
