#include "common/auth/jwt_verifier.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/key_files.h"
#include "common/status/macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::common {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Tokens travel in one metadata entry; anything larger is not ours.
constexpr size_t kMaxTokenBytes = 8 * 1024;
constexpr size_t kMaxSubjectBytes = 256;

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

absl::Status Unauthenticated(absl::string_view message) {
  return absl::UnauthenticatedError(message);
}

absl::Status CheckRsaPublicKey(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr, &EVP_PKEY_free);
  if (!key) return absl::InvalidArgumentError("RS256 key is not a PEM public key");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return absl::InvalidArgumentError("RS256 key is not an RSA key");
  }
  if (EVP_PKEY_get_bits(key.get()) < 2048) {
    return absl::InvalidArgumentError("RS256 key is shorter than 2048 bits");
  }
  return absl::OkStatus();
}

bool IsValidOrganization(const std::string& org) {
  if (org.empty() || org.size() > 64) return false;
  for (char c : org) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A NumericDate claim (seconds since the epoch, possibly fractional).
absl::StatusOr<absl::Time> TimeClaim(const Struct& claims, const std::string& name) {
  auto it = claims.fields().find(name);
  if (it == claims.fields().end()) return absl::NotFoundError(name);
  if (it->second.kind_case() != Value::kNumberValue || !std::isfinite(it->second.number_value())) {
    return Unauthenticated(absl::StrCat("token claim ", name, " is not a number"));
  }
  return absl::UnixEpoch() + absl::Seconds(it->second.number_value());
}

const std::string* StringClaim(const Struct& claims, const std::string& name) {
  auto it = claims.fields().find(name);
  if (it == claims.fields().end() || it->second.kind_case() != Value::kStringValue) return nullptr;
  return &it->second.string_value();
}

bool AudienceMatches(const Struct& claims, const std::string& audience) {
  auto it = claims.fields().find("aud");
  if (it == claims.fields().end()) return false;
  const Value& aud = it->second;
  if (aud.kind_case() == Value::kStringValue) return aud.string_value() == audience;
  if (aud.kind_case() != Value::kListValue) return false;
  for (const Value& v : aud.list_value().values()) {
    if (v.kind_case() == Value::kStringValue && v.string_value() == audience) return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> RolesClaim(const Struct& claims) {
  std::vector<std::string> roles;
  auto it = claims.fields().find("roles");
  if (it == claims.fields().end()) return roles;
  if (it->second.kind_case() != Value::kListValue) {
    return Unauthenticated("token claim roles is not an array of strings");
  }
  for (const Value& v : it->second.list_value().values()) {
    if (v.kind_case() != Value::kStringValue) {
      return Unauthenticated("token claim roles is not an array of strings");
    }
    roles.push_back(v.string_value());
  }
  return roles;
}

// `exp` (required) and `nbf` (optional) against `now`, with `leeway` of skew.
absl::Status CheckValidity(const Struct& claims, absl::Time now, absl::Duration leeway) {
  absl::StatusOr<absl::Time> exp = TimeClaim(claims, "exp");
  if (absl::IsNotFound(exp.status())) return Unauthenticated("token has no exp claim");
  if (!exp.ok()) return exp.status();
  if (now > *exp + leeway) return Unauthenticated("token has expired");
  absl::StatusOr<absl::Time> nbf = TimeClaim(claims, "nbf");
  if (nbf.ok() && now + leeway < *nbf) return Unauthenticated("token is not valid yet");
  if (!nbf.ok() && !absl::IsNotFound(nbf.status())) return nbf.status();
  return absl::OkStatus();
}

absl::StatusOr<Caller> CallerFromClaims(const Struct& claims) {
  Caller caller;
  const std::string* org = StringClaim(claims, "org");
  if (org == nullptr || !IsValidOrganization(*org)) {
    return Unauthenticated("token has no valid org claim (1-64 of [A-Za-z0-9_-])");
  }
  caller.organization = *org;
  const std::string* sub = StringClaim(claims, "sub");
  if (sub == nullptr || sub->empty() || sub->size() > kMaxSubjectBytes) {
    return Unauthenticated("token has no valid sub claim");
  }
  caller.subject = *sub;
  DF_ASSIGN_OR_RETURN(caller.roles, RolesClaim(claims));
  return caller;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtVerifierOptions options) {
  if (options.hs256_secret.empty() && options.rs256_public_key_pem.empty()) {
    return absl::InvalidArgumentError(
        "JWT authentication needs an HS256 secret or an RS256 public key");
  }
  if (!options.hs256_secret.empty() && options.hs256_secret.size() < kMinHs256SecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("HS256 secret is shorter than ", kMinHs256SecretBytes, " bytes"));
  }
  if (!options.rs256_public_key_pem.empty()) {
    DF_RETURN_IF_ERROR(CheckRsaPublicKey(options.rs256_public_key_pem));
  }
  return std::unique_ptr<JwtVerifier>(new JwtVerifier(std::move(options)));
}

JwtVerifier::JwtVerifier(JwtVerifierOptions options)
    : options_(std::move(options)), clock_(options_.clock ? *options_.clock : SystemClock()) {}

absl::StatusOr<Caller> JwtVerifier::Verify(std::string_view token_view) const {
  if (token_view.size() > kMaxTokenBytes) return Unauthenticated("token is too large");
  const std::string token(token_view);

  // First read the header without a key, so the algorithm is chosen by us and
  // not by the token: the key of one algorithm is never used for another
  // (e.g. the RSA public key as an HMAC secret), and `none` never gets in.
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token.c_str(), nullptr, 0) != 0 || raw == nullptr) {
    return Unauthenticated("token is malformed");
  }
  // libjwt reports `none` for any token decoded without a key: use the header.
  const char* alg_header = jwt_get_header(raw, "alg");
  const jwt_alg_t alg = alg_header ? jwt_str_alg(alg_header) : JWT_ALG_INVAL;
  jwt_free(raw);
  const std::string* key = nullptr;
  if (alg == JWT_ALG_HS256 && !options_.hs256_secret.empty()) key = &options_.hs256_secret;
  if (alg == JWT_ALG_RS256 && !options_.rs256_public_key_pem.empty()) {
    key = &options_.rs256_public_key_pem;
  }
  if (key == nullptr) {
    const char* name = jwt_alg_str(alg);  // ours, never the token's text
    return Unauthenticated(
        absl::StrCat("token algorithm ", name ? name : "(unknown)", " is not accepted"));
  }

  raw = nullptr;
  int rc = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key->data()),
                      static_cast<int>(key->size()));
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr || jwt_get_alg(jwt.get()) != alg) {
    return Unauthenticated("token signature is invalid");
  }

  std::unique_ptr<char, decltype(&free)> json(jwt_get_grants_json(jwt.get(), nullptr), &free);
  Struct claims;
  if (json == nullptr || !google::protobuf::util::JsonStringToMessage(json.get(), &claims).ok()) {
    return Unauthenticated("token claims are malformed");
  }

  DF_RETURN_IF_ERROR(CheckValidity(claims, clock_.Now(), options_.leeway));
  if (!options_.issuer.empty()) {
    const std::string* iss = StringClaim(claims, "iss");
    if (iss == nullptr || *iss != options_.issuer) {
      return Unauthenticated("token issuer is not accepted");
    }
  }
  if (!options_.audience.empty() && !AudienceMatches(claims, options_.audience)) {
    return Unauthenticated("token audience is not accepted");
  }
  return CallerFromClaims(claims);
}

}  // namespace dermaflow::common
