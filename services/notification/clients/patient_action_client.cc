#include "services/notification/clients/patient_action_client.h"

#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace dermaflow::notification {

PatientActionClient::PatientActionClient(std::shared_ptr<grpc::Channel> channel,
                                         absl::Duration timeout)
    : stub_(dermaflow::scheduling::v1::PatientActionService::NewStub(std::move(channel))),
      timeout_(timeout) {}

absl::Status PatientActionClient::Perform(const std::string& action_token) const {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  ctx.AddMetadata("x-dermaflow-via-service", "notification");
  dermaflow::scheduling::v1::PerformActionRequest request;
  request.set_action_token(action_token);
  dermaflow::scheduling::v1::ActionResult result;
  return common::FromGrpcStatus(stub_->PerformAction(&ctx, request, &result));
}

}  // namespace dermaflow::notification
