#include "services/patient/patient_errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::patient {
namespace {

constexpr char kResourceType[] = "dermaflow.patient.v1.Patient";

absl::Status WithErrorInfo(absl::Status status, std::string_view reason, std::string_view erase_time = "") {
  std::map<std::string, std::string> metadata;
  if (!erase_time.empty()) metadata["erase_time"] = std::string(erase_time);
  return common::WithErrorInfo(std::move(status), reason, kErrorDomain, metadata);
}

}  // namespace

absl::Status PatientNotFoundError(std::string_view patient_id) {
  return WithErrorInfo(common::ResourceError(absl::StatusCode::kNotFound, "patient not found",
                                             kResourceType, patient_id),
                       "PATIENT_NOT_FOUND");
}

absl::Status PatientErasedError(std::string_view patient_id, std::string_view erase_time) {
  return WithErrorInfo(common::ResourceError(absl::StatusCode::kNotFound, "patient was erased",
                                             kResourceType, patient_id),
                       "PATIENT_ERASED", erase_time);
}

absl::Status EtagMismatchError(std::string_view patient_id) {
  return WithErrorInfo(
      common::ResourceError(absl::StatusCode::kAborted,
                            "the patient changed since it was read (stale etag): reload and retry",
                            kResourceType, patient_id),
      "ETAG_MISMATCH");
}

std::string ErrorReason(const absl::Status& status) {
  return common::ErrorInfoReason(status);
}

}  // namespace dermaflow::patient
