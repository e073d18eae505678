#include "common/auth/jwt_authenticator.h"

#include <utility>

#include "common/auth/bearer_token.h"
#include "common/auth/service_token.h"

namespace dermaflow::common {
namespace {

// The forwarding service's name for audit records: short lowercase names
// only, so caller-supplied metadata cannot smuggle text into them.
std::string ViaService(const grpc::ServerContextBase& ctx) {
  auto it = ctx.client_metadata().find(grpc::string_ref(kViaServiceMetadata));
  if (it == ctx.client_metadata().end()) return "";
  std::string name(it->second.data(), it->second.size());
  return IsServiceName(name) ? name : "";
}

}  // namespace

JwtAuthenticator::JwtAuthenticator(std::unique_ptr<JwtVerifier> verifier)
    : verifier_(std::move(verifier)) {}

absl::StatusOr<Caller> JwtAuthenticator::Authenticate(const grpc::ServerContextBase& ctx) const {
  absl::StatusOr<std::string> token = BearerToken(ctx);
  if (!token.ok()) return token.status();
  absl::StatusOr<Caller> caller = verifier_->Verify(*token);
  if (caller.ok() && caller->service.empty()) caller->via_service = ViaService(ctx);
  return caller;
}

}  // namespace dermaflow::common
