// The roles a caller's token may carry (claim `roles`), defined once for all
// services. What each role may do is documented per RPC in the protos.
#pragma once

#include <array>
#include <initializer_list>
#include <string_view>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "common/auth/caller.h"

namespace dermaflow::common {

inline constexpr std::string_view kReceptionRole = "reception";
inline constexpr std::string_view kPractitionerRole = "practitioner";
inline constexpr std::string_view kClinicAdminRole = "clinic_admin";
inline constexpr std::string_view kOpsRole = "ops";
// Another dermaflow service calling on its own behalf.
inline constexpr std::string_view kServiceRole = "service";

inline constexpr std::array<std::string_view, 5> kAllRoles = {
    kReceptionRole, kPractitionerRole, kClinicAdminRole, kOpsRole, kServiceRole};

using Roles = std::initializer_list<std::string_view>;

// OK when the caller has one of `roles`; otherwise PERMISSION_DENIED saying
// which roles `what` (e.g. "booking appointments") needs.
absl::Status RequireAnyRole(const Caller& caller, absl::Span<const std::string_view> roles,
                            std::string_view what = "this call");

}  // namespace dermaflow::common
