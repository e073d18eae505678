// The patient service as the other services call it. PatientClient is what
// callers hold (tests and local runs substitute their own);
// GrpcPatientClient is the one implementation over gRPC: credential and
// deadline from the CallOrigin, retries from the channel's service config
// (retry_policy.h), grpc_client_* metrics from the channel's interceptor,
// errors through FromRemoteStatus (NOT_FOUND names the patient).
//
//   GrpcPatientClient patients(runtime->Connect(addr), {.via_service = "protocol"});
//   DF_ASSIGN_OR_RETURN(patient::v1::Patient p,
//                       patients.GetPatient(CallOrigin::ForCaller(caller, ctx), id,
//                                           patient::v1::PATIENT_VIEW_FULL));
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clients/call_origin.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/channel.h"

namespace dermaflow::common {

class PatientClient {
 public:
  virtual ~PatientClient() = default;
  // The patient as the patient service returns it: NOT_FOUND (reason
  // PATIENT_ERASED for an erased one), PERMISSION_DENIED, UNAVAILABLE or
  // DEADLINE_EXCEEDED when it cannot answer in time.
  virtual absl::StatusOr<patient::v1::Patient> GetPatient(const CallOrigin& origin,
                                                          const std::string& id,
                                                          patient::v1::PatientView view) = 0;
};

class GrpcPatientClient : public PatientClient {
 public:
  GrpcPatientClient(std::shared_ptr<grpc::Channel> channel, ClientOptions options);

  absl::StatusOr<patient::v1::Patient> GetPatient(const CallOrigin& origin, const std::string& id,
                                                  patient::v1::PatientView view) override;

 private:
  std::unique_ptr<patient::v1::PatientService::Stub> stub_;
  const ClientOptions options_;
};

}  // namespace dermaflow::common
