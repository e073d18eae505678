#include "services/scheduling/api/patient_action_service.h"

#include "common/api/field_limits.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"

namespace dermaflow::scheduling {
namespace {

// notification passes SMS replies on and says so; for the record only.
ConfirmationChannel ViaOf(const grpc::ServerContext& ctx) {
  const auto& metadata = ctx.client_metadata();
  const auto it = metadata.find("x-dermaflow-via-service");
  return it != metadata.end() && it->second == "notification" ? ConfirmationChannel::kSms
                                                              : ConfirmationChannel::kLink;
}

}  // namespace

template <typename Response, typename Body>
grpc::Status PatientActionGrpcService::Serve(grpc::ServerContext* ctx,
                                             const google::protobuf::Message& request,
                                             const std::string& token, Response* response,
                                             Body body) {
  return common::ToGrpcStatus([&]() -> absl::Status {
    DF_RETURN_IF_ERROR(common::CheckFieldLimits(request));
    if (token.empty()) return common::InvalidArgumentError("action_token", "required");
    DF_ASSIGN_OR_RETURN(const common::ActionClaims claims, codec_.Open(token, clock_.Now()));
    if (admission_ != nullptr) {
      DF_RETURN_IF_ERROR(
          admission_->Admit(*ctx, common::Caller{.organization = claims.organization}));
    }
    DF_ASSIGN_OR_RETURN(*response, body(claims));
    return absl::OkStatus();
  }());
}

grpc::Status PatientActionGrpcService::DescribeAction(grpc::ServerContext* ctx,
                                                      const v1::DescribeActionRequest* request,
                                                      v1::ActionDescription* response) {
  return Serve(ctx, *request, request->action_token(), response,
               [&](const common::ActionClaims& claims) { return actions_.Describe(claims); });
}

grpc::Status PatientActionGrpcService::PerformAction(grpc::ServerContext* ctx,
                                                     const v1::PerformActionRequest* request,
                                                     v1::ActionResult* response) {
  return Serve(
      ctx, *request, request->action_token(), response,
      [&](const common::ActionClaims& claims) { return actions_.Perform(claims, ViaOf(*ctx)); });
}

}  // namespace dermaflow::scheduling
