// The gRPC edge of PatientActionService (patient_action_service.proto): no
// access token; the action token in the request is the credential. Each
// handler holds the request to the shared field limits, opens the token,
// admits its organization under the tenant limits and hands the claims to
// PatientActions. No business rules here.
//
//   PatientActionGrpcService actions(codec, patient_actions, runtime->admission(), clock);
//   runtime->Serve({&scheduling, &actions});
#pragma once

#include "common/api/action_token.h"
#include "common/clock/clock.h"
#include "common/quota/call_admission.h"
#include "dermaflow/scheduling/v1/patient_action_service.grpc.pb.h"
#include "services/scheduling/app/patient_actions/patient_actions.h"

namespace dermaflow::scheduling {

class PatientActionGrpcService final : public v1::PatientActionService::Service {
 public:
  // Everything referenced must outlive the service; `admission` may be null
  // (tests without tenant limits).
  PatientActionGrpcService(const common::ActionTokenCodec& codec, PatientActions& actions,
                           common::CallAdmission* admission, const common::Clock& clock)
      : codec_(codec), actions_(actions), admission_(admission), clock_(clock) {}

  grpc::Status DescribeAction(grpc::ServerContext* ctx, const v1::DescribeActionRequest* request,
                              v1::ActionDescription* response) override;
  grpc::Status PerformAction(grpc::ServerContext* ctx, const v1::PerformActionRequest* request,
                             v1::ActionResult* response) override;

 private:
  template <typename Response, typename Body>
  grpc::Status Serve(grpc::ServerContext* ctx, const google::protobuf::Message& request,
                     const std::string& token, Response* response, Body body);

  const common::ActionTokenCodec& codec_;
  PatientActions& actions_;
  common::CallAdmission* admission_;
  const common::Clock& clock_;
};

}  // namespace dermaflow::scheduling
