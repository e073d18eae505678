#include "services/scheduling/app/appointment_support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {

absl::StatusOr<absl::TimeZone> ZoneOf(const v1::Clinic& clinic) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(clinic.time_zone(), &tz)) {
    return absl::InternalError(absl::StrCat("clinic ", clinic.id(), " has an unknown time zone"));
  }
  return tz;
}

void SetTimes(v1::Appointment& a, absl::Time start, absl::Duration duration, absl::TimeZone tz) {
  *a.mutable_start_time() = ToTimestamp(start);
  *a.mutable_end_time() = ToTimestamp(start + duration);
  const absl::CivilSecond local = absl::ToCivilSecond(start, tz);
  *a.mutable_local_start_date() = ToDate(absl::CivilDay(local));
  *a.mutable_local_start_time() = ToTimeOfDay(local);
}

absl::StatusOr<std::vector<protocol::v1::TreatmentArea>> ResolveAreas(
    const google::protobuf::RepeatedField<int>& requested, const protocol::v1::Protocol& protocol,
    const std::string& field) {
  std::vector<protocol::v1::TreatmentArea> areas;
  if (requested.empty()) {
    for (int a : protocol.areas()) areas.push_back(static_cast<protocol::v1::TreatmentArea>(a));
    return areas;
  }
  common::FieldViolations v;
  for (int i = 0; i < requested.size(); ++i) {
    const auto& allowed = protocol.areas();
    if (std::find(allowed.begin(), allowed.end(), requested[i]) == allowed.end()) {
      v.Add(absl::StrCat(field, "[", i, "]"), "not one of the protocol's areas");
    } else if (std::find(areas.begin(), areas.end(), requested[i]) != areas.end()) {
      v.Add(absl::StrCat(field, "[", i, "]"), "listed twice");
    } else {
      areas.push_back(static_cast<protocol::v1::TreatmentArea>(requested[i]));
    }
  }
  DF_RETURN_IF_ERROR(v.ToStatus());
  return areas;
}

std::vector<std::string> SuitableRoomIds(const std::vector<v1::Room>& rooms,
                                         const std::string& clinic_id,
                                         protocol::v1::ProtocolCategory category) {
  std::vector<std::string> ids;
  for (const v1::Room& room : rooms) {
    if (!room.archived() && RoomSuits(room, clinic_id, category)) ids.push_back(room.id());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::Status NoSuitableRoomError(const std::string& clinic_id) {
  return common::FailedPreconditionError(
      "no room of the clinic can host this protocol",
      {{"ROOM_NOT_SUITABLE", "room/",
        absl::StrCat("clinic ", clinic_id, " has no room equipped for the protocol's category")}});
}

void RedactForCaller(v1::Appointment& appointment, const common::Caller& caller) {
  if (appointment.has_completion() && !caller.HasRole(kPractitionerRole)) {
    appointment.mutable_completion()->clear_notes();
  }
}

absl::StatusOr<CourseSnapshot> LoadCourseSnapshot(SchedulingDeps& deps, const std::string& org,
                                                  const v1::Course& course,
                                                  const std::vector<v1::Appointment>& changed) {
  CourseSnapshot snapshot;
  snapshot.session_count = course.session_count();
  std::vector<std::string> ids(course.appointment_ids().begin(), course.appointment_ids().end());
  DF_ASSIGN_OR_RETURN(std::vector<AppointmentRecord> records,
                      deps.appointments.GetAppointments(org, ids));
  for (AppointmentRecord& r : records) snapshot.appointments.push_back(std::move(r.appointment));
  for (const v1::Appointment& c : changed) {
    auto it = std::find_if(snapshot.appointments.begin(), snapshot.appointments.end(),
                           [&](const v1::Appointment& a) { return a.id() == c.id(); });
    if (it != snapshot.appointments.end()) {
      *it = c;
    } else {
      snapshot.appointments.push_back(c);
    }
  }
  return snapshot;
}

absl::StatusOr<v1::Course> GetCourseWithAppointments(SchedulingDeps& deps, const std::string& org,
                                                     const std::string& id) {
  DF_ASSIGN_OR_RETURN(v1::Course course, deps.appointments.GetCourse(org, id));
  std::vector<std::string> ids(course.appointment_ids().begin(), course.appointment_ids().end());
  DF_ASSIGN_OR_RETURN(std::vector<AppointmentRecord> records,
                      deps.appointments.GetAppointments(org, ids));
  for (AppointmentRecord& r : records) *course.add_appointments() = std::move(r.appointment);
  return course;
}

absl::StatusOr<std::string> OverridingPractitioner(SchedulingDeps& deps,
                                                   const common::Caller& caller) {
  if (!caller.HasRole(kPractitionerRole)) {
    return absl::PermissionDeniedError("only a practitioner can override contraindications");
  }
  DF_ASSIGN_OR_RETURN(std::optional<v1::Practitioner> p, deps.resources.FindPractitionerBySubject(
                                                             caller.organization, caller.subject));
  if (!p) {
    return absl::PermissionDeniedError(
        "the caller is no practitioner of this organization (no Practitioner.subject matches)");
  }
  return p->id();
}

}  // namespace dermaflow::scheduling
