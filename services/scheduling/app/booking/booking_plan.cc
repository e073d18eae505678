#include "services/scheduling/app/booking/booking_plan.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/confirmation_rules.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

// Orders a course's appointment ids by session index, then start time.
void SortCourseAppointments(v1::Course& course, std::vector<v1::Appointment> appointments) {
  std::sort(appointments.begin(), appointments.end(),
            [](const v1::Appointment& a, const v1::Appointment& b) {
              return std::make_pair(a.course_session_index(), ToTime(a.start_time())) <
                     std::make_pair(b.course_session_index(), ToTime(b.start_time()));
            });
  course.clear_appointment_ids();
  for (const auto& a : appointments) course.add_appointment_ids(a.id());
}

}  // namespace

v1::Appointment NewAppointment(const CallContext& call, const BookingSubject& s,
                               const std::string& patient_id, absl::Time start,
                               const std::string& notes,
                               const std::optional<v1::Override>& practitioner_override,
                               absl::Time now) {
  v1::Appointment a;
  a.set_id(NewId("ap"));
  a.set_patient_id(patient_id);
  a.set_protocol_id(s.protocol.id());
  a.set_protocol_version(s.protocol.version());
  a.set_protocol_category(s.protocol.category());
  a.set_clinic_id(s.clinic.id());
  a.set_practitioner_id(s.practitioner.id());
  for (protocol::v1::TreatmentArea area : s.areas) a.add_areas(area);
  SetTimes(a, start, s.duration(), s.tz);
  a.set_time_zone(s.clinic.time_zone());
  a.set_state(v1::APPOINTMENT_STATE_BOOKED);
  *a.mutable_confirmation() = PlanConfirmation(s.clinic.confirmation_policy(), start, s.tz, now);
  if (practitioner_override) *a.mutable_override() = *practitioner_override;
  a.set_notes(notes);
  a.set_etag(NewEtag());
  *a.mutable_create_time() = ToTimestamp(now);
  *a.mutable_update_time() = ToTimestamp(now);
  a.set_created_by(call.caller.subject);
  return a;
}

absl::StatusOr<CourseJoin> JoinCourse(SchedulingDeps& deps, const std::string& org,
                                      const std::string& course_id, int session_index,
                                      absl::Time now, v1::Appointment& a) {
  DF_ASSIGN_OR_RETURN(v1::Course course, deps.appointments.GetCourse(org, course_id));
  CourseJoin join;
  DF_ASSIGN_OR_RETURN(join.snapshot, LoadCourseSnapshot(deps, org, course, {}));
  for (const v1::Appointment& other : join.snapshot.appointments) {
    if (other.course_session_index() == session_index &&
        other.state() != v1::APPOINTMENT_STATE_CANCELLED &&
        other.state() != v1::APPOINTMENT_STATE_NOSHOW) {
      return common::FailedPreconditionError(
          "the course session is taken",
          {{"COURSE_SESSION_TAKEN", absl::StrCat("session/", session_index),
            absl::StrCat("appointment ", other.id(), " is ", StateName(other.state()))}});
    }
  }
  a.set_course_id(course.id());
  a.set_course_session_index(session_index);
  join.snapshot.appointments.push_back(a);
  join.expected_etag = course.etag();
  join.course = std::move(course);
  SortCourseAppointments(join.course, join.snapshot.appointments);
  join.course.set_etag(NewEtag());
  *join.course.mutable_update_time() = ToTimestamp(now);
  return join;
}

