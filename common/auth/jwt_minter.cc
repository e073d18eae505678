#include "common/auth/jwt_minter.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::common {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

}  // namespace

absl::StatusOr<std::string> MintJwt(const JwtClaims& claims, JwtAlgorithm algorithm,
                                    std::string_view key) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);

  int rc = 0;
  auto add_string = [&](const char* name, const std::string& value) {
    if (!value.empty() && rc == 0) rc = jwt_add_grant(jwt.get(), name, value.c_str());
  };
  auto add_time = [&](const char* name, absl::Time value) {
    if (value != absl::InfiniteFuture() && value != absl::InfinitePast() && rc == 0) {
      rc = jwt_add_grant_int(jwt.get(), name, static_cast<long>(absl::ToUnixSeconds(value)));
    }
  };
  add_string("org", claims.organization);
  add_string("sub", claims.subject);
  add_string("iss", claims.issuer);
  add_string("aud", claims.audience);
  add_time("exp", claims.expires_at);
  add_time("nbf", claims.not_before);
  add_time("iat", claims.issued_at);
  if (!claims.roles.empty() && rc == 0) {
    google::protobuf::Struct roles;
    auto* list = (*roles.mutable_fields())["roles"].mutable_list_value();
    for (const std::string& role : claims.roles) list->add_values()->set_string_value(role);
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(roles, &json).ok()) {
      return absl::InvalidArgumentError("roles cannot be encoded as JSON");
    }
    rc = jwt_add_grants_json(jwt.get(), json.c_str());
  }
  if (rc != 0) return absl::InvalidArgumentError("cannot add the claims to the token");

  const jwt_alg_t alg = algorithm == JwtAlgorithm::kHs256 ? JWT_ALG_HS256 : JWT_ALG_RS256;
  if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    return absl::InvalidArgumentError("cannot set the signing key");
  }
  std::unique_ptr<char, decltype(&free)> token(jwt_encode_str(jwt.get()), &free);
  if (token == nullptr) {
    return absl::InvalidArgumentError(
        "signing the token failed (is the key right for the algorithm?)");
  }
  return std::string(token.get());
}

}  // namespace dermaflow::common
