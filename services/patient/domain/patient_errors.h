// The patient service's errors in the common vocabulary
// (common/status/api_errors.h): ErrorInfo domain "dermaflow.patient.v1",
// ResourceInfo naming the patient. Beyond the common reasons,
// patient_service.proto documents PATIENT_ERASED, so front ends can tell
// "never existed" from "erased".
//
//   return PatientErasedError(id, "2026-03-01T10:00:00Z");  // NOT_FOUND, PATIENT_ERASED
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace dermaflow::patient {

inline constexpr char kErrorDomain[] = "dermaflow.patient.v1";
inline constexpr char kPatientType[] = "dermaflow.patient.v1.Patient";

// NOT_FOUND, reason NOT_FOUND: no such patient in the organization.
absl::Status PatientNotFoundError(std::string_view patient_id);

// NOT_FOUND, reason PATIENT_ERASED, metadata erase_time (RFC 3339).
absl::Status PatientErasedError(std::string_view patient_id, std::string_view erase_time);

// ABORTED, reason ETAG_MISMATCH: reload the patient and reapply.
absl::Status EtagMismatchError(std::string_view patient_id);

}  // namespace dermaflow::patient
