// Which roles may call what (the "Roles:" lines of scheduling_service.proto),
// checked once at the edge of each RPC.
//
//   DF_RETURN_IF_ERROR(RequireRole(caller, kBookingRoles));
#pragma once

#include <initializer_list>
#include <string_view>

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "common/auth/roles.h"

namespace dermaflow::scheduling {

using common::kClinicAdminRole;
using common::kOpsRole;
using common::kPractitionerRole;
using common::kReceptionRole;
using common::kServiceRole;
using common::Roles;

// Reading clinics, practitioners and rooms.
inline constexpr Roles kAnyRole = {kReceptionRole, kPractitionerRole, kClinicAdminRole, kOpsRole,
                                   kServiceRole};
// Changing clinics, practitioners and rooms.
inline constexpr Roles kAdminRoles = {kClinicAdminRole};
// Booking and changing appointments and courses.
inline constexpr Roles kBookingRoles = {kReceptionRole, kPractitionerRole, kClinicAdminRole};
// Reading appointments, courses and free slots.
inline constexpr Roles kCalendarRoles = {kReceptionRole, kPractitionerRole, kClinicAdminRole,
                                         kServiceRole};
// Recording treatments.
inline constexpr Roles kTreatmentRoles = {kPractitionerRole};

// PERMISSION_DENIED unless the caller has one of `roles`.
inline absl::Status RequireRole(const common::Caller& caller, Roles roles) {
  return common::RequireAnyRole(caller, roles);
}

}  // namespace dermaflow::scheduling
