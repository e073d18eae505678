// A status from another dermaflow service as our own callers see it: the
// gRPC status converted once (FromGrpcStatus, details kept), and a NOT_FOUND
// that names no resource given a google.rpc.ResourceInfo naming the one
// asked for (a booking names several ids; the caller must learn which one
// is unknown). The callee's ErrorInfo (e.g. PATIENT_ERASED) is kept.
//
//   return FromRemoteStatus(stub->GetPatient(&ctx, request, &patient),
//                           "dermaflow.patient.v1.Patient", id);
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace dermaflow::common {

inline constexpr char kPatientResourceType[] = "dermaflow.patient.v1.Patient";
inline constexpr char kProtocolResourceType[] = "dermaflow.protocol.v1.Protocol";

absl::Status FromRemoteStatus(const grpc::Status& status, std::string_view resource_type,
                              std::string_view resource_name);

}  // namespace dermaflow::common
