// Reads the patient a screening is about from the patient service, on behalf
// of the caller of the incoming RPC (their token is forwarded, so the patient
// service authorizes and audits the real user). An interface so the handlers
// can be driven by any implementation; GrpcPatientReader is the real one.
//
//   GrpcPatientReader patients(runtime->Connect(absl::GetFlag(FLAGS_patient_addr)));
//   DF_ASSIGN_OR_RETURN(patient::v1::Patient p, patients.ReadForScreening(*ctx, patient_id));
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/server_context.h"

namespace dermaflow::protocol {

class PatientReader {
 public:
  virtual ~PatientReader() = default;

  // The patient with the medical profile (PATIENT_VIEW_FULL). NOT_FOUND
  // marked resource=patient (protocol_errors.h); UNAVAILABLE when the
  // patient service cannot answer in time; other errors as the patient
  // service returns them (PERMISSION_DENIED for a caller who may not read
  // medical profiles).
  virtual absl::StatusOr<patient::v1::Patient> ReadForScreening(
      const grpc::ServerContext& caller, const std::string& patient_id) const = 0;
};

class GrpcPatientReader : public PatientReader {
 public:
  // `timeout` bounds the whole read, retries included (and never outlives
  // the caller's own deadline).
  explicit GrpcPatientReader(std::shared_ptr<grpc::Channel> channel,
                             absl::Duration timeout = absl::Seconds(2));

  absl::StatusOr<patient::v1::Patient> ReadForScreening(
      const grpc::ServerContext& caller, const std::string& patient_id) const override;

 private:
  std::unique_ptr<patient::v1::PatientService::Stub> stub_;
  absl::Duration timeout_;
};

}  // namespace dermaflow::protocol
