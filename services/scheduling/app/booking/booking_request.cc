#include "services/scheduling/app/booking/booking_request.h"

#include <string>

#include "common/api/request_id.h"
#include "common/api/utf8.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

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

}  // namespace

absl::Status ValidateBookRequest(const v1::BookAppointmentRequest& request, absl::Time now) {
  common::FieldViolations v;
  ValidateBookingFields(request.patient_id(), request.protocol_id(), request.clinic_id(),
                        request.practitioner_id(), request.has_start_time(), "start_time",
                        request.notes(), request.request_id(), v);
  if (!request.course_id().empty() && request.course_session_index() < 1) {
    v.Add("course_session_index", "required with course_id, 1-based");
  }
  DF_RETURN_IF_ERROR(v.ToStatus());
  return CheckStartTime(ToTime(request.start_time()), now, "start_time");
}

absl::Status ValidatePlanRequest(const v1::PlanCourseRequest& request, absl::Time now) {
  common::FieldViolations v;
  ValidateBookingFields(request.patient_id(), request.protocol_id(), request.clinic_id(),
                        request.practitioner_id(), request.has_first_start_time(),
                        "first_start_time", request.notes(), request.request_id(), v);
  if (request.session_count() < 0 || request.session_count() > 20) {
    v.Add("session_count", "1-20, or 0 for the protocol's count");
  }
  DF_RETURN_IF_ERROR(v.ToStatus());
  return CheckStartTime(ToTime(request.first_start_time()), now, "first_start_time");
}

absl::Status ValidateRescheduleRequest(const v1::RescheduleAppointmentRequest& request,
                                       absl::Time now) {
  common::FieldViolations v;
  if (request.id().empty()) v.Add("id", "required");
  if (!request.has_start_time()) v.Add("start_time", "required");
  if (request.etag().empty()) v.Add("etag", "required: send the etag last read");
  DF_RETURN_IF_ERROR(v.ToStatus());
  return CheckStartTime(ToTime(request.start_time()), now, "start_time");
}

}  // namespace dermaflow::scheduling
