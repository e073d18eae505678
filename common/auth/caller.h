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

  bool HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace dermaflow::common
