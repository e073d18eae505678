#include "common/auth/authenticator.h"

#include "common/auth/roles.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt_authenticator.h"
#include "common/auth/jwt_verifier.h"
#include "common/auth/key_files.h"
#include "common/auth/no_auth_authenticator.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

absl::StatusOr<std::unique_ptr<Authenticator>> MakeJwtAuthenticator(const AuthOptions& options) {
  if (options.hs256_key_file.empty() && options.rs256_public_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--auth=jwt needs --jwt_hs256_key_file or --jwt_rs256_public_key_file");
  }
  JwtVerifierOptions verifier_options;
  if (!options.hs256_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(verifier_options.hs256_secret, ReadHs256SecretFile(options.hs256_key_file));
  }
  if (!options.rs256_public_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(verifier_options.rs256_public_key_pem,
                        ReadPemFile(options.rs256_public_key_file));
  }
  verifier_options.issuer = options.issuer;
  verifier_options.audience = options.audience;
  verifier_options.clock = options.clock;
  DF_ASSIGN_OR_RETURN(std::unique_ptr<JwtVerifier> verifier,
                      JwtVerifier::Create(std::move(verifier_options)));
  return std::make_unique<JwtAuthenticator>(std::move(verifier));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> MakeAuthenticator(const AuthOptions& options) {
  if (options.mode == "jwt") return MakeJwtAuthenticator(options);
  if (options.mode == "none") {
    LogWarning(
        "authentication is off (--auth=none): every caller is the dev organization; "
        "never run like this outside a developer machine",
        {{"organization", options.dev_organization}});
    // Local runs: the developer may do everything a token could allow.
    return std::make_unique<NoAuthAuthenticator>(
        options.dev_organization, std::vector<std::string>(kAllRoles.begin(), kAllRoles.end()));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--auth must be jwt or none, not \"", options.mode, "\""));
}

}  // namespace dermaflow::common
