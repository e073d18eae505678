#include "common/auth/authenticator.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/jwks_key_set.h"
#include "common/auth/jwt_authenticator.h"
#include "common/auth/jwt_verifier.h"
#include "common/auth/key_files.h"
#include "common/auth/no_auth_authenticator.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

// Tries each source in turn; the first that has keys for the token decides.
class FirstOfKeySources : public KeySource {
 public:
  explicit FirstOfKeySources(std::vector<std::shared_ptr<const KeySource>> sources)
      : sources_(std::move(sources)) {}
  absl::StatusOr<std::vector<JwsKey>> Candidates(std::string_view kid,
                                                 JwsAlgorithm algorithm) const override {
    absl::Status last = absl::UnauthenticatedError("no key accepts this token");
    for (const auto& source : sources_) {
      absl::StatusOr<std::vector<JwsKey>> keys = source->Candidates(kid, algorithm);
      if (keys.ok()) return keys;
      last = keys.status();
    }
    return last;
  }

 private:
  std::vector<std::shared_ptr<const KeySource>> sources_;
};

absl::StatusOr<std::vector<JwsKey>> PemKeys(const std::string& path) {
  DF_ASSIGN_OR_RETURN(std::string pem, ReadPemFile(path));
  absl::StatusOr<std::vector<JwsKey>> keys = PublicKeysFromPem(pem);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", keys.status().message()));
  }
  return keys;
}

absl::StatusOr<std::shared_ptr<const KeySource>> UserKeys(const AuthOptions& options) {
  std::vector<std::shared_ptr<const KeySource>> sources;
  if (!options.jwks_url.empty() || !options.jwks_file.empty()) {
    if (!options.jwks_url.empty() && !options.jwks_file.empty()) {
      return absl::InvalidArgumentError("set --jwt_jwks_url or --jwt_jwks_file, not both");
    }
    DF_ASSIGN_OR_RETURN(
        std::unique_ptr<JwksKeySet> jwks,
        JwksKeySet::Create({.url = options.jwks_url,
                            .file = options.jwks_file,
                            .ca_file = options.jwks_ca_file,
                            .refresh_interval = options.jwks_refresh_interval,
                            .min_refresh_interval = options.jwks_min_refresh_interval,
                            .clock = options.clock,
                            .on_load = options.on_jwks_load}));
    sources.push_back(std::move(jwks));
  }
  std::vector<JwsKey> fixed;
  if (!options.rs256_public_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(fixed, PemKeys(options.rs256_public_key_file));
  }
  if (!options.hs256_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(JwsKey key, ReadHs256Key(options.hs256_key_file));
    fixed.push_back(std::move(key));
  }
  if (!fixed.empty()) sources.push_back(std::make_shared<StaticKeySource>(std::move(fixed)));
  if (sources.empty()) {
    return absl::InvalidArgumentError(
        "--auth=jwt needs the identity provider's keys: --jwt_jwks_url, --jwt_jwks_file, "
        "--jwt_rs256_public_key_file or (development) --jwt_hs256_key_file");
  }
  if (sources.size() == 1) return sources.front();
  return std::make_shared<FirstOfKeySources>(std::move(sources));
}

absl::StatusOr<std::shared_ptr<const KeySource>> ServiceKeys(const AuthOptions& options) {
  std::vector<JwsKey> keys;
  if (!options.service_public_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(keys, PemKeys(options.service_public_key_file));
  }
  if (!options.hs256_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(JwsKey key, ReadHs256Key(options.hs256_key_file));
    keys.push_back(std::move(key));
  }
  if (keys.empty()) return std::shared_ptr<const KeySource>();
  return std::make_shared<StaticKeySource>(std::move(keys));
}

absl::StatusOr<std::unique_ptr<Authenticator>> MakeJwtAuthenticator(const AuthOptions& options) {
  JwtVerifierOptions verifier_options;
  DF_ASSIGN_OR_RETURN(verifier_options.user_keys, UserKeys(options));
  DF_ASSIGN_OR_RETURN(verifier_options.service_keys, ServiceKeys(options));
  if (verifier_options.service_keys == nullptr) {
    LogWarning(
        "no --service_token_public_key_file: calls services make on their own "
        "(reminder intake and dispatch) will be refused");
  }
  verifier_options.issuer = options.issuer;
  verifier_options.audience = options.audience;
  verifier_options.claims = options.claims;
  verifier_options.clock = options.clock;
  verifier_options.cache = options.token_cache;
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
    // Local runs: the developer holds every role (no_auth_authenticator.h).
    return std::make_unique<NoAuthAuthenticator>(options.dev_organization);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--auth must be jwt or none, not \"", options.mode, "\""));
}

absl::StatusOr<std::optional<JwsKey>> ServiceSigningKey(const AuthOptions& options,
                                                        const std::string& service_key_file) {
  if (options.mode != "jwt") return std::optional<JwsKey>();
  if (!service_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(std::string pem, ReadPemFile(service_key_file));
    absl::StatusOr<JwsKey> key = PrivateKeyFromPem(pem);
    if (!key.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--service_token_key_file ", service_key_file,
                                                     ": ", key.status().message()));
    }
    return std::optional<JwsKey>(*std::move(key));
  }
  if (!options.hs256_key_file.empty()) {
    DF_ASSIGN_OR_RETURN(JwsKey key, ReadHs256Key(options.hs256_key_file));
    return std::optional<JwsKey>(std::move(key));
  }
  return absl::InvalidArgumentError(
      "this service calls others on its own and needs --service_token_key_file (the "
      "service-identity private key; see docs/security.md)");
}

}  // namespace dermaflow::common
