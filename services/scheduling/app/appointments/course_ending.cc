#include "services/scheduling/app/appointments/course_ending.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/utf8.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/appointments/appointment_requests.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/course_progress.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

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

absl::StatusOr<v1::Course> CourseEnding::EndCourse(const CallContext& call, const std::string& id,
                                                   const std::string& etag, const Ending& ending,
                                                   const Finish& finish) {
  const bool require_active = ending.require_active;
  const std::string& org = call.caller.organization;
  for (int attempt = 1;; ++attempt) {
    const absl::Time now = deps_.clock.Now();
    DF_ASSIGN_OR_RETURN(v1::Course course, deps_.appointments.GetCourse(org, id));
    if (!etag.empty() && course.etag() != etag) {
      return common::EtagMismatchError(kErrorDomain, kCourseType, id);
    }
    DF_RETURN_IF_ERROR(CheckCourseOpen(course, require_active));
    std::vector<std::string> ids(course.appointment_ids().begin(), course.appointment_ids().end());
    DF_ASSIGN_OR_RETURN(std::vector<AppointmentRecord> records,
                        deps_.appointments.GetAppointments(org, ids));
    DF_ASSIGN_OR_RETURN(v1::Clinic clinic, deps_.resources.GetClinic(org, course.clinic_id()));
    const EventEnvelope envelope{org, call.caller.subject, now};

    Change change;
    CourseSnapshot snapshot{course.session_count(), {}};
    v1::Cancellation ended;
    ended.set_reason(ending.session_reason);
    ended.set_note(ending.note);
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
      e.mutable_appointment_cancelled()->set_reason(ending.session_reason);
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
    if (absl::IsAborted(status) && attempt < kRaceAttempts) continue;
    DF_RETURN_IF_ERROR(status);
    for (v1::Appointment& a : snapshot.appointments) {
      RedactForCaller(a, call.caller);
      *updated.add_appointments() = std::move(a);
    }
    return updated;
  }
}

CourseEnding::Finish CourseEnding::Cancelled(const CallContext& call,
                                             const v1::Cancellation& cancellation) {
  return [&call, cancellation](v1::Course& course, const CourseSnapshot&, const v1::Clinic&,
                               const EventEnvelope& envelope) -> absl::StatusOr<events::v1::Event> {
    course.set_state(v1::COURSE_STATE_CANCELLED);
    v1::Cancellation* c = course.mutable_cancellation();
    *c = cancellation;
    c->set_cancelled_by(call.caller.subject);
    *c->mutable_cancel_time() = ToTimestamp(envelope.now);
    events::v1::Event e = envelope.New();
    auto* cancelled = e.mutable_course_cancelled();
    cancelled->set_course_id(course.id());
    cancelled->set_patient_id(course.patient_id());
    cancelled->set_protocol_id(course.protocol_id());
    cancelled->set_reason(cancellation.reason());
    return e;
  };
}

absl::StatusOr<v1::Course> CourseEnding::CancelCourse(const CallContext& call,
                                                      const v1::CancelCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("CancelCourse")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  if (request.etag().empty()) return common::InvalidArgumentError("etag", "required");
  DF_RETURN_IF_ERROR(ValidateCancellation(request.cancellation()));
  return EndCourse(call, request.id(), request.etag(), {.note = request.cancellation().note()},
                   Cancelled(call, request.cancellation()));
}

absl::StatusOr<v1::Course> CourseEnding::CancelForErasedPatient(const CallContext& call,
                                                                const std::string& id) {
  v1::Cancellation erased;
  erased.set_reason(v1::CANCELLATION_REASON_PATIENT_ERASED);
  return EndCourse(call, id, /*etag=*/"",
                   {.session_reason = v1::CANCELLATION_REASON_PATIENT_ERASED},
                   Cancelled(call, erased));
}

absl::StatusOr<v1::Course> CourseEnding::CompleteCourse(const CallContext& call,
                                                        const v1::CompleteCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("CompleteCourse")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  if (request.etag().empty()) return common::InvalidArgumentError("etag", "required");
  if (common::Utf8Length(request.note()) > 500) {
    return common::InvalidArgumentError("note", "at most 500 characters");
  }
  return EndCourse(
      call, request.id(), request.etag(), {.require_active = true, .note = request.note()},
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
