#include "services/scheduling/domain/appointment_manager.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/page_size.h"
#include "common/api/utf8.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/api/permissions.h"
#include "services/scheduling/api/scheduling_errors.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/appointment_support.h"
#include "services/scheduling/domain/course_progress.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/resource_validation.h"

namespace dermaflow::scheduling {
namespace {

constexpr int kAttempts = 3;
constexpr absl::Duration kMaxListRange = absl::Hours(24 * 62);

// A states filter: empty, or only UNSPECIFIED ("any"), matches every state.
bool StateMatches(const google::protobuf::RepeatedField<int>& states, int state) {
  bool any = true;
  for (int s : states) {
    if (s == 0) continue;
    if (s == state) return true;
    any = false;
  }
  return any;
}

absl::Status RequireId(const std::string& id) {
  return id.empty() ? common::InvalidArgumentError("id", "required") : absl::OkStatus();
}

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

absl::Status ValidateCompletion(const v1::Completion& c, const protocol::v1::Protocol& protocol) {
  common::FieldViolations v;
  if (c.treated_areas().empty()) v.Add("completion.treated_areas", "required: at least one area");
  for (int i = 0; i < c.treated_areas_size(); ++i) {
    const auto& allowed = protocol.areas();
    if (std::find(allowed.begin(), allowed.end(), c.treated_areas(i)) == allowed.end()) {
      v.Add(absl::StrCat("completion.treated_areas[", i, "]"), "not one of the protocol's areas");
    }
  }
  for (int i = 0; i < c.side_effects_size(); ++i) {
    if (c.side_effects(i) == v1::SIDE_EFFECT_UNSPECIFIED ||
        !v1::SideEffect_IsValid(c.side_effects(i))) {
      v.Add(absl::StrCat("completion.side_effects[", i, "]"), "must be a known side effect");
    }
  }
  if (common::Utf8Length(c.notes()) > 4000) v.Add("completion.notes", "at most 4000 characters");
  if (c.products_size() > 20) v.Add("completion.products", "at most 20");
  for (int i = 0; i < c.products_size(); ++i) {
    const std::string path = absl::StrCat("completion.products[", i, "]");
    if (!common::Utf8LengthBetween(c.products(i).name(), 1, 200))
      v.Add(path + ".name", "1-200 characters");
    if (common::Utf8Length(c.products(i).lot_number()) > 64)
      v.Add(path + ".lot_number", "at most 64 characters");
    if (common::Utf8Length(c.products(i).amount()) > 50)
      v.Add(path + ".amount", "at most 50 characters");
  }
  return v.ToStatus();
}

absl::Status ValidateCancellation(const v1::Cancellation& c) {
  common::FieldViolations v;
  if (c.reason() == v1::CANCELLATION_REASON_UNSPECIFIED ||
      !v1::CancellationReason_IsValid(c.reason())) {
    v.Add("cancellation.reason", "required");
  }
  if (common::Utf8Length(c.note()) > 500) v.Add("cancellation.note", "at most 500 characters");
  return v.ToStatus();
}

// Practitioners by id, loaded once per change (for display names in events).
class PractitionerCache {
 public:
  PractitionerCache(SchedulingDeps& deps, const std::string& org) : deps_(deps), org_(org) {}
  absl::StatusOr<const v1::Practitioner*> Get(const std::string& id) {
    auto it = cache_.find(id);
    if (it == cache_.end()) {
      DF_ASSIGN_OR_RETURN(v1::Practitioner p, deps_.resources.GetPractitioner(org_, id));
      it = cache_.emplace(id, std::move(p)).first;
    }
    return &it->second;
  }

