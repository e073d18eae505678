#include "common/auth/handle_rpc.h"

#include "common/status/grpc_status.h"

namespace dermaflow::common {

grpc::Status HandleRpc(const grpc::ServerContextBase* ctx, const Authenticator& authenticator,
                       absl::FunctionRef<absl::Status(const Caller&)> body) {
  absl::StatusOr<Caller> caller = authenticator.Authenticate(*ctx);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ToGrpcStatus(body(*caller));
}

grpc::ServerUnaryReactor* HandleUnaryRpc(grpc::CallbackServerContext* ctx,
                                         const Authenticator& authenticator,
                                         absl::FunctionRef<absl::Status(const Caller&)> body) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(HandleRpc(ctx, authenticator, body));
  return reactor;
}

}  // namespace dermaflow::common
