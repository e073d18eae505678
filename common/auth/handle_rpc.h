// The one edge of every handler: authenticate the caller, hold the request
// to the field limits every RPC shares (common/api/field_limits.h), run the
// body, convert its absl::Status to a grpc::Status once (with error details).
//
//   grpc::Status PatientGrpcService::GetPatient(grpc::ServerContext* ctx,
//                                               const GetPatientRequest* req, Patient* resp) {
//     return common::HandleRpc(ctx, *authenticator_, *req, [&](const common::Caller& caller) {
//       DF_ASSIGN_OR_RETURN(*resp, store_->Get(caller.organization, req->name()));
//       return absl::OkStatus();
//     });
//   }
#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "common/auth/authenticator.h"
#include "common/auth/caller.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace dermaflow::common {

// UNAUTHENTICATED without running `body` when the caller is not known;
// INVALID_ARGUMENT (BadRequest naming each field) without running it when a
// field of `request` is out of its limits. Authentication goes first, so an
// unknown caller learns nothing about the API's limits.
grpc::Status HandleRpc(const grpc::ServerContextBase* ctx, const Authenticator& authenticator,
                       const google::protobuf::Message& request,
                       absl::FunctionRef<absl::Status(const Caller&)> body);

}  // namespace dermaflow::common