 private:
  SchedulingDeps& deps_;
  const std::string& org_;
  std::map<std::string, v1::Practitioner> cache_;
};

}  // namespace

// --- changes of one appointment ------------------------------------------------

absl::StatusOr<v1::Appointment> AppointmentManager::Transition(const CallContext& call,
                                                               const std::string& id,
                                                               const std::string& etag,
                                                               const Apply& apply) {
  const std::string& org = call.caller.organization;
  for (int attempt = 1;; ++attempt) {
    const absl::Time now = deps_.clock.Now();
    DF_ASSIGN_OR_RETURN(AppointmentRecord before, deps_.appointments.GetAppointment(org, id));
    if (!etag.empty() && before.appointment.etag() != etag) {
      return common::EtagMismatchError(kErrorDomain, kAppointmentType, id);
    }
    DF_ASSIGN_OR_RETURN(v1::Clinic clinic,
                        deps_.resources.GetClinic(org, before.appointment.clinic_id()));
    DF_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(clinic));
    v1::Appointment after = before.appointment;
    DF_RETURN_IF_ERROR(apply(after, tz));
    after.set_etag(NewEtag());

    Change change;
    change.appointments.push_back({before, after});
    if (after.state() != before.appointment.state()) {
      const EventEnvelope envelope{org, call.caller.subject, now};
      DF_ASSIGN_OR_RETURN(v1::Practitioner practitioner,
                          deps_.resources.GetPractitioner(org, after.practitioner_id()));
      std::optional<CourseSnapshot> snapshot;
      std::optional<events::v1::Event> course_event;
      if (!after.course_id().empty()) {
        DF_ASSIGN_OR_RETURN(v1::Course course,
                            deps_.appointments.GetCourse(org, after.course_id()));
        DF_ASSIGN_OR_RETURN(snapshot, LoadCourseSnapshot(deps_, org, course, {after}));
        if (after.state() == v1::APPOINTMENT_STATE_FULFILLED) {
          DF_ASSIGN_OR_RETURN(protocol::v1::Protocol protocol,
                              deps_.protocols.GetProtocol(call.origin(), course.protocol_id(),
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
      if (auto event = StateEvent(
              envelope, before.appointment, after,
              MakeAppointmentInfo(after, clinic, practitioner, snapshot ? &*snapshot : nullptr))) {
        change.events.push_back(std::move(*event));
      }
      if (course_event) change.events.push_back(std::move(*course_event));
    }
    absl::Status status = deps_.appointments.Commit(org, change);
    if (absl::IsAborted(status) && attempt < kAttempts) continue;  // re-read and re-apply
    DF_RETURN_IF_ERROR(status);
    RedactForCaller(after, call.caller);
    return after;
  }
}

absl::StatusOr<v1::Appointment> AppointmentManager::UpdateAppointment(
    const CallContext& call, const v1::UpdateAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  const v1::Appointment& update = request.appointment();
  common::FieldViolations v;
  if (update.id().empty()) v.Add("appointment.id", "required");
  if (update.etag().empty()) v.Add("appointment.etag", "required: send the etag last read");
  if (request.update_mask().paths_size() != 1 || request.update_mask().paths(0) != "notes") {
    v.Add("update_mask", "must be exactly \"notes\"");
  }
  if (common::Utf8Length(update.notes()) > 2000)
    v.Add("appointment.notes", "at most 2000 characters");
  DF_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_.clock.Now();
  return Transition(call, update.id(), update.etag(), [&](v1::Appointment& a, absl::TimeZone) {
    a.set_notes(update.notes());
    *a.mutable_update_time() = ToTimestamp(now);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Appointment> AppointmentManager::CancelAppointment(
    const CallContext& call, const v1::CancelAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  if (request.etag().empty()) return common::InvalidArgumentError("etag", "required");
  DF_RETURN_IF_ERROR(ValidateCancellation(request.cancellation()));
  return Transition(call, request.id(), request.etag(), [&](v1::Appointment& a, absl::TimeZone) {
    return Cancel(a, request.cancellation(), deps_.clock.Now(), call.caller.subject);
  });
}

absl::StatusOr<v1::Appointment> AppointmentManager::CheckInAppointment(
    const CallContext& call, const v1::CheckInAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  return Transition(call, request.id(), request.etag(), [&](v1::Appointment& a, absl::TimeZone tz) {
    return CheckIn(a, deps_.clock.Now(), tz);
  });
}

absl::StatusOr<v1::Appointment> AppointmentManager::CompleteAppointment(
    const CallContext& call, const v1::CompleteAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kTreatmentRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  const std::string& org = call.caller.organization;
  return Transition(call, request.id(), request.etag(), [&](v1::Appointment& a, absl::TimeZone) {
    DF_ASSIGN_OR_RETURN(
        protocol::v1::Protocol protocol,
        deps_.protocols.GetProtocol(call.origin(), a.protocol_id(), a.protocol_version()));
    DF_RETURN_IF_ERROR(ValidateCompletion(request.completion(), protocol));
    const std::string& by = request.completion().practitioner_id();
    if (!by.empty() && absl::IsNotFound(deps_.resources.GetPractitioner(org, by).status())) {
      return common::InvalidArgumentError("completion.practitioner_id", "unknown practitioner");
    }
    return Complete(a, request.completion(), deps_.clock.Now(), call.caller.subject);
  });
}

absl::StatusOr<v1::Appointment> AppointmentManager::MarkNoShow(
    const CallContext& call, const v1::MarkNoShowRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  return Transition(call, request.id(), request.etag(), [&](v1::Appointment& a, absl::TimeZone) {
    return scheduling::MarkNoShow(a, deps_.clock.Now());
  });
}

// --- reads ----------------------------------------------------------------------

absl::StatusOr<v1::Appointment> AppointmentManager::GetAppointment(
    const CallContext& call, const v1::GetAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kCalendarRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  DF_ASSIGN_OR_RETURN(AppointmentRecord r,
                      deps_.appointments.GetAppointment(call.caller.organization, request.id()));
  RedactForCaller(r.appointment, call.caller);
  return r.appointment;
}

absl::StatusOr<v1::ListAppointmentsResponse> AppointmentManager::ListAppointments(
    const CallContext& call, const v1::ListAppointmentsRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kCalendarRoles));
  const std::string& org = call.caller.organization;
  const bool by_patient_or_course = !request.patient_id().empty() || !request.course_id().empty();
  if (!by_patient_or_course && request.clinic_id().empty() && request.practitioner_id().empty()) {
    return common::InvalidArgumentError(
        "clinic_id", "give at least one of clinic_id, practitioner_id, patient_id, course_id");
  }
  absl::Time from = absl::InfinitePast(), to = absl::InfiniteFuture();
  const auto& range = request.time_range();
  if (range.has_start_time()) from = ToTime(range.start_time());
  if (range.has_end_time()) to = ToTime(range.end_time());
  if (!by_patient_or_course && (!range.has_start_time() || !range.has_end_time())) {
    return common::InvalidArgumentError("time_range", "required with both ends for a calendar");
  }
  if (from >= to)
    return common::InvalidArgumentError("time_range", "end_time must follow start_time");
  if (!by_patient_or_course && to - from > kMaxListRange) {
    return common::InvalidArgumentError("time_range", "at most 62 days");
  }
  for (int i = 0; i < request.states_size(); ++i) {
    if (!v1::AppointmentState_IsValid(request.states(i))) {
      return common::InvalidArgumentError(absl::StrCat("states[", i, "]"), "unknown state");
    }
  }
  DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(common::PagePosition cursor, page_tokens_.Decode(org, request));

  // The most selective listing; the other filters are applied below.
  std::vector<ListedAppointment> listed;
  if (!request.course_id().empty()) {
    absl::StatusOr<v1::Course> course = deps_.appointments.GetCourse(org, request.course_id());
    if (course.ok()) {
      std::vector<std::string> ids(course->appointment_ids().begin(),
                                   course->appointment_ids().end());
      DF_ASSIGN_OR_RETURN(auto records, deps_.appointments.GetAppointments(org, ids));
      for (const auto& r : records) {
        const absl::Time start = ToTime(r.appointment.start_time());
        if (start >= from && start < to) listed.push_back({r.appointment.id(), start});
      }
    } else if (!absl::IsNotFound(course.status())) {
      return course.status();
    }
  } else {
    AppointmentListing listing = AppointmentListing::kClinic;
    std::string owner = request.clinic_id();
    if (!request.patient_id().empty()) {
      listing = AppointmentListing::kPatient;
      owner = request.patient_id();
    } else if (!request.practitioner_id().empty()) {
      listing = AppointmentListing::kPractitioner;
      owner = request.practitioner_id();
    }
    DF_ASSIGN_OR_RETURN(listed,
                        deps_.appointments.ListAppointmentIds(org, listing, owner, from, to));
  }
  auto key = [](const ListedAppointment& l) {
    // Zero-padded, so the strings sort as the times do.
    return std::vector<std::string>{absl::StrFormat("%020d", absl::ToUnixSeconds(l.start)), l.id};
  };
  std::sort(listed.begin(), listed.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });

  auto matches = [&](const v1::Appointment& a) {
    if (!request.clinic_id().empty() && a.clinic_id() != request.clinic_id()) return false;
    if (!request.practitioner_id().empty() && a.practitioner_id() != request.practitioner_id())
      return false;
    if (!request.patient_id().empty() && a.patient_id() != request.patient_id()) return false;
    if (!request.course_id().empty() && a.course_id() != request.course_id()) return false;
    if (!request.room_id().empty() && a.room_id() != request.room_id()) return false;
    if (!StateMatches(request.states(), a.state())) return false;
    return true;
  };
  v1::ListAppointmentsResponse response;
  size_t next = 0;
  while (!cursor.empty() && next < listed.size() && !(cursor < key(listed[next]))) ++next;
  // Load in batches until the page is full; one more match means more pages.
  std::optional<ListedAppointment> last;
  while (next < listed.size()) {
    const size_t batch_end = std::min(listed.size(), next + static_cast<size_t>(page_size) + 1);
    std::vector<std::string> ids;
    for (size_t i = next; i < batch_end; ++i) ids.push_back(listed[i].id);
    DF_ASSIGN_OR_RETURN(auto records, deps_.appointments.GetAppointments(org, ids));
    for (size_t i = 0; i < records.size(); ++i) {
      if (!matches(records[i].appointment)) continue;
      if (response.appointments_size() == page_size) {
        DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                            page_tokens_.Encode(org, request, key(*last)));
        return response;
      }
      RedactForCaller(records[i].appointment, call.caller);
      *response.add_appointments() = std::move(records[i].appointment);
      last = listed[next + i];
    }
    next = batch_end;
  }
  return response;
}

// --- courses --------------------------------------------------------------------

absl::StatusOr<v1::Course> AppointmentManager::GetCourse(const CallContext& call,
                                                         const v1::GetCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kCalendarRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  DF_ASSIGN_OR_RETURN(v1::Course course,
                      GetCourseWithAppointments(deps_, call.caller.organization, request.id()));
  for (auto& a : *course.mutable_appointments()) RedactForCaller(a, call.caller);
  return course;
}

absl::StatusOr<v1::ListCoursesResponse> AppointmentManager::ListCourses(
    const CallContext& call, const v1::ListCoursesRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kCalendarRoles));
  const std::string& org = call.caller.organization;
  if (request.patient_id().empty() && request.clinic_id().empty()) {
    return common::InvalidArgumentError("patient_id", "give patient_id or clinic_id");
  }
  DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(common::PagePosition cursor, page_tokens_.Decode(org, request));
  DF_ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      request.patient_id().empty()
          ? deps_.appointments.ListCourseIds(org, CourseListing::kClinic, request.clinic_id())
          : deps_.appointments.ListCourseIds(org, CourseListing::kPatient, request.patient_id()));
  size_t next = 0;
  if (!cursor.empty()) {  // newest first; new courses only ever go in front
    auto it = std::find(ids.begin(), ids.end(), cursor[0]);
    next = it == ids.end() ? ids.size() : static_cast<size_t>(it - ids.begin()) + 1;
  }
  v1::ListCoursesResponse response;
  for (; next < ids.size(); ++next) {
    DF_ASSIGN_OR_RETURN(v1::Course course, deps_.appointments.GetCourse(org, ids[next]));
    if (!request.clinic_id().empty() && course.clinic_id() != request.clinic_id()) continue;
    if (!StateMatches(request.states(), course.state())) continue;
    if (response.courses_size() == page_size) {
      DF_ASSIGN_OR_RETURN(
          *response.mutable_next_page_token(),
          page_tokens_.Encode(org, request, {response.courses(page_size - 1).id()}));
      break;
    }
    *response.add_courses() = std::move(course);
  }
  return response;
}

