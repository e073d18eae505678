#include "services/patient/domain/patient_errors.h"

#include <string>

#include "common/status/api_errors.h"

namespace dermaflow::patient {

absl::Status PatientNotFoundError(std::string_view patient_id) {
  return common::NotFoundError(kErrorDomain, kPatientType, patient_id);
}

absl::Status PatientErasedError(std::string_view patient_id, std::string_view erase_time) {
  return common::ResourceReasonError(absl::StatusCode::kNotFound, kErrorDomain, "PATIENT_ERASED",
                                     "patient was erased", kPatientType, patient_id, "",
                                     {{"erase_time", std::string(erase_time)}});
}

absl::Status EtagMismatchError(std::string_view patient_id) {
  return common::EtagMismatchError(kErrorDomain, kPatientType, patient_id);
}

}  // namespace dermaflow::patient
