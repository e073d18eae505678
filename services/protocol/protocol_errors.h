// The protocol service's NOT_FOUND and ABORTED errors, with the
// google.rpc.ErrorInfo details protocol_service.proto promises (reason,
// domain "dermaflow.protocol.v1", metadata "resource" saying which resource
// was missing).
//
//   return VersionNotFoundError(id, 7, /*latest=*/3);  // NOT_FOUND, VERSION_NOT_FOUND
#pragma once

#include "common/status/errors.h"

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::protocol {

inline constexpr std::string_view kErrorDomain = "dermaflow.protocol.v1";

// NOT_FOUND "PROTOCOL_NOT_FOUND", metadata resource=protocol.
absl::Status ProtocolNotFoundError(std::string_view id);

// NOT_FOUND "VERSION_NOT_FOUND", metadata resource=protocol_version and
// latest_version.
absl::Status VersionNotFoundError(std::string_view id, int64_t version, int64_t latest);

// ABORTED "ETAG_MISMATCH", metadata latest_version: someone made a newer
// version since the caller read it.
absl::Status EtagMismatchError(std::string_view id, int64_t latest);

// A NOT_FOUND from the patient service, kept with its details (reason
// "PATIENT_ERASED" for erased patients) and marked resource=patient.
absl::Status PatientNotFoundError(const absl::Status& from_patient_service);

// The ErrorInfo attached to `status`, if any (tests and clients).
using common::GetErrorInfo;

}  // namespace dermaflow::protocol
