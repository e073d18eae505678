#include "common/auth/jwt_minter.h"

#include "absl/strings/str_cat.h"
#include "common/auth/jws.h"
#include "common/status/macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::common {
namespace {

using google::protobuf::Struct;

absl::StatusOr<std::string> ClaimsJson(const JwtClaims& claims) {
  Struct payload;
  auto& fields = *payload.mutable_fields();
  auto add_string = [&](const char* name, const std::string& value) {
    if (!value.empty()) fields[name].set_string_value(value);
  };
  auto add_time = [&](const char* name, absl::Time value) {
    if (value != absl::InfiniteFuture() && value != absl::InfinitePast()) {
      fields[name].set_number_value(static_cast<double>(absl::ToUnixSeconds(value)));
    }
  };
  add_string("org", claims.organization);
  add_string("sub", claims.subject);
  add_string("iss", claims.issuer);
  add_string("aud", claims.audience);
  add_time("exp", claims.expires_at);
  add_time("nbf", claims.not_before);
  add_time("iat", claims.issued_at);
  if (!claims.roles.empty()) {
    auto* list = fields["roles"].mutable_list_value();
    for (const std::string& role : claims.roles) list->add_values()->set_string_value(role);
  }
  if (!claims.extra_claims_json.empty()) {
    Struct extra;
    if (!google::protobuf::util::JsonStringToMessage(claims.extra_claims_json, &extra).ok()) {
      return absl::InvalidArgumentError("extra claims are not a JSON object");
    }
    for (const auto& [name, value] : extra.fields()) fields[name] = value;
  }
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(payload, &json).ok()) {
    return absl::InvalidArgumentError("claims cannot be encoded as JSON");
  }
  return json;
}

}  // namespace

absl::StatusOr<std::string> MintJwt(const JwtClaims& claims, const JwsKey& key) {
  DF_ASSIGN_OR_RETURN(std::string payload, ClaimsJson(claims));
  std::string header =
      absl::StrCat(R"({"alg":")", JwsAlgorithmName(key.algorithm), R"(","typ":"JWT")");
  if (!key.kid.empty()) absl::StrAppend(&header, R"(,"kid":")", key.kid, R"(")");
  header += "}";
  return SignCompactJws(key, header, payload);
}

absl::StatusOr<std::string> MintJwt(const JwtClaims& claims, JwtAlgorithm algorithm,
                                    std::string_view key) {
  JwsKey signer;
  if (algorithm == JwtAlgorithm::kHs256) {
    DF_ASSIGN_OR_RETURN(signer, Hs256Key(std::string(key)));
  } else {
    DF_ASSIGN_OR_RETURN(signer, PrivateKeyFromPem(key));
    const JwsAlgorithm wanted =
        algorithm == JwtAlgorithm::kRs256 ? JwsAlgorithm::kRs256 : JwsAlgorithm::kEs256;
    if (signer.algorithm != wanted) {
      return absl::InvalidArgumentError("signing failed: the key does not fit the algorithm");
    }
  }
  return MintJwt(claims, signer);
}

}  // namespace dermaflow::common
