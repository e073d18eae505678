// The roles a caller's token may carry (claim `roles`), defined once for all
// services. What each role may do is documented per RPC in the protos.
#pragma once

#include <array>
#include <string_view>

namespace dermaflow::common {

inline constexpr std::string_view kReceptionRole = "reception";
inline constexpr std::string_view kPractitionerRole = "practitioner";
inline constexpr std::string_view kClinicAdminRole = "clinic_admin";
inline constexpr std::string_view kOpsRole = "ops";
// Another dermaflow service calling on its own behalf.
inline constexpr std::string_view kServiceRole = "service";

inline constexpr std::array<std::string_view, 5> kAllRoles = {
    kReceptionRole, kPractitionerRole, kClinicAdminRole, kOpsRole, kServiceRole};

}  // namespace dermaflow::common
