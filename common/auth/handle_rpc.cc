#include "common/auth/handle_rpc.h"

#include "common/api/field_limits.h"
#include "common/status/grpc_status.h"

namespace dermaflow::common {

grpc::Status HandleRpc(const grpc::ServerContextBase* ctx, const Authenticator& authenticator,
                       const google::protobuf::Message& request,
                       absl::FunctionRef<absl::Status(const Caller&)> body) {
  absl::StatusOr<Caller> caller = authenticator.Authenticate(*ctx);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status limits = CheckFieldLimits(request); !limits.ok()) return ToGrpcStatus(limits);
  return ToGrpcStatus(body(*caller));
}

}  // namespace dermaflow::common
