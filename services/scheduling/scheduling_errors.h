// The errors scheduling returns beyond common/status/errors.h: each carries
// google.rpc.ErrorInfo (domain "dermaflow.scheduling.v1", a stable reason
// front ends switch on) next to the ResourceInfo naming what it is about, as
// the conventions in patient_service.proto ask.
//
//   return NotFoundError(kClinicType, id);          // NOT_FOUND, reason NOT_FOUND
//   return EtagMismatchError(kAppointmentType, id); // ABORTED, reason ETAG_MISMATCH
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dermaflow::scheduling {

inline constexpr char kErrorDomain[] = "dermaflow.scheduling.v1";
inline constexpr char kClinicType[] = "dermaflow.scheduling.v1.Clinic";
inline constexpr char kPractitionerType[] = "dermaflow.scheduling.v1.Practitioner";
inline constexpr char kRoomType[] = "dermaflow.scheduling.v1.Room";
inline constexpr char kAppointmentType[] = "dermaflow.scheduling.v1.Appointment";
inline constexpr char kCourseType[] = "dermaflow.scheduling.v1.Course";
inline constexpr char kPatientType[] = "dermaflow.patient.v1.Patient";
inline constexpr char kProtocolType[] = "dermaflow.protocol.v1.Protocol";

// Attaches google.rpc.ErrorInfo {reason, domain} to `status`.
absl::Status WithErrorInfo(absl::Status status, const std::string& reason);

// The reason of a status's ErrorInfo, or "" (for tests and metrics).
std::string ErrorReason(const absl::Status& status);

// NOT_FOUND naming the resource (ResourceInfo + ErrorInfo NOT_FOUND).
absl::Status NotFoundError(const std::string& resource_type, const std::string& id);

// ABORTED, ErrorInfo ETAG_MISMATCH: the caller's etag is stale.
absl::Status EtagMismatchError(const std::string& resource_type, const std::string& id);

// ABORTED, ErrorInfo CONCURRENT_MODIFICATION: lost a race with another
// writer; retrying is safe.
absl::Status ConcurrentModificationError(const std::string& resource_type, const std::string& id);

// `code` with ResourceInfo and ErrorInfo `reason` (e.g. ALREADY_EXISTS
// SUBJECT_IN_USE, SLOT_CONFLICT).
absl::Status ReasonedResourceError(absl::StatusCode code, const std::string& reason,
                                   const std::string& message, const std::string& resource_type,
                                   const std::string& resource_id,
                                   const std::string& description = "");

// ALREADY_EXISTS SLOT_CONFLICT for session `session` (1-based) starting
// `session_start`: `owner` ("practitioner", "room" or "patient") `owner_id`
// is busy with appointment `other_id` from `other_start`. An empty room id
// means no suitable room of the clinic is free. ResourceInfo names the owner.
absl::Status SlotConflictError(int session, absl::string_view owner, const std::string& owner_id,
                               absl::Time session_start, const std::string& other_id,
                               absl::Time other_start);

// INVALID_ARGUMENT request_id: reused for a different request.
absl::Status RequestIdReusedError();

}  // namespace dermaflow::scheduling
