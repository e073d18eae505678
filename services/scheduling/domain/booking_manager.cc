#include "services/scheduling/domain/booking_manager.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/request_id.h"
#include "common/api/utf8.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/api/permissions.h"
#include "services/scheduling/api/scheduling_errors.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/appointment_support.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/course_planning.h"
#include "services/scheduling/domain/course_progress.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/resource_validation.h"
#include "services/scheduling/domain/screening.h"

namespace dermaflow::scheduling {
namespace {

using protocol::v1::TreatmentArea;

// Races lost to concurrent writers are retried this often before giving up.
constexpr int kAttempts = 3;

// Everything a booking is about, loaded and checked against the rules that
// need no calendar.
struct Subject {
  v1::Clinic clinic;
  absl::TimeZone tz;
  v1::Practitioner practitioner;
  protocol::v1::Protocol protocol;
  std::optional<v1::Room> room;       // asked for by the caller
  std::vector<std::string> room_ids;  // candidates in order of preference
  std::vector<TreatmentArea> areas;

  BookingParties parties() const {
    return {&clinic, &practitioner, &protocol, room ? &*room : nullptr};
  }
  absl::Duration duration() const { return ToDuration(protocol.session_duration()); }
  absl::Duration buffer() const { return BufferOf(clinic); }
};

struct SubjectRequest {
  std::string clinic_id;
  std::string practitioner_id;
  std::string room_id;  // empty: any suitable room
  std::string protocol_id;
  int64_t protocol_version = 0;  // 0: the latest
  const google::protobuf::RepeatedField<int>* areas = nullptr;
};

absl::StatusOr<Subject> LoadSubject(SchedulingDeps& deps, const CallContext& call,
                                    const SubjectRequest& r) {
  const std::string& org = call.caller.organization;
  Subject s;
  DF_ASSIGN_OR_RETURN(s.clinic, deps.resources.GetClinic(org, r.clinic_id));
  DF_ASSIGN_OR_RETURN(s.tz, ZoneOf(s.clinic));
  DF_ASSIGN_OR_RETURN(s.practitioner, deps.resources.GetPractitioner(org, r.practitioner_id));
  if (!r.room_id.empty()) {
    DF_ASSIGN_OR_RETURN(s.room, deps.resources.GetRoom(org, r.room_id));
  }
  DF_ASSIGN_OR_RETURN(s.protocol,
                      deps.protocols.GetProtocol(call.origin(), r.protocol_id, r.protocol_version));
  DF_ASSIGN_OR_RETURN(s.areas, ResolveAreas(*r.areas, s.protocol, "areas"));
  DF_RETURN_IF_ERROR(
      ToPreconditionStatus("the booking rules are not met", CheckParties(s.parties())));
  if (s.room) {
    s.room_ids = {s.room->id()};
  } else {
    DF_ASSIGN_OR_RETURN(std::vector<v1::Room> rooms, deps.resources.ListRooms(org));
    s.room_ids = SuitableRoomIds(rooms, s.clinic.id(), s.protocol.category());
    if (s.room_ids.empty()) return NoSuitableRoomError(s.clinic.id());
  }
  return s;
}

// Screens the patient (first session's local date) and returns the override
// to store, if warnings needed one.
absl::StatusOr<std::optional<v1::Override>> Screen(SchedulingDeps& deps, const CallContext& call,
                                                   const std::string& patient_id, const Subject& s,
                                                   absl::Time first_start,
                                                   const v1::Override* requested) {
  protocol::v1::ScreenEligibilityRequest request;
  request.set_patient_id(patient_id);
  request.set_protocol_id(s.protocol.id());
  request.set_protocol_version(s.protocol.version());
  for (TreatmentArea a : s.areas) request.add_areas(a);
  *request.mutable_treatment_date() = ToDate(absl::ToCivilDay(first_start, s.tz));
  DF_ASSIGN_OR_RETURN(protocol::v1::ScreenEligibilityResponse screening,
                      deps.protocols.ScreenEligibility(call.origin(), request));
  DF_RETURN_IF_ERROR(CheckScreening(screening, requested, "override"));
  if (!NeedsOverride(screening)) return std::nullopt;
  DF_ASSIGN_OR_RETURN(std::string practitioner_id, OverridingPractitioner(deps, call.caller));
  return RecordOverride(*requested, screening, practitioner_id, deps.clock.Now());
}

// The busy calendars a booking must respect, read at one moment (for
// planning and validate_only; the store re-checks atomically).
struct Calendars {
  Calendar practitioner;
  Calendar patient;
  std::map<std::string, Calendar> rooms;
};

absl::StatusOr<Calendars> LoadCalendars(SchedulingDeps& deps, const std::string& org,
                                        const Subject& s, const std::string& patient_id,
                                        const Interval& window,
                                        const AppointmentRecord* ignore = nullptr) {
  std::vector<std::pair<CalendarOwner, std::string>> owners = {
      {CalendarOwner::kPractitioner, s.practitioner.id()}, {CalendarOwner::kPatient, patient_id}};
  for (const std::string& room : s.room_ids) owners.push_back({CalendarOwner::kRoom, room});
  DF_ASSIGN_OR_RETURN(auto busy, deps.appointments.BusyIntervals(org, owners, window));
  if (ignore != nullptr) {  // an appointment being moved does not block itself
    const absl::Time start = ToTime(ignore->appointment.start_time());
    for (auto& list : busy) {
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const Interval& i) { return i.start == start; }),
                 list.end());
    }
  }
  Calendars c{Calendar(std::move(busy[0])), Calendar(std::move(busy[1])), {}};
  for (size_t i = 0; i < s.room_ids.size(); ++i) {
    c.rooms.emplace(s.room_ids[i], Calendar(std::move(busy[i + 2])));
  }
  return c;
}

