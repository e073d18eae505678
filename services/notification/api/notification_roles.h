// Which roles may call each notification RPC (the "Roles:" lines of
// notification_service.proto), in one table that the checks read; a test
// compares it with the proto.
//
//   DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("GetReminder")));
#pragma once

#include <string_view>

#include "common/auth/roles.h"
#include "common/auth/rpc_roles.h"

namespace dermaflow::notification {

using common::kClinicAdminRole;
using common::kOpsRole;
using common::kPractitionerRole;
using common::kReceptionRole;
using common::kServiceRole;

// Reading reminders.
inline constexpr std::string_view kReaders[] = {kReceptionRole, kPractitionerRole, kClinicAdminRole,
                                                kOpsRole, kServiceRole};
// Cancelling a reminder.
inline constexpr std::string_view kCancellers[] = {kReceptionRole, kClinicAdminRole, kOpsRole};
// The dead-letter queue and queue statistics.
inline constexpr std::string_view kQueueOperators[] = {kClinicAdminRole, kOpsRole};
// What was sent to patients.
inline constexpr std::string_view kDeliveryReaders[] = {kReceptionRole, kPractitionerRole,
                                                        kClinicAdminRole, kServiceRole};
// Reading the organization's notification settings.
inline constexpr std::string_view kSettingsReaders[] = {kReceptionRole, kPractitionerRole,
                                                        kClinicAdminRole, kOpsRole};
// Changing them.
inline constexpr std::string_view kSettingsWriters[] = {kClinicAdminRole};

inline constexpr common::RpcRoles kRpcRoles[] = {
    {"GetReminder", kReaders},
    {"ListReminders", kReaders},
    {"CancelReminder", kCancellers},
    {"ListDeadLetters", kQueueOperators},
    {"RequeueDeadLetter", kQueueOperators},
    {"GetQueueStats", kQueueOperators},
    {"ListDeliveries", kDeliveryReaders},
    {"WatchNotifications", kDeliveryReaders},
    {"GetNotificationSettings", kSettingsReaders},
    {"UpdateNotificationSettings", kSettingsWriters},
};

// The table's entry for `rpc`; an RPC missing from the table does not compile.
consteval const common::RpcRoles& RolesOf(std::string_view rpc) {
  return common::FindRpcRoles(kRpcRoles, rpc);
}

}  // namespace dermaflow::notification
