// ProtocolDirectory and PatientDirectory over gRPC: each call forwards the
// caller's `authorization` (ForwardAuth), has a deadline (the caller's, or
// `timeout` if sooner), is retried twice on UNAVAILABLE (all are reads), and
// maps the status with FromGrpcStatus. Protocol versions are cached: a
// version never changes.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "services/scheduling/dependencies.h"

namespace dermaflow::scheduling {

class GrpcProtocolDirectory : public ProtocolDirectory {
 public:
  GrpcProtocolDirectory(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

  absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallContext& call, const std::string& id,
                                                     int64_t version) override;
  absl::StatusOr<protocol::v1::ScreenEligibilityResponse> Screen(
      const CallContext& call, const protocol::v1::ScreenEligibilityRequest& request) override;

 private:
  void Remember(const std::string& org, const protocol::v1::Protocol& protocol);

  std::unique_ptr<protocol::v1::ProtocolService::Stub> stub_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  // (org, id, version) -> protocol; cleared when it grows past a bound.
  std::map<std::tuple<std::string, std::string, int64_t>, protocol::v1::Protocol> cache_
      ABSL_GUARDED_BY(mu_);
};

class GrpcPatientDirectory : public PatientDirectory {
 public:
  GrpcPatientDirectory(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  absl::Status CheckPatient(const CallContext& call, const std::string& id) override;

 private:
  std::unique_ptr<patient::v1::PatientService::Stub> stub_;
  const absl::Duration timeout_;
};

}  // namespace dermaflow::scheduling
