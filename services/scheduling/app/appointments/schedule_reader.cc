#include "services/scheduling/app/appointments/schedule_reader.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/page_size.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/appointments/appointment_requests.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

// The longest calendar a listing by clinic or practitioner may span.
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

}  // namespace

absl::StatusOr<v1::Appointment> ScheduleReader::GetAppointment(
    const CallContext& call, const v1::GetAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("GetAppointment")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  DF_ASSIGN_OR_RETURN(AppointmentRecord r,
                      deps_.appointments.GetAppointment(call.caller.organization, request.id()));
  RedactForCaller(r.appointment, call.caller);
  return r.appointment;
}

absl::StatusOr<v1::ListAppointmentsResponse> ScheduleReader::ListAppointments(
    const CallContext& call, const v1::ListAppointmentsRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("ListAppointments")));
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
  for (int i = 0; i < request.confirmation_states_size(); ++i) {
    if (!v1::ConfirmationState_IsValid(request.confirmation_states(i))) {
      return common::InvalidArgumentError(absl::StrCat("confirmation_states[", i, "]"),
                                          "unknown confirmation state");
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
    if (!StateMatches(request.confirmation_states(), a.confirmation().state())) return false;
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

absl::StatusOr<v1::Course> ScheduleReader::GetCourse(const CallContext& call,
                                                     const v1::GetCourseRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("GetCourse")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  DF_ASSIGN_OR_RETURN(v1::Course course,
                      GetCourseWithAppointments(deps_, call.caller.organization, request.id()));
  for (auto& a : *course.mutable_appointments()) RedactForCaller(a, call.caller);
  return course;
}

absl::StatusOr<v1::ListCoursesResponse> ScheduleReader::ListCourses(
    const CallContext& call, const v1::ListCoursesRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("ListCourses")));
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

}  // namespace dermaflow::scheduling