// The first candidate room free for `occupied`, or ALREADY_EXISTS naming
// what is busy (as the store would).
absl::StatusOr<std::string> CheckCalendars(const Calendars& c, const Subject& s,
                                           const std::string& patient_id, int session,
                                           absl::Time start) {
  const Interval session_time{start, start + s.duration()};
  const Interval occupied{start, session_time.end + s.buffer()};
  if (auto busy = c.practitioner.FirstOverlap(occupied)) {
    return SlotConflictError({session, "practitioner", s.practitioner.id(), start, "-", busy->start,
                              s.clinic.time_zone()});
  }
  std::optional<Interval> room_busy;
  for (const std::string& room : s.room_ids) {
    auto busy = c.rooms.at(room).FirstOverlap(occupied);
    if (!busy) {
      if (auto patient_busy = c.patient.FirstOverlap(session_time)) {
        return SlotConflictError({session, "patient", patient_id, start, "-", patient_busy->start,
                                  s.clinic.time_zone()});
      }
      return room;
    }
    if (!room_busy) room_busy = busy;
  }
  return SlotConflictError({session, "room", s.room_ids.size() == 1 ? s.room_ids[0] : "", start,
                            "-", room_busy ? room_busy->start : start, s.clinic.time_zone()});
}

v1::Appointment NewAppointment(const CallContext& call, const Subject& s,
                               const std::string& patient_id, absl::Time start,
                               const std::string& notes,
                               const std::optional<v1::Override>& override_, absl::Time now) {
  v1::Appointment a;
  a.set_id(NewId("ap"));
  a.set_patient_id(patient_id);
  a.set_protocol_id(s.protocol.id());
  a.set_protocol_version(s.protocol.version());
  a.set_protocol_category(s.protocol.category());
  a.set_clinic_id(s.clinic.id());
  a.set_practitioner_id(s.practitioner.id());
  for (TreatmentArea area : s.areas) a.add_areas(area);
  SetTimes(a, start, s.duration(), s.tz);
  a.set_time_zone(s.clinic.time_zone());
  a.set_state(v1::APPOINTMENT_STATE_BOOKED);
  if (override_) *a.mutable_override() = *override_;
  a.set_notes(notes);
  a.set_etag(NewEtag());
  *a.mutable_create_time() = ToTimestamp(now);
  *a.mutable_update_time() = ToTimestamp(now);
  a.set_created_by(call.caller.subject);
  return a;
}

// Shared request checks of BookAppointment and PlanCourse.
void ValidateBookingFields(const std::string& patient_id, const std::string& protocol_id,
                           const std::string& clinic_id, const std::string& practitioner_id,
                           bool has_start, const std::string& start_field, const std::string& notes,
                           const std::string& request_id, common::FieldViolations& v) {
  if (patient_id.empty()) v.Add("patient_id", "required");
  if (protocol_id.empty()) v.Add("protocol_id", "required");
  if (clinic_id.empty()) v.Add("clinic_id", "required");
  if (practitioner_id.empty()) v.Add("practitioner_id", "required");
  if (!has_start) v.Add(start_field, "required");
  if (common::Utf8Length(notes) > 2000) v.Add("notes", "at most 2000 characters");
  common::ValidateRequestId(request_id, v);
}

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

