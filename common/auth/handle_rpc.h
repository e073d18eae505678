// The one edge of every unary handler: authenticate the caller, run the body,
// convert its absl::Status to a grpc::Status once (with error details).
//
//   grpc::Status PatientGrpcService::GetPatient(grpc::ServerContext* ctx,
//                                               const GetPatientRequest* req, Patient* resp) {
//     return common::HandleRpc(ctx, *authenticator_, [&](const common::Caller& caller) {
//       DF_ASSIGN_OR_RETURN(*resp, store_->Get(caller.organization, req->name()));
//       return absl::OkStatus();
//     });
//   }
#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "common/auth/authenticator.h"
#include "common/auth/caller.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace dermaflow::common {

// UNAUTHENTICATED without running `body` when the caller is not known.
grpc::Status HandleRpc(const grpc::ServerContextBase* ctx, const Authenticator& authenticator,
                       absl::FunctionRef<absl::Status(const Caller&)> body);

}  // namespace dermaflow::common
