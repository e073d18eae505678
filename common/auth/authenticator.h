// Turns an incoming RPC's metadata into a Caller. One Authenticator is built
// at start from flags (MakeAuthenticator) and shared by every handler; it is
// thread-safe and never echoes a token in its errors.
//
//   auto auth = MakeAuthenticator({.mode = "jwt", .hs256_key_file = "/keys/hs256"});
//   absl::StatusOr<Caller> caller = (*auth)->Authenticate(*ctx);  // UNAUTHENTICATED
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/clock/clock.h"
#include "grpcpp/server_context.h"

namespace dermaflow::common {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller, or UNAUTHENTICATED with a message saying what is wrong.
  virtual absl::StatusOr<Caller> Authenticate(const grpc::ServerContext& ctx) const = 0;
};

struct AuthOptions {
  std::string mode = "jwt";               // "jwt" or "none" (local runs only)
  std::string hs256_key_file;             // HS256 shared secret (>= 32 bytes)
  std::string rs256_public_key_file;      // RS256 public key, PEM
  std::string issuer;                     // required `iss` when not empty
  std::string audience;                   // required in `aud` when not empty
  std::string dev_organization = "demo";  // every caller's org with mode "none"
  const Clock* clock = nullptr;           // for exp/nbf; nullptr = SystemClock()
};

// "jwt" needs at least one key file; both may be given (each token is checked
// with the key of its own algorithm). "none" logs a warning.
absl::StatusOr<std::unique_ptr<Authenticator>> MakeAuthenticator(const AuthOptions& options);

}  // namespace dermaflow::common
