#include "services/patient/domain/access_policy.h"

namespace dermaflow::patient {

absl::Status Authorize(const common::Caller& caller, const common::RpcRoles& access) {
  return common::RequireRpcRoles(caller, access);
}

}  // namespace dermaflow::patient
