// Where a token says who the caller is. Identity providers put the
// organization and the roles in different places (Keycloak:
// `realm_access.roles`; Auth0: a namespaced claim such as
// `https://dermaflow.example/roles`; Entra ID: `roles`), so the claim names
// are configuration (--jwt_org_claim, --jwt_roles_claim). A name is looked up
// as a whole first, then as a dotted path through nested objects.
//
//   ClaimMapping mapping{.organization = "org", .roles = "realm_access.roles"};
//   DF_ASSIGN_OR_RETURN(Caller caller, CallerFromClaims(claims, mapping));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "google/protobuf/struct.pb.h"

namespace dermaflow::common {

struct ClaimMapping {
  std::string organization = "org";
  std::string roles = "roles";
};

// The claim named `name` (whole key first, then dotted path); nullptr if absent.
const google::protobuf::Value* FindClaim(const google::protobuf::Struct& claims,
                                         std::string_view name);

// The caller named by the claims: organization ([A-Za-z0-9_-]{1,64}) and
// `sub` required; roles optional, an array of strings or one space-separated
// string. UNAUTHENTICATED naming the claim otherwise.
absl::StatusOr<Caller> CallerFromClaims(const google::protobuf::Struct& claims,
                                        const ClaimMapping& mapping);

// True for a valid organization id: 1-64 of [A-Za-z0-9_-].
bool IsValidOrganization(std::string_view org);

}  // namespace dermaflow::common
