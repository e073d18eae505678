#include "common/auth/no_auth_authenticator.h"

#include <utility>

namespace dermaflow::common {

NoAuthAuthenticator::NoAuthAuthenticator(std::string organization, std::vector<std::string> roles)
    : caller_{std::move(organization), "dev", std::move(roles)} {}

absl::StatusOr<Caller> NoAuthAuthenticator::Authenticate(const grpc::ServerContext& ctx) const {
  return caller_;
}

}  // namespace dermaflow::common
