// Turns an incoming RPC's metadata into a Caller. One Authenticator is built
// at start from flags (MakeAuthenticator) and shared by every handler; it is
// thread-safe and never echoes a token in its errors.
//
//   auto auth = MakeAuthenticator({.mode = "jwt", .hs256_key_file = "/keys/hs256"});
//   absl::StatusOr<Caller> caller = (*auth)->Authenticate(*ctx);  // UNAUTHENTICATED
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/claim_mapping.h"
#include "common/auth/jws_key.h"
#include "common/auth/verified_token_cache.h"
#include "common/clock/clock.h"
#include "grpcpp/server_context.h"

namespace dermaflow::common {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller, or UNAUTHENTICATED with a message saying what is wrong.
  // Takes the base of the sync and callback contexts, so both kinds of
  // handler share it.
  virtual absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& ctx) const = 0;
};

struct AuthOptions {
  std::string mode = "jwt";  // "jwt" or "none" (local runs only)
  // The identity provider's keys: any of these (a JWKS is what OIDC
  // providers publish; a single PEM for simple setups; HS256 for local runs).
  std::string hs256_key_file;         // HS256 shared secret (>= 32 bytes), development
  std::string rs256_public_key_file;  // one PEM public key (RSA or EC P-256)
  std::string jwks_url;               // https://.../certs, refreshed as keys rotate
  std::string jwks_file;              // a JWKS file (e.g. mounted from a Secret)
  std::string jwks_ca_file;           // PEM CAs for jwks_url; empty: the system's
  absl::Duration jwks_refresh_interval = absl::Minutes(10);
  absl::Duration jwks_min_refresh_interval = absl::Seconds(30);  // on unknown kids
  std::string issuer;                                            // required `iss` when not empty
  std::string audience;                                          // required in `aud` when not empty
  ClaimMapping claims;  // where org and roles are in the token
  // Public keys (PEM, several for rotation) of the service-identity key; the
  // HS256 secret, when set, also signs service tokens in local runs.
  std::string service_public_key_file;
  std::string dev_organization = "demo";  // every caller's org with mode "none"
  const Clock* clock = nullptr;           // for exp/nbf; nullptr = SystemClock()
  // Tokens already checked, kept until their exp or the TTL
  // (--jwt_cache_size, --jwt_cache_ttl; verified_token_cache.h).
  VerifiedTokenCacheOptions token_cache;
  // Called after each JWKS load (for metrics): result and number of keys.
  std::function<void(const absl::Status&, size_t)> on_jwks_load;
};

// "jwt" needs at least one identity-provider key source; several may be
// given (each token is checked with the keys of its own algorithm). "none"
// logs a warning.
absl::StatusOr<std::unique_ptr<Authenticator>> MakeAuthenticator(const AuthOptions& options);

// The key a service signs its own service tokens with: the private key in
// `service_key_file`, else the HS256 development secret; nullopt with mode
// "none". INVALID_ARGUMENT when mode is "jwt" and there is neither, since
// the service's own calls would then be refused by every peer.
absl::StatusOr<std::optional<JwsKey>> ServiceSigningKey(const AuthOptions& options,
                                                        const std::string& service_key_file);

}  // namespace dermaflow::common