NewBooking AppointmentBooking(const CallContext& call, const std::string& request_id,
                              const std::string& fingerprint, const v1::Appointment& a,
                              const BookingSubject& s, absl::Time occupied_until,
                              const CourseJoin* join, absl::Time now) {
  NewBooking booking{"book", request_id, fingerprint, a.id(), {}, std::nullopt, "", {}};
  if (join != nullptr) {
    booking.course = join->course;
    booking.course_expected_etag = join->expected_etag;
  }
  booking.sessions.push_back({a, occupied_until, s.room_ids});
  events::v1::Event event = EventEnvelope{call.caller.organization, call.caller.subject, now}.New();
  *event.mutable_appointment_booked()->mutable_appointment() =
      MakeAppointmentInfo(a, s.clinic, s.practitioner, join != nullptr ? &join->snapshot : nullptr);
  booking.events.push_back(std::move(event));
  return booking;
}

PlannedCourse NewCourse(const CallContext& call, const v1::PlanCourseRequest& request,
                        const BookingSubject& s, const std::vector<absl::Time>& starts,
                        const std::optional<v1::Override>& practitioner_override, absl::Time now) {
  const int sessions = static_cast<int>(starts.size());
  PlannedCourse planned{{}, {sessions, {}}};
  v1::Course& course = planned.course;
  course.set_id(NewId("co"));
  course.set_patient_id(request.patient_id());
  course.set_protocol_id(s.protocol.id());
  course.set_protocol_version(s.protocol.version());
  course.set_protocol_category(s.protocol.category());
  course.set_clinic_id(s.clinic.id());
  course.set_practitioner_id(s.practitioner.id());
  for (protocol::v1::TreatmentArea area : s.areas) course.add_areas(area);
  course.set_state(v1::COURSE_STATE_PLANNED);
  course.set_session_count(sessions);
  course.set_time_zone(s.clinic.time_zone());
  if (practitioner_override) *course.mutable_override() = *practitioner_override;
  course.set_etag(NewEtag());
  *course.mutable_create_time() = ToTimestamp(now);
  *course.mutable_update_time() = ToTimestamp(now);

  for (int i = 0; i < sessions; ++i) {
    v1::Appointment a = NewAppointment(call, s, request.patient_id(), starts[i], request.notes(),
                                       practitioner_override, now);
    a.set_course_id(course.id());
    a.set_course_session_index(i + 1);
    course.add_appointment_ids(a.id());
    planned.snapshot.appointments.push_back(std::move(a));
  }
  return planned;
}

NewBooking CourseBooking(const CallContext& call, const std::string& request_id,
                         const std::string& fingerprint, const BookingSubject& s,
                         const PlannedCourse& planned, const std::map<int, std::string>& rooms,
                         absl::Time now) {
  const v1::Course& course = planned.course;
  NewBooking booking{"plan", request_id, fingerprint, course.id(), {}, course, "", {}};
  const EventEnvelope envelope{call.caller.organization, call.caller.subject, now};
  events::v1::Event event = envelope.New();
  auto* p = event.mutable_course_planned();
  p->set_course_id(course.id());
  p->set_patient_id(course.patient_id());
  p->set_protocol_id(course.protocol_id());
  p->set_protocol_version(course.protocol_version());
  p->set_clinic_id(course.clinic_id());
  p->set_clinic_time_zone(course.time_zone());
  p->set_session_count(course.session_count());
  booking.events.push_back(std::move(event));
  for (const v1::Appointment& a : planned.snapshot.appointments) {
    // The room planned first, then the others, should a race take it.
    std::vector<std::string> candidates = {rooms.at(a.course_session_index())};
    for (const std::string& r : s.room_ids) {
      if (r != candidates[0]) candidates.push_back(r);
    }
    booking.sessions.push_back({a, ToTime(a.end_time()) + s.buffer(), std::move(candidates)});
    *booking.events[0].mutable_course_planned()->add_sessions() = MakeCourseSessionInfo(a);
    events::v1::Event booked = envelope.New();
    *booked.mutable_appointment_booked()->mutable_appointment() =
        MakeAppointmentInfo(a, s.clinic, s.practitioner, &planned.snapshot);
    booking.events.push_back(std::move(booked));
  }
  return booking;
}

}  // namespace dermaflow::scheduling
