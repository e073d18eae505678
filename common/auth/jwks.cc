#include "common/auth/jwks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::common {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::string Member(const Struct& jwk, const std::string& name) {
  auto it = jwk.fields().find(name);
  if (it == jwk.fields().end() || it->second.kind_case() != Value::kStringValue) return "";
  return it->second.string_value();
}

// The key, nullopt for a key we do not use, or an error for a broken one.
absl::StatusOr<std::optional<JwsKey>> KeyFromJwk(const Struct& jwk) {
  const std::string use = Member(jwk, "use");
  if (!use.empty() && use != "sig") return std::nullopt;
  const std::string kty = Member(jwk, "kty");
  const std::string alg = Member(jwk, "alg");
  JwsKey key;
  key.kid = Member(jwk, "kid");
  if (kty == "RSA" && (alg.empty() || alg == "RS256")) {
    key.algorithm = JwsAlgorithm::kRs256;
    DF_ASSIGN_OR_RETURN(key.pkey, RsaPublicKeyFromJwk(Member(jwk, "n"), Member(jwk, "e")));
  } else if (kty == "EC" && Member(jwk, "crv") == "P-256" && (alg.empty() || alg == "ES256")) {
    key.algorithm = JwsAlgorithm::kEs256;
    DF_ASSIGN_OR_RETURN(key.pkey, Ec256PublicKeyFromJwk(Member(jwk, "x"), Member(jwk, "y")));
  } else {
    return std::nullopt;  // e.g. RSA-OAEP, PS256, P-384, oct
  }
  if (key.kid.empty()) {
    DF_ASSIGN_OR_RETURN(key.kid, JwkThumbprint(key.pkey.get()));
  }
  return key;
}

}  // namespace

absl::StatusOr<std::vector<JwsKey>> ParseJwks(std::string_view json) {
  Struct document;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &document).ok()) {
    return absl::InvalidArgumentError("JWKS is not a JSON object");
  }
  auto keys_it = document.fields().find("keys");
  if (keys_it == document.fields().end() || keys_it->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("JWKS has no keys array");
  }
  std::vector<JwsKey> keys;
  int index = 0;
  for (const Value& entry : keys_it->second.list_value().values()) {
    ++index;
    if (entry.kind_case() != Value::kStructValue) {
      return absl::InvalidArgumentError(absl::StrCat("JWKS key ", index, " is not an object"));
    }
    absl::StatusOr<std::optional<JwsKey>> key = KeyFromJwk(entry.struct_value());
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key ", index, ": ", key.status().message()));
    }
    if (key->has_value()) keys.push_back(**std::move(key));
  }
  return keys;
}

absl::StatusOr<std::string> JwksJson(const std::vector<JwsKey>& keys) {
  std::vector<std::string> jwks;
  for (const JwsKey& key : keys) {
    DF_ASSIGN_OR_RETURN(std::string jwk, PublicJwkJson(key));
    jwks.push_back(std::move(jwk));
  }
  return absl::StrCat(R"({"keys":[)", absl::StrJoin(jwks, ","), "]}");
}

}  // namespace dermaflow::common
