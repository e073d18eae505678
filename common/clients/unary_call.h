// The one way a dermaflow client makes a unary call: a fresh context with
// the credential and deadline of `origin` (call_origin.h), the RPC, and the
// status through FromRemoteStatus naming (resource_type, resource_name) on
// NOT_FOUND. Retries happen below, in the channel (retry_policy.h).
//
//   return UnaryCall<patient::v1::Patient>(origin, options_, kPatientResourceType, id,
//       [&](grpc::ClientContext* ctx, patient::v1::Patient* out) {
//         return stub_->GetPatient(ctx, request, out);
//       });
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "common/clients/call_origin.h"
#include "common/clients/remote_status.h"
#include "grpcpp/client_context.h"

namespace dermaflow::common {

template <typename Response, typename Rpc>
absl::StatusOr<Response> UnaryCall(const CallOrigin& origin, const ClientOptions& options,
                                   std::string_view resource_type, std::string_view resource_name,
                                   Rpc rpc) {
  grpc::ClientContext context;
  if (absl::Status prepared = origin.Prepare(options, &context); !prepared.ok()) return prepared;
  Response response;
  absl::Status status = FromRemoteStatus(rpc(&context, &response), resource_type, resource_name);
  if (!status.ok()) return status;
  return response;
}

}  // namespace dermaflow::common
