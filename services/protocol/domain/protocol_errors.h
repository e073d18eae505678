// The protocol service's errors in the common vocabulary
// (common/status/api_errors.h): ErrorInfo domain "dermaflow.protocol.v1",
// ResourceInfo naming the protocol or patient. Beyond the common reasons,
// protocol_service.proto documents VERSION_NOT_FOUND.
//
//   return VersionNotFoundError(id, 7, /*latest=*/3);  // NOT_FOUND, VERSION_NOT_FOUND
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"

namespace dermaflow::protocol {

inline constexpr char kErrorDomain[] = "dermaflow.protocol.v1";
inline constexpr char kProtocolType[] = "dermaflow.protocol.v1.Protocol";
inline constexpr char kPatientType[] = "dermaflow.patient.v1.Patient";

// NOT_FOUND, reason NOT_FOUND, ResourceInfo naming the protocol.
absl::Status ProtocolNotFoundError(std::string_view id);

// NOT_FOUND, reason VERSION_NOT_FOUND (the protocol exists, this version
// does not), metadata latest_version.
absl::Status VersionNotFoundError(std::string_view id, int64_t version, int64_t latest);

// ABORTED, reason ETAG_MISMATCH, metadata latest_version: someone made a
// newer version since the caller read it.
absl::Status EtagMismatchError(std::string_view id, int64_t latest);

// A NOT_FOUND from the patient service for `patient_id`, passed on with its
// details (ResourceInfo naming the patient; reason NOT_FOUND, or
// PATIENT_ERASED); given them when it came without.
absl::Status PatientNotFoundError(std::string_view patient_id,
                                  const absl::Status& from_patient_service);

// The ErrorInfo attached to `status`, if any (tests and clients).
using common::GetErrorInfo;

}  // namespace dermaflow::protocol
