// The patient a screening is about (PATIENT_VIEW_FULL: the medical
// profile), read from the patient service for the caller of
// ScreenEligibility: their token is forwarded, so the patient service
// authorizes and audits the real user. The patient service's answers as
// screening reports them: NOT_FOUND marked resource=patient
// (protocol_errors.h); INVALID_ARGUMENT on field patient_id; UNAVAILABLE
// when it cannot answer in time (the caller retries); anything else as it
// came (PERMISSION_DENIED for a caller who may not read medical profiles).
//
//   DF_ASSIGN_OR_RETURN(patient::v1::Patient p,
//                       ReadPatientForScreening(patients, caller, *ctx, patient_id));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/clients/patient_client.h"
#include "grpcpp/server_context.h"

namespace dermaflow::protocol {

absl::StatusOr<patient::v1::Patient> ReadPatientForScreening(common::PatientClient& patients,
                                                             const common::Caller& caller,
                                                             const grpc::ServerContext& incoming,
                                                             const std::string& patient_id);

}  // namespace dermaflow::protocol