absl::StatusOr<v1::Appointment> BookingManager::BookAppointment(
    const CallContext& call, const v1::BookAppointmentRequest& request) {
  absl::StatusOr<v1::Appointment> result = Book(call, request);
  if (metrics_ != nullptr && !request.validate_only()) metrics_->RecordBooking(result.status());
  if (result.ok()) RedactForCaller(*result, call.caller);
  return result;
}

absl::StatusOr<v1::Course> BookingManager::PlanCourse(const CallContext& call,
                                                      const v1::PlanCourseRequest& request) {
  absl::StatusOr<v1::Course> result = Plan(call, request);
  if (metrics_ != nullptr && !request.validate_only()) metrics_->RecordBooking(result.status());
  if (result.ok()) {
    for (auto& a : *result->mutable_appointments()) RedactForCaller(a, call.caller);
  }
  return result;
}

absl::StatusOr<v1::Appointment> BookingManager::RescheduleAppointment(
    const CallContext& call, const v1::RescheduleAppointmentRequest& request) {
  absl::StatusOr<v1::Appointment> result = Move(call, request);
  if (result.ok()) RedactForCaller(*result, call.caller);
  return result;
}

absl::StatusOr<v1::Appointment> BookingManager::Book(const CallContext& call,
                                                     const v1::BookAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  const std::string& org = call.caller.organization;
  common::FieldViolations v;
  ValidateBookingFields(request.patient_id(), request.protocol_id(), request.clinic_id(),
                        request.practitioner_id(), request.has_start_time(), "start_time",
                        request.notes(), request.request_id(), v);
  if (!request.course_id().empty() && request.course_session_index() < 1) {
    v.Add("course_session_index", "required with course_id, 1-based");
  }
  DF_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_.clock.Now();
  const absl::Time start = ToTime(request.start_time());
  DF_RETURN_IF_ERROR(CheckStartTime(start, now, "start_time"));

  const std::string fingerprint = common::RequestFingerprint(request);
  if (!request.validate_only()) {
    DF_ASSIGN_OR_RETURN(auto replay, deps_.appointments.FindRequest(
                                         org, "book", request.request_id(), fingerprint));
    if (replay) {
      DF_ASSIGN_OR_RETURN(AppointmentRecord r, deps_.appointments.GetAppointment(org, *replay));
      return r.appointment;
    }
  }

  // A replacement session joins its course and books the course's version.
  std::optional<v1::Course> course;
  int64_t version = 0;
  if (!request.course_id().empty()) {
    DF_ASSIGN_OR_RETURN(course, deps_.appointments.GetCourse(org, request.course_id()));
    if (course->patient_id() != request.patient_id() ||
        course->protocol_id() != request.protocol_id()) {
      return common::InvalidArgumentError("course_id",
                                          "the course is for another patient or protocol");
    }
    if (request.course_session_index() > course->session_count()) {
      return common::InvalidArgumentError("course_session_index", "beyond the course's sessions");
    }
    DF_RETURN_IF_ERROR(CheckCourseOpen(*course, false));
    version = course->protocol_version();
  }
  DF_ASSIGN_OR_RETURN(
      Subject s, LoadSubject(deps_, call,
                             {request.clinic_id(), request.practitioner_id(), request.room_id(),
                              request.protocol_id(), version, &request.areas()}));
  const Interval occupied{start, start + s.duration() + s.buffer()};
  DF_RETURN_IF_ERROR(ToPreconditionStatus("the booking rules are not met",
                                          CheckSessionTime(s.parties(), s.tz, occupied)));
  DF_ASSIGN_OR_RETURN(std::optional<v1::Override> override_,
                      Screen(deps_, call, request.patient_id(), s, start,
                             request.has_override() ? &request.override() : nullptr));

  for (int attempt = 1;; ++attempt) {
    v1::Appointment a =
        NewAppointment(call, s, request.patient_id(), start, request.notes(), override_, now);
    NewBooking booking{"book", request.request_id(), fingerprint, a.id(), {}, std::nullopt, "", {}};
    CourseSnapshot snapshot;
    if (course) {
      DF_ASSIGN_OR_RETURN(course, deps_.appointments.GetCourse(org, course->id()));
      DF_ASSIGN_OR_RETURN(snapshot, LoadCourseSnapshot(deps_, org, *course, {}));
      for (const v1::Appointment& other : snapshot.appointments) {
        if (other.course_session_index() == request.course_session_index() &&
            other.state() != v1::APPOINTMENT_STATE_CANCELLED &&
            other.state() != v1::APPOINTMENT_STATE_NOSHOW) {
          return common::FailedPreconditionError(
              "the course session is taken",
              {{"COURSE_SESSION_TAKEN", absl::StrCat("session/", request.course_session_index()),
                absl::StrCat("appointment ", other.id(), " is ", StateName(other.state()))}});
        }
      }
      a.set_course_id(course->id());
      a.set_course_session_index(request.course_session_index());
      snapshot.appointments.push_back(a);
      v1::Course updated = *course;
      SortCourseAppointments(updated, snapshot.appointments);
      updated.set_etag(NewEtag());
      *updated.mutable_update_time() = ToTimestamp(now);
      booking.course = updated;
      booking.course_expected_etag = course->etag();
    }
    if (request.validate_only()) {
      DF_ASSIGN_OR_RETURN(Calendars calendars,
                          LoadCalendars(deps_, org, s, request.patient_id(), occupied));
      DF_ASSIGN_OR_RETURN(std::string room,
                          CheckCalendars(calendars, s, request.patient_id(), 1, start));
      a.set_room_id(room);
      a.clear_id();
      a.clear_etag();
      return a;
    }
    booking.sessions.push_back({a, occupied.end, s.room_ids});
    events::v1::Event event = EventEnvelope{org, call.caller.subject, now}.New();
    *event.mutable_appointment_booked()->mutable_appointment() =
        MakeAppointmentInfo(a, s.clinic, s.practitioner, course ? &snapshot : nullptr);
    booking.events.push_back(std::move(event));

    absl::StatusOr<BookingResult> result = deps_.appointments.Book(org, booking);
    if (absl::IsAborted(result.status()) && attempt < kAttempts) continue;  // the course moved on
    if (!result.ok()) return result.status();
    if (result->replayed_id) {
      DF_ASSIGN_OR_RETURN(AppointmentRecord r,
                          deps_.appointments.GetAppointment(org, *result->replayed_id));
      return r.appointment;
    }
    a.set_room_id(result->rooms.at(0));
    return a;
  }
}

