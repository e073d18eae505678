#include "common/auth/jws_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr size_t kMinHs256SecretBytes = 32;
constexpr int kMinRsaBits = 2048;
constexpr size_t kEc256CoordinateBytes = 32;

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using BignumPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, &EVP_PKEY_free);
}

BioPtr MemoryBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

std::string Base64Url(const unsigned char* data, size_t size) {
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(data), size), &out);
  return out;
}

std::string BignumBase64Url(const BIGNUM* bn, int width = 0) {
  std::string bytes(width > 0 ? width : BN_num_bytes(bn), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  return Base64Url(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

absl::StatusOr<BignumPtr> BignumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("key has no ", name));
  }
  return BignumPtr(bn, &BN_free);
}

absl::StatusOr<BignumPtr> BignumFromBase64Url(std::string_view b64, std::string_view member) {
  std::string bytes;
  if (b64.empty() ||
      !absl::WebSafeBase64Unescape(absl::string_view(b64.data(), b64.size()), &bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member ", std::string(member), " is not base64url"));
  }
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()), nullptr),
                   &BN_free);
}

bool IsEc256(EVP_PKEY* key) {
  char group[64] = {0};
  size_t length = 0;
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
         EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                        &length) == 1 &&
         std::strcmp(group, "prime256v1") == 0;
}

// The algorithm a key can sign with: RS256 for RSA, ES256 for P-256.
absl::StatusOr<JwsAlgorithm> AlgorithmOfKey(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    DF_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(key, JwsAlgorithm::kRs256));
    return JwsAlgorithm::kRs256;
  }
  if (IsEc256(key)) return JwsAlgorithm::kEs256;
  return absl::InvalidArgumentError("key is neither RSA nor EC P-256");
}

absl::StatusOr<JwsKey> KeyWithThumbprint(std::shared_ptr<EVP_PKEY> pkey) {
  JwsKey key;
  DF_ASSIGN_OR_RETURN(key.algorithm, AlgorithmOfKey(pkey.get()));
  DF_ASSIGN_OR_RETURN(key.kid, JwkThumbprint(pkey.get()));
  key.pkey = std::move(pkey);
  return key;
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> KeyFromParams(const char* type, OSSL_PARAM_BLD* builder) {
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder),
                                                                 &OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("JWK does not describe a valid ", type, " key"));
  }
  return Own(key);
}

// Members in the lexicographic order RFC 7638 §3.2 prescribes.
absl::StatusOr<std::string> ThumbprintInput(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    DF_ASSIGN_OR_RETURN(BignumPtr n, BignumParam(key, OSSL_PKEY_PARAM_RSA_N));
    DF_ASSIGN_OR_RETURN(BignumPtr e, BignumParam(key, OSSL_PKEY_PARAM_RSA_E));
    return absl::StrCat(R"({"e":")", BignumBase64Url(e.get()), R"(","kty":"RSA","n":")",
                        BignumBase64Url(n.get()), R"("})");
  }
  if (IsEc256(key)) {
    DF_ASSIGN_OR_RETURN(BignumPtr x, BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X));
    DF_ASSIGN_OR_RETURN(BignumPtr y, BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y));
    return absl::StrCat(R"({"crv":"P-256","kty":"EC","x":")",
                        BignumBase64Url(x.get(), kEc256CoordinateBytes), R"(","y":")",
                        BignumBase64Url(y.get(), kEc256CoordinateBytes), R"("})");
  }
  return absl::InvalidArgumentError("key is neither RSA nor EC P-256");
}

}  // namespace

const char* JwsAlgorithmName(JwsAlgorithm algorithm) {
  switch (algorithm) {
    case JwsAlgorithm::kHs256:
      return "HS256";
    case JwsAlgorithm::kRs256:
      return "RS256";
    case JwsAlgorithm::kEs256:
      return "ES256";
  }
  return "?";
}

std::optional<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name) {
  if (name == "HS256") return JwsAlgorithm::kHs256;
  if (name == "RS256") return JwsAlgorithm::kRs256;
  if (name == "ES256") return JwsAlgorithm::kEs256;
  return std::nullopt;
}

