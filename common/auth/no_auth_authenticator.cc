#include "common/auth/no_auth_authenticator.h"

#include <utility>
#include <vector>

#include "common/auth/roles.h"

namespace dermaflow::common {

NoAuthAuthenticator::NoAuthAuthenticator(std::string organization)
    : caller_{std::move(organization), "dev",
              std::vector<std::string>(kAllRoles.begin(), kAllRoles.end())} {}

absl::StatusOr<Caller> NoAuthAuthenticator::Authenticate(const grpc::ServerContextBase& ctx) const {
  return caller_;
}

}  // namespace dermaflow::common