absl::StatusOr<v1::Course> AppointmentManager::EndCourse(
    const CallContext& call, const std::string& id, const std::string& etag, bool require_active,
    const std::string& note, const Finish& finish) {
  const std::string& org = call.caller.organization;
  for (int attempt = 1;; ++attempt) {
    const absl::Time now = deps_.clock.Now();
    DF_ASSIGN_OR_RETURN(v1::Course course, deps_.appointments.GetCourse(org, id));
    if (course.etag() != etag) return common::EtagMismatchError(kErrorDomain, kCourseType, id);
    DF_RETURN_IF_ERROR(CheckCourseOpen(course, require_active));
    std::vector<std::string> ids(course.appointment_ids().begin(), course.appointment_ids().end());
    DF_ASSIGN_OR_RETURN(std::vector<AppointmentRecord> records,
                        deps_.appointments.GetAppointments(org, ids));
    DF_ASSIGN_OR_RETURN(v1::Clinic clinic, deps_.resources.GetClinic(org, course.clinic_id()));
    const EventEnvelope envelope{org, call.caller.subject, now};

    Change change;
    CourseSnapshot snapshot{course.session_count(), {}};
    v1::Cancellation ended;
    ended.set_reason(v1::CANCELLATION_REASON_COURSE_ENDED);
    ended.set_note(note);
    for (const AppointmentRecord& r : records) {
      v1::Appointment after = r.appointment;
      if (require_active && after.state() == v1::APPOINTMENT_STATE_ARRIVED) {
        return common::FailedPreconditionError(
            "a session of the course is in progress",
            {{"APPOINTMENT_STATE", absl::StrCat("appointment/", after.id()),
              "the appointment is ARRIVED: complete or cancel it first"}});
      }
      if (HoldsSlot(after.state())) {
        DF_RETURN_IF_ERROR(Cancel(after, ended, now, call.caller.subject));
        after.set_etag(NewEtag());
        change.appointments.push_back({r, after});
      }
      snapshot.appointments.push_back(std::move(after));
    }
    PractitionerCache practitioners(deps_, org);
    for (const Change::Appointment& c : change.appointments) {
      DF_ASSIGN_OR_RETURN(const v1::Practitioner* p, practitioners.Get(c.after.practitioner_id()));
      events::v1::Event e = envelope.New();
      *e.mutable_appointment_cancelled()->mutable_appointment() =
          MakeAppointmentInfo(c.after, clinic, *p, &snapshot);
      e.mutable_appointment_cancelled()->set_reason(v1::CANCELLATION_REASON_COURSE_ENDED);
      change.events.push_back(std::move(e));
    }
    v1::Course updated = course;
    DF_ASSIGN_OR_RETURN(events::v1::Event course_event,
                        finish(updated, snapshot, clinic, envelope));
    updated.set_etag(NewEtag());
    *updated.mutable_update_time() = ToTimestamp(now);
    change.events.push_back(std::move(course_event));
    change.course = Change::Course{course.etag(), updated};

    absl::Status status = deps_.appointments.Commit(org, change);
    if (absl::IsAborted(status) && attempt < kAttempts) continue;
    DF_RETURN_IF_ERROR(status);
    for (v1::Appointment& a : snapshot.appointments) {
      RedactForCaller(a, call.caller);
      *updated.add_appointments() = std::move(a);
    }
    return updated;
  }
}

