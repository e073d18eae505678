#include "services/scheduling/permissions.h"

#include <string>

namespace dermaflow::scheduling {

absl::Status RequireRole(const common::Caller& caller, Roles roles) {
  for (std::string_view role : roles) {
    if (caller.HasRole(role)) return absl::OkStatus();
  }
  std::string names;
  for (std::string_view role : roles) {
    if (!names.empty()) names += ", ";
    names += role;
  }
  return absl::PermissionDeniedError("this call needs one of the roles: " + names);
}

}  // namespace dermaflow::scheduling
