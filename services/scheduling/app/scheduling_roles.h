// Which roles may call each scheduling RPC (the "Roles:" lines of
// scheduling_service.proto), in one table that the checks read; a test
// compares it with the proto. Conditions on top (a practitioner's own
// time_off, who may override) stay in the code that knows them.
//
//   DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("BookAppointment")));
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "common/auth/roles.h"
#include "common/auth/rpc_roles.h"

namespace dermaflow::scheduling {

using common::kClinicAdminRole;
using common::kOpsRole;
using common::kPractitionerRole;
using common::kReceptionRole;
using common::kServiceRole;

// Reading clinics, practitioners and rooms.
inline constexpr std::string_view kAnyRole[] = {kReceptionRole, kPractitionerRole, kClinicAdminRole,
                                                kOpsRole, kServiceRole};
// Changing clinics, practitioners and rooms.
inline constexpr std::string_view kAdminRoles[] = {kClinicAdminRole};
// Booking and changing appointments and courses.
inline constexpr std::string_view kBookingRoles[] = {kReceptionRole, kPractitionerRole,
                                                     kClinicAdminRole};
// Reading appointments, courses and free slots.
inline constexpr std::string_view kCalendarRoles[] = {kReceptionRole, kPractitionerRole,
                                                      kClinicAdminRole, kServiceRole};
// Recording treatments.
inline constexpr std::string_view kTreatmentRoles[] = {kPractitionerRole};

inline constexpr common::RpcRoles kRpcRoles[] = {
    {"CreateClinic", kAdminRoles},
    {"GetClinic", kAnyRole},
    {"UpdateClinic", kAdminRoles},
    {"ListClinics", kAnyRole},
    {"CreatePractitioner", kAdminRoles},
    {"GetPractitioner", kAnyRole},
    {"UpdatePractitioner", kAdminRoles},
    {"ListPractitioners", kAnyRole},
    {"CreateRoom", kAdminRoles},
    {"GetRoom", kAnyRole},
    {"UpdateRoom", kAdminRoles},
    {"ListRooms", kAnyRole},
    {"FindAvailableSlots", kCalendarRoles},
    {"BookAppointment", kBookingRoles},
    {"GetAppointment", kCalendarRoles},
    {"UpdateAppointment", kBookingRoles},
    {"ListAppointments", kCalendarRoles},
    {"RescheduleAppointment", kBookingRoles},
    {"CancelAppointment", kBookingRoles},
    {"CheckInAppointment", kBookingRoles},
    {"CompleteAppointment", kTreatmentRoles},
    {"MarkNoShow", kBookingRoles},
    {"PlanCourse", kBookingRoles},
    {"GetCourse", kCalendarRoles},
    {"ListCourses", kCalendarRoles},
    {"CancelCourse", kBookingRoles},
    {"CompleteCourse", kTreatmentRoles},
    {"ConfirmAppointment", kBookingRoles},
    {"CreateWaitlistEntry", kBookingRoles},
    {"GetWaitlistEntry", kCalendarRoles},
    {"ListWaitlistEntries", kCalendarRoles},
    {"DeleteWaitlistEntry", kBookingRoles},
    {"ListWaitlistOffers", kCalendarRoles},
    {"AcceptWaitlistOffer", kBookingRoles},
    {"DeclineWaitlistOffer", kBookingRoles},
};

// The table's entry for `rpc`; an RPC missing from the table does not compile.
consteval const common::RpcRoles& RolesOf(std::string_view rpc) {
  return common::FindRpcRoles(kRpcRoles, rpc);
}

// PERMISSION_DENIED unless the caller has one of the roles of `rpc`.
inline absl::Status RequireRole(const common::Caller& caller, const common::RpcRoles& rpc) {
  return common::RequireRpcRoles(caller, rpc);
}

}  // namespace dermaflow::scheduling