absl::StatusOr<v1::Course> BookingManager::Plan(const CallContext& call,
                                                const v1::PlanCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  const std::string& org = call.caller.organization;
  common::FieldViolations v;
  ValidateBookingFields(request.patient_id(), request.protocol_id(), request.clinic_id(),
                        request.practitioner_id(), request.has_first_start_time(),
                        "first_start_time", request.notes(), request.request_id(), v);
  if (request.session_count() < 0 || request.session_count() > 20) {
    v.Add("session_count", "1-20, or 0 for the protocol's count");
  }
  DF_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_.clock.Now();
  const absl::Time first = ToTime(request.first_start_time());
  DF_RETURN_IF_ERROR(CheckStartTime(first, now, "first_start_time"));

  const std::string fingerprint = common::RequestFingerprint(request);
  if (!request.validate_only()) {
    DF_ASSIGN_OR_RETURN(auto replay, deps_.appointments.FindRequest(
                                         org, "plan", request.request_id(), fingerprint));
    if (replay) return GetCourseWithAppointments(deps_, org, *replay);
  }
  DF_ASSIGN_OR_RETURN(
      Subject s, LoadSubject(deps_, call,
                             {request.clinic_id(), request.practitioner_id(), request.room_id(),
                              request.protocol_id(), 0, &request.areas()}));
  const protocol::v1::CoursePlan& plan = s.protocol.course_plan();
  const int sessions = request.session_count() > 0 ? request.session_count() : plan.session_count();
  if (sessions == 0) {
    return common::InvalidArgumentError(
        "session_count",
        "required: the protocol leaves the number of sessions to the practitioner");
  }
  CoursePlanRequest course_plan{s.tz,
                                first,
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
  DF_ASSIGN_OR_RETURN(std::optional<v1::Override> override_,
                      Screen(deps_, call, request.patient_id(), s, first,
                             request.has_override() ? &request.override() : nullptr));

  const Interval window{
      first - course_plan.tolerance - absl::Hours(24),
      IdealSessionStart(course_plan, sessions) + course_plan.tolerance + absl::Hours(48)};
  for (int attempt = 1;; ++attempt) {
    DF_ASSIGN_OR_RETURN(Calendars calendars,
                        LoadCalendars(deps_, org, s, request.patient_id(), window));
    std::map<int, std::string> rooms;
    auto try_take = [&](int index, absl::Time start) -> absl::Status {
      if (index > 1) DF_RETURN_IF_ERROR(CheckStartTime(start, now, "first_start_time"));
      const Interval occupied{start, start + s.duration() + s.buffer()};
      DF_RETURN_IF_ERROR(ToPreconditionStatus("the booking rules are not met",
                                              CheckSessionTime(s.parties(), s.tz, occupied)));
      DF_ASSIGN_OR_RETURN(std::string room,
                          CheckCalendars(calendars, s, request.patient_id(), index, start));
      calendars.practitioner.Add(occupied);
      calendars.patient.Add({start, start + s.duration()});
      calendars.rooms.at(room).Add(occupied);
      rooms[index] = room;
      return absl::OkStatus();
    };
    DF_ASSIGN_OR_RETURN(std::vector<absl::Time> starts, PlanCourseSessions(course_plan, try_take));

    v1::Course course;
    course.set_id(NewId("co"));
    course.set_patient_id(request.patient_id());
    course.set_protocol_id(s.protocol.id());
    course.set_protocol_version(s.protocol.version());
    course.set_protocol_category(s.protocol.category());
    course.set_clinic_id(s.clinic.id());
    course.set_practitioner_id(s.practitioner.id());
    for (TreatmentArea area : s.areas) course.add_areas(area);
    course.set_state(v1::COURSE_STATE_PLANNED);
    course.set_session_count(sessions);
    course.set_time_zone(s.clinic.time_zone());
    if (override_) *course.mutable_override() = *override_;
    course.set_etag(NewEtag());
    *course.mutable_create_time() = ToTimestamp(now);
    *course.mutable_update_time() = ToTimestamp(now);

    CourseSnapshot snapshot{sessions, {}};
    for (int i = 0; i < sessions; ++i) {
      v1::Appointment a =
          NewAppointment(call, s, request.patient_id(), starts[i], request.notes(), override_, now);
      a.set_course_id(course.id());
      a.set_course_session_index(i + 1);
      course.add_appointment_ids(a.id());
      snapshot.appointments.push_back(std::move(a));
    }
    if (request.validate_only()) {
      course.clear_id();
      course.clear_etag();
      course.clear_appointment_ids();
      for (v1::Appointment& a : snapshot.appointments) {
        a.set_room_id(rooms[a.course_session_index()]);
        a.clear_id();
        a.clear_etag();
        a.clear_course_id();
        *course.add_appointments() = std::move(a);
      }
      return course;
    }

    NewBooking booking{"plan", request.request_id(), fingerprint, course.id(), {}, course, "", {}};
    const EventEnvelope envelope{org, call.caller.subject, now};
    events::v1::Event planned = envelope.New();
    auto* p = planned.mutable_course_planned();
    p->set_course_id(course.id());
    p->set_patient_id(course.patient_id());
    p->set_protocol_id(course.protocol_id());
    p->set_protocol_version(course.protocol_version());
    p->set_clinic_id(course.clinic_id());
    p->set_clinic_time_zone(course.time_zone());
    p->set_session_count(sessions);
    booking.events.push_back(std::move(planned));
    for (const v1::Appointment& a : snapshot.appointments) {
      // The room planned first, then the others, should a race take it.
      std::vector<std::string> candidates = {rooms[a.course_session_index()]};
      for (const std::string& r : s.room_ids) {
        if (r != candidates[0]) candidates.push_back(r);
      }
      booking.sessions.push_back({a, ToTime(a.end_time()) + s.buffer(), std::move(candidates)});
      *booking.events[0].mutable_course_planned()->add_sessions() = MakeCourseSessionInfo(a);
      events::v1::Event booked = envelope.New();
      *booked.mutable_appointment_booked()->mutable_appointment() =
          MakeAppointmentInfo(a, s.clinic, s.practitioner, &snapshot);
      booking.events.push_back(std::move(booked));
    }

    absl::StatusOr<BookingResult> result = deps_.appointments.Book(org, booking);
    // A session taken since the calendars were read: plan again around it.
    if (absl::IsAlreadyExists(result.status()) && attempt < kAttempts) continue;
    if (!result.ok()) return result.status();
    if (result->replayed_id) return GetCourseWithAppointments(deps_, org, *result->replayed_id);
    for (int i = 0; i < sessions; ++i) {
      snapshot.appointments[i].set_room_id(result->rooms.at(i));
      *course.add_appointments() = std::move(snapshot.appointments[i]);
    }
    return course;
  }
}

absl::StatusOr<v1::Appointment> BookingManager::Move(
    const CallContext& call, const v1::RescheduleAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  const std::string& org = call.caller.organization;
  common::FieldViolations v;
  if (request.id().empty()) v.Add("id", "required");
  if (!request.has_start_time()) v.Add("start_time", "required");
  if (request.etag().empty()) v.Add("etag", "required: send the etag last read");
  DF_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_.clock.Now();
  const absl::Time start = ToTime(request.start_time());
  DF_RETURN_IF_ERROR(CheckStartTime(start, now, "start_time"));

  for (int attempt = 1;; ++attempt) {
    DF_ASSIGN_OR_RETURN(AppointmentRecord before,
                        deps_.appointments.GetAppointment(org, request.id()));
    const v1::Appointment& old = before.appointment;
    if (old.etag() != request.etag()) {
      return common::EtagMismatchError(kErrorDomain, kAppointmentType, old.id());
    }
    DF_RETURN_IF_ERROR(CheckReschedulable(old));
    const std::string practitioner_id =
        request.practitioner_id().empty() ? old.practitioner_id() : request.practitioner_id();
    google::protobuf::RepeatedField<int> areas(old.areas().begin(), old.areas().end());
    DF_ASSIGN_OR_RETURN(Subject s,
                        LoadSubject(deps_, call,
                                    {old.clinic_id(), practitioner_id, request.room_id(),
                                     old.protocol_id(), old.protocol_version(), &areas}));
    if (!s.room) {  // keep the current room when it is still free and suitable
      auto it = std::find(s.room_ids.begin(), s.room_ids.end(), old.room_id());
      if (it != s.room_ids.end()) std::rotate(s.room_ids.begin(), it, it + 1);
    }
    const absl::Duration duration = ToTime(old.end_time()) - ToTime(old.start_time());
    const Interval occupied{start, start + duration + s.buffer()};
    DF_RETURN_IF_ERROR(ToPreconditionStatus("the booking rules are not met",
                                            CheckSessionTime(s.parties(), s.tz, occupied)));
    v1::Appointment after = old;
    SetTimes(after, start, duration, s.tz);
    after.set_practitioner_id(s.practitioner.id());
    after.clear_room_id();
    after.set_etag(NewEtag());
    *after.mutable_update_time() = ToTimestamp(now);

    if (request.validate_only()) {
      DF_ASSIGN_OR_RETURN(Calendars calendars,
                          LoadCalendars(deps_, org, s, old.patient_id(), occupied, &before));
      DF_ASSIGN_OR_RETURN(std::string room,
                          CheckCalendars(calendars, s, old.patient_id(), 1, start));
      after.set_room_id(room);
      after.set_etag(old.etag());
      return after;
    }
    std::optional<CourseSnapshot> snapshot;
    if (!old.course_id().empty()) {
      DF_ASSIGN_OR_RETURN(v1::Course course, deps_.appointments.GetCourse(org, old.course_id()));
      DF_ASSIGN_OR_RETURN(snapshot, LoadCourseSnapshot(deps_, org, course, {after}));
    }
    events::v1::Event event = EventEnvelope{org, call.caller.subject, now}.New();
    auto* moved = event.mutable_appointment_rescheduled();
    *moved->mutable_appointment() =
        MakeAppointmentInfo(after, s.clinic, s.practitioner, snapshot ? &*snapshot : nullptr);
    *moved->mutable_previous_start_time() = old.start_time();

    AppointmentMove move{before, after, occupied.end, s.room_ids, {std::move(event)}};
    absl::StatusOr<std::string> room = deps_.appointments.Reschedule(org, move);
    // ABORTED: changed since read; the next read tells a stale etag apart.
    if (absl::IsAborted(room.status()) && attempt < kAttempts) continue;
    if (!room.ok()) return room.status();
    after.set_room_id(*room);
    return after;
  }
}

}  // namespace dermaflow::scheduling
