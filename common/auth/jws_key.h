// The keys JSON Web Signatures are made and checked with: an HS256 secret, an
// RSA key (RS256, at least 2048 bits) or an EC P-256 key (ES256), from PEM or
// from a JWK, each named by a key id (`kid`). A PEM key gets its RFC 7638
// thumbprint as id, so a signer and a verifier that only share the PEM agree
// on it without configuration.
//
//   DF_ASSIGN_OR_RETURN(std::vector<JwsKey> keys, PublicKeysFromPem(pem));  // rotation: several
//   DF_ASSIGN_OR_RETURN(JwsKey signer, PrivateKeyFromPem(private_pem));     // kid = thumbprint
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dermaflow::common {

enum class JwsAlgorithm { kHs256, kRs256, kEs256 };

// "HS256", "RS256", "ES256".
const char* JwsAlgorithmName(JwsAlgorithm algorithm);
// The algorithm a JOSE header names; nullopt for anything else (incl. "none").
std::optional<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name);

struct JwsKey {
  std::string kid;  // "" when its source names none (a single HS256 secret)
  JwsAlgorithm algorithm = JwsAlgorithm::kHs256;
  std::shared_ptr<EVP_PKEY> pkey;  // RS256/ES256: public, or private for signing
  std::string secret;              // HS256
};

// An HS256 key; INVALID_ARGUMENT when shorter than 32 bytes (RFC 7518 §3.2).
absl::StatusOr<JwsKey> Hs256Key(std::string secret, std::string kid = "");

// Every public key (SubjectPublicKeyInfo) in a PEM text, in order;
// INVALID_ARGUMENT naming what is wrong when there is none or one is not an
// RSA >= 2048 or EC P-256 key.
absl::StatusOr<std::vector<JwsKey>> PublicKeysFromPem(std::string_view pem);

// A private key (PKCS#8, or traditional RSA/EC) for signing.
absl::StatusOr<JwsKey> PrivateKeyFromPem(std::string_view pem);

// The public half of a signing key, PEM (what verifiers are given).
absl::StatusOr<std::string> PublicKeyPem(const JwsKey& key);

// RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA or EC key.
absl::StatusOr<std::string> JwkThumbprint(EVP_PKEY* key);

// The key as a public JWK object (kty, kid, alg, use and n/e or crv/x/y).
absl::StatusOr<std::string> PublicJwkJson(const JwsKey& key);

// An RSA or EC P-256 public key from a JWK's members (base64url values).
absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaPublicKeyFromJwk(std::string_view n_b64,
                                                              std::string_view e_b64);
absl::StatusOr<std::shared_ptr<EVP_PKEY>> Ec256PublicKeyFromJwk(std::string_view x_b64,
                                                                std::string_view y_b64);

// INVALID_ARGUMENT unless `key` fits `algorithm` (RSA >= 2048 bits for RS256,
// EC P-256 for ES256).
absl::Status CheckKeyFitsAlgorithm(EVP_PKEY* key, JwsAlgorithm algorithm);

}  // namespace dermaflow::common
