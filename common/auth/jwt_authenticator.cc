#include "common/auth/jwt_authenticator.h"

#include <utility>

#include "common/auth/bearer_token.h"

namespace dermaflow::common {

JwtAuthenticator::JwtAuthenticator(std::unique_ptr<JwtVerifier> verifier)
    : verifier_(std::move(verifier)) {}

absl::StatusOr<Caller> JwtAuthenticator::Authenticate(const grpc::ServerContext& ctx) const {
  absl::StatusOr<std::string> token = BearerToken(ctx);
  if (!token.ok()) return token.status();
  return verifier_->Verify(*token);
}

}  // namespace dermaflow::common
