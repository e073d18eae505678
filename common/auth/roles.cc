#include "common/auth/roles.h"

#include <string>

namespace dermaflow::common {

absl::Status RequireAnyRole(const Caller& caller, absl::Span<const std::string_view> roles,
                            std::string_view what) {
  std::string names;
  for (std::string_view role : roles) {
    if (caller.HasRole(role)) return absl::OkStatus();
    names += (names.empty() ? "" : ", ") + std::string(role);
  }
  return absl::PermissionDeniedError(std::string(what) + " needs one of the roles: " + names);
}

}  // namespace dermaflow::common
