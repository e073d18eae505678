// Service-to-service calls on behalf of a caller: the outgoing call carries
// the incoming `authorization` metadata, so the next service authenticates the
// same caller (and the same organization) instead of trusting a field.
//
//   grpc::ClientContext out;
//   ForwardAuth(*ctx, &out, "scheduling");
//   patient_stub_->GetPatient(&out, request, &patient);
#pragma once

#include <string_view>

#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

namespace dermaflow::common {

// Copies every incoming `authorization` entry to `out` (nothing when absent,
// e.g. with --auth=none) and names the forwarding service for the callee's
// audit records (`x-dermaflow-via-service`) when `via_service` is set.
void ForwardAuth(const grpc::ServerContext& in, grpc::ClientContext* out,
                 std::string_view via_service = "");

}  // namespace dermaflow::common
