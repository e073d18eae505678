// Who is calling an RPC: the authenticated organization (the tenant), the
// subject and their roles. Handlers take tenancy only from here, never from a
// request field.
//
//   if (!caller.HasRole("practitioner")) return absl::PermissionDeniedError("...");
//   store.Get(caller.organization, request.name());
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace dermaflow::common {

struct Caller {
  std::string organization;
  std::string subject;
  std::vector<std::string> roles;
  // The dermaflow service that called on its own behalf, from its service
  // token (e.g. "notification"); empty for people's tokens.
  std::string service;
  // The dermaflow service that passed a person's token on (e.g. "protocol"
  // screening for a booking), as it says in `x-dermaflow-via-service`; for
  // audit records only, never for decisions.
  std::string via_service;

  bool HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace dermaflow::common