absl::StatusOr<v1::Course> AppointmentManager::CancelCourse(
    const CallContext& call, const v1::CancelCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kBookingRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  if (request.etag().empty()) return common::InvalidArgumentError("etag", "required");
  DF_RETURN_IF_ERROR(ValidateCancellation(request.cancellation()));
  return EndCourse(call, request.id(), request.etag(), /*require_active=*/false,
                   request.cancellation().note(),
                   [&](v1::Course& course, const CourseSnapshot&, const v1::Clinic&,
                       const EventEnvelope& envelope) -> absl::StatusOr<events::v1::Event> {
                     course.set_state(v1::COURSE_STATE_CANCELLED);
                     v1::Cancellation* c = course.mutable_cancellation();
                     *c = request.cancellation();
                     c->set_cancelled_by(call.caller.subject);
                     *c->mutable_cancel_time() = ToTimestamp(envelope.now);
                     events::v1::Event e = envelope.New();
                     auto* cancelled = e.mutable_course_cancelled();
                     cancelled->set_course_id(course.id());
                     cancelled->set_patient_id(course.patient_id());
                     cancelled->set_protocol_id(course.protocol_id());
                     cancelled->set_reason(request.cancellation().reason());
                     return e;
                   });
}

absl::StatusOr<v1::Course> AppointmentManager::CompleteCourse(
    const CallContext& call, const v1::CompleteCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, kTreatmentRoles));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  if (request.etag().empty()) return common::InvalidArgumentError("etag", "required");
  if (common::Utf8Length(request.note()) > 500) {
    return common::InvalidArgumentError("note", "at most 500 characters");
  }
  return EndCourse(
      call, request.id(), request.etag(), /*require_active=*/true, request.note(),
      [&](v1::Course& course, const CourseSnapshot& snapshot, const v1::Clinic& clinic,
          const EventEnvelope& envelope) -> absl::StatusOr<events::v1::Event> {
        const v1::Appointment* last = nullptr;
        for (const v1::Appointment& a : snapshot.appointments) {
          if (a.state() == v1::APPOINTMENT_STATE_FULFILLED &&
              (last == nullptr || ToTime(a.start_time()) > ToTime(last->start_time()))) {
            last = &a;
          }
        }
        if (last == nullptr)
          return absl::InternalError("an ACTIVE course without a fulfilled session");
        DF_ASSIGN_OR_RETURN(protocol::v1::Protocol protocol,
                            deps_.protocols.GetProtocol(call.origin(), course.protocol_id(),
                                                        course.protocol_version()));
        MarkCourseCompleted(course, *last, protocol.maintenance().interval_months(), envelope.now);
        events::v1::Event e = envelope.New();
        *e.mutable_course_completed() = MakeCourseCompleted(
            course, clinic, last->id(), course.sessions_fulfilled() < course.session_count());
        return e;
      });
}

}  // namespace dermaflow::scheduling
