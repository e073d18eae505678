// The production authenticator: the caller comes from a JWT in the RPC's
// `authorization: Bearer <token>` metadata, checked by JwtVerifier.
//
//   auto verifier = JwtVerifier::Create({.rs256_public_key_pem = pem});
//   JwtAuthenticator auth(*std::move(verifier));
#pragma once

#include <memory>

#include "common/auth/authenticator.h"
#include "common/auth/jwt_verifier.h"

namespace dermaflow::common {

class JwtAuthenticator : public Authenticator {
 public:
  explicit JwtAuthenticator(std::unique_ptr<JwtVerifier> verifier);
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& ctx) const override;

 private:
  std::unique_ptr<JwtVerifier> verifier_;
};

}  // namespace dermaflow::common
