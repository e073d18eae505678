#include "common/quota/admitting_authenticator.h"

#include "common/status/macros.h"

namespace dermaflow::common {

absl::StatusOr<Caller> AdmittingAuthenticator::Authenticate(
    const grpc::ServerContextBase& ctx) const {
  DF_ASSIGN_OR_RETURN(Caller caller, inner_->Authenticate(ctx));
  DF_RETURN_IF_ERROR(admission_.Admit(ctx, caller));
  return caller;
}

}  // namespace dermaflow::common