absl::StatusOr<JwsKey> Hs256Key(std::string secret, std::string kid) {
  if (secret.size() < kMinHs256SecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("HS256 secret is shorter than ", kMinHs256SecretBytes, " bytes"));
  }
  JwsKey key;
  key.kid = std::move(kid);
  key.algorithm = JwsAlgorithm::kHs256;
  key.secret = std::move(secret);
  return key;
}

absl::Status CheckKeyFitsAlgorithm(EVP_PKEY* key, JwsAlgorithm algorithm) {
  switch (algorithm) {
    case JwsAlgorithm::kRs256:
      if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        return absl::InvalidArgumentError("RS256 key is not an RSA key");
      }
      if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
        return absl::InvalidArgumentError("RS256 key is shorter than 2048 bits");
      }
      return absl::OkStatus();
    case JwsAlgorithm::kEs256:
      if (!IsEc256(key)) return absl::InvalidArgumentError("ES256 key is not an EC P-256 key");
      return absl::OkStatus();
    case JwsAlgorithm::kHs256:
      break;
  }
  return absl::InvalidArgumentError("HS256 takes a secret, not a public key");
}

absl::StatusOr<std::vector<JwsKey>> PublicKeysFromPem(std::string_view pem) {
  if (!absl::StrContains(absl::string_view(pem.data(), pem.size()), "-----BEGIN ")) {
    return absl::InvalidArgumentError("public key file is not PEM");
  }
  BioPtr bio = MemoryBio(pem);
  std::vector<JwsKey> keys;
  while (EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)) {
    absl::StatusOr<JwsKey> key = KeyWithThumbprint(Own(raw));
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("public key ", keys.size() + 1, ": ", key.status().message()));
    }
    keys.push_back(*std::move(key));
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError("PEM holds no public key (want BEGIN PUBLIC KEY)");
  }
  return keys;
}

absl::StatusOr<JwsKey> PrivateKeyFromPem(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw == nullptr) return absl::InvalidArgumentError("PEM holds no private key");
  return KeyWithThumbprint(Own(raw));
}

absl::StatusOr<std::string> PublicKeyPem(const JwsKey& key) {
  if (!key.pkey) return absl::InvalidArgumentError("an HS256 key has no public half");
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.pkey.get()) != 1) {
    return absl::InternalError("cannot write the public key as PEM");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<std::string> JwkThumbprint(EVP_PKEY* key) {
  DF_ASSIGN_OR_RETURN(std::string input, ThumbprintInput(key));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return Base64Url(digest, sizeof(digest));
}

absl::StatusOr<std::string> PublicJwkJson(const JwsKey& key) {
  if (!key.pkey) return absl::InvalidArgumentError("an HS256 key is never published");
  DF_ASSIGN_OR_RETURN(std::string members, ThumbprintInput(key.pkey.get()));
  members.pop_back();  // the closing brace
  return absl::StrCat(members, R"(,"kid":")", key.kid, R"(","alg":")",
                      JwsAlgorithmName(key.algorithm), R"(","use":"sig"})");
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaPublicKeyFromJwk(std::string_view n_b64,
                                                              std::string_view e_b64) {
  DF_ASSIGN_OR_RETURN(BignumPtr n, BignumFromBase64Url(n_b64, "n"));
  DF_ASSIGN_OR_RETURN(BignumPtr e, BignumFromBase64Url(e_b64, "e"));
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          &OSSL_PARAM_BLD_free);
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return absl::InternalError("cannot build RSA key parameters");
  }
  DF_ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, KeyFromParams("RSA", builder.get()));
  DF_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(key.get(), JwsAlgorithm::kRs256));
  return key;
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> Ec256PublicKeyFromJwk(std::string_view x_b64,
                                                                std::string_view y_b64) {
  std::string x, y;
  if (!absl::WebSafeBase64Unescape(absl::string_view(x_b64.data(), x_b64.size()), &x) ||
      !absl::WebSafeBase64Unescape(absl::string_view(y_b64.data(), y_b64.size()), &y) ||
      x.size() != kEc256CoordinateBytes || y.size() != kEc256CoordinateBytes) {
    return absl::InvalidArgumentError("JWK x and y must be 32 bytes each, base64url");
  }
  const std::string point = absl::StrCat("\x04", x, y);  // uncompressed SEC1 point
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          &OSSL_PARAM_BLD_free);
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return absl::InternalError("cannot build EC key parameters");
  }
  return KeyFromParams("EC", builder.get());
}

}  // namespace dermaflow::common
