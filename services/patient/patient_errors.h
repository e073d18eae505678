// The patient service's NOT_FOUND and ABORTED errors, with the
// google.rpc.ErrorInfo (domain "dermaflow.patient.v1") and ResourceInfo
// details the API promises, so front ends can tell "never existed" from
// "erased" and "someone else changed it".
//
//   return PatientErasedError(id, "2026-03-01T10:00:00Z");  // reason PATIENT_ERASED
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace dermaflow::patient {

inline constexpr std::string_view kErrorDomain = "dermaflow.patient.v1";

// NOT_FOUND, reason PATIENT_NOT_FOUND: no such patient in the organization.
absl::Status PatientNotFoundError(std::string_view patient_id);

// NOT_FOUND, reason PATIENT_ERASED, metadata erase_time (RFC 3339).
absl::Status PatientErasedError(std::string_view patient_id, std::string_view erase_time);

// ABORTED, reason ETAG_MISMATCH: reload the patient and reapply.
absl::Status EtagMismatchError(std::string_view patient_id);

// The ErrorInfo reason of a status from this file ("" if none).
std::string ErrorReason(const absl::Status& status);

}  // namespace dermaflow::patient
