// The one place where absl::Status and grpc::Status meet.
//
// ToGrpcStatus keeps the code and message and packs every payload attached by
// errors.h into google.rpc.Status details (the `grpc-status-details-bin`
// trailer front-ends decode). FromGrpcStatus is the reverse, for clients.
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace dermaflow::common {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace dermaflow::common
