#include "services/protocol/clients/screening_patient.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/protocol/domain/protocol_errors.h"

namespace dermaflow::protocol {

absl::StatusOr<patient::v1::Patient> ReadPatientForScreening(common::PatientClient& patients,
                                                             const common::Caller& caller,
                                                             const grpc::ServerContext& incoming,
                                                             const std::string& patient_id) {
  absl::StatusOr<patient::v1::Patient> patient = patients.GetPatient(
      common::CallOrigin::ForCaller(caller, &incoming), patient_id, patient::v1::PATIENT_VIEW_FULL);
  if (patient.ok()) return patient;
  const absl::Status& status = patient.status();
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return PatientNotFoundError(patient_id, status);
    case absl::StatusCode::kInvalidArgument:
      return common::InvalidArgumentError("patient_id", std::string(status.message()));
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      // Screening never answers without the profile; the caller retries.
      return absl::UnavailableError(
          absl::StrCat("patient service unavailable: ", status.message()));
    default:
      return status;
  }
}

}  // namespace dermaflow::protocol
