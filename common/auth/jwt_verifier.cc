#include "common/auth/jwt_verifier.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/jws.h"
#include "common/auth/roles.h"
#include "common/auth/service_token.h"
#include "common/status/macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::common {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Tokens travel in one metadata entry; anything larger is not ours.
constexpr size_t kMaxTokenBytes = size_t{8} * 1024;

absl::Status Unauthenticated(absl::string_view message) {
  return absl::UnauthenticatedError(message);
}

absl::StatusOr<Struct> ParseJsonObject(const std::string& json, const char* what) {
  Struct object;
  if (!google::protobuf::util::JsonStringToMessage(json, &object).ok()) {
    return Unauthenticated(absl::StrCat("token ", what, " is malformed"));
  }
  return object;
}

std::string StringMember(const Struct& object, const std::string& name) {
  auto it = object.fields().find(name);
  if (it == object.fields().end() || it->second.kind_case() != Value::kStringValue) return "";
  return it->second.string_value();
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

bool AudienceMatches(const Struct& claims, std::string_view audience) {
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

// A service token's caller: its organization, the role "service" and the
// service's name; nothing else it might claim.
absl::StatusOr<Caller> ServiceCaller(const Struct& claims) {
  if (!AudienceMatches(claims, kServiceTokenAudience)) {
    return Unauthenticated("service token audience is not accepted");
  }
  DF_ASSIGN_OR_RETURN(Caller caller, CallerFromClaims(claims, ClaimMapping{}));
  absl::string_view name = caller.subject;
  if (!absl::ConsumePrefix(&name, kServiceSubjectPrefix) || !IsServiceName(name)) {
    return Unauthenticated("service token has no valid sub claim (service:<name>)");
  }
  caller.service = std::string(name);
  caller.roles = {std::string(kServiceRole)};
  return caller;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtVerifierOptions options) {
  if (options.user_keys == nullptr) {
    return absl::InvalidArgumentError("JWT authentication needs the identity provider's keys");
  }
  return std::unique_ptr<JwtVerifier>(new JwtVerifier(std::move(options)));
}

JwtVerifier::JwtVerifier(JwtVerifierOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : SystemClock()),
      cache_(options_.cache) {}

absl::StatusOr<Caller> JwtVerifier::Verify(std::string_view token) const {
  if (token.size() > kMaxTokenBytes) return Unauthenticated("token is too large");
  if (std::optional<VerifiedToken> hit = cache_.Find(token, clock_.Now())) {
    if (StillSignedByCurrentKey(*hit)) return std::move(hit->caller);
    cache_.Erase(token);  // its key is gone: check it in full (and refuse it)
  }
  DF_ASSIGN_OR_RETURN(VerifiedToken verified, VerifyUncached(token));
  cache_.Insert(token, verified, clock_.Now());
  return std::move(verified.caller);
}

bool JwtVerifier::StillSignedByCurrentKey(const VerifiedToken& verified) const {
  const KeySource* keys =
      verified.service_token ? options_.service_keys.get() : options_.user_keys.get();
  if (keys == nullptr) return false;
  absl::StatusOr<std::vector<JwsKey>> current =
      keys->Candidates(verified.kid, verified.key.algorithm);
  if (!current.ok()) return false;
  // The same key object (a reload makes new ones, so a reload re-checks
  // every token once) or the same HS256 secret.
  return std::any_of(current->begin(), current->end(), [&](const JwsKey& key) {
    return key.algorithm == verified.key.algorithm &&
           (key.pkey != nullptr
                ? key.pkey == verified.key.pkey
                : verified.key.pkey == nullptr && key.secret == verified.key.secret);
  });
}

absl::StatusOr<VerifiedToken> JwtVerifier::VerifyUncached(std::string_view token) const {
  DF_ASSIGN_OR_RETURN(JwsParts parts, SplitCompactJws(token));
  DF_ASSIGN_OR_RETURN(Struct header, ParseJsonObject(parts.header_json, "header"));
  if (header.fields().count("crit") > 0)
    return Unauthenticated("token header crit is not supported");
  const std::optional<JwsAlgorithm> algorithm = ParseJwsAlgorithm(StringMember(header, "alg"));
  if (!algorithm) return Unauthenticated("token algorithm is not accepted (use RS256 or ES256)");
  DF_ASSIGN_OR_RETURN(Struct claims, ParseJsonObject(parts.payload_json, "claims"));

  // The issuer picks the key set, and only a signature by that set counts:
  // a service token is never checked with the IdP's keys, nor the reverse.
  const bool service_token = StringMember(claims, "iss") == kServiceTokenIssuer;
  const KeySource* keys = service_token ? options_.service_keys.get() : options_.user_keys.get();
  if (keys == nullptr) return Unauthenticated("service tokens are not accepted here");
  VerifiedToken verified;
  verified.service_token = service_token;
  verified.kid = StringMember(header, "kid");
  DF_ASSIGN_OR_RETURN(std::vector<JwsKey> candidates, keys->Candidates(verified.kid, *algorithm));
  auto signer = std::find_if(candidates.begin(), candidates.end(), [&](const JwsKey& key) {
    return VerifyJwsSignature(key, parts.signing_input, parts.signature);
  });
  if (signer == candidates.end()) return Unauthenticated("token signature is invalid");
  verified.key = std::move(*signer);

  DF_RETURN_IF_ERROR(CheckValidity(claims, clock_.Now(), options_.leeway));
  verified.expires_at = *TimeClaim(claims, "exp");  // CheckValidity found it
  if (service_token) {
    DF_ASSIGN_OR_RETURN(verified.caller, ServiceCaller(claims));
    return verified;
  }
  if (!options_.issuer.empty() && StringMember(claims, "iss") != options_.issuer) {
    return Unauthenticated("token issuer is not accepted");
  }
  if (!options_.audience.empty() && !AudienceMatches(claims, options_.audience)) {
    return Unauthenticated("token audience is not accepted");
  }
  DF_ASSIGN_OR_RETURN(verified.caller, CallerFromClaims(claims, options_.claims));
  // Only the service-identity key grants "service".
  std::vector<std::string>& roles = verified.caller.roles;
  roles.erase(std::remove(roles.begin(), roles.end(), kServiceRole), roles.end());
  return verified;
}

}  // namespace dermaflow::common
