// Which roles may call each protocol RPC (the "Roles:" lines of
// protocol_service.proto), in one table that the checks read; a test
// compares it with the proto.
//
//   DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("GetProtocol")));
#pragma once

#include <string_view>

#include "common/auth/roles.h"
#include "common/auth/rpc_roles.h"

namespace dermaflow::protocol {

// Reading the catalog and screening patients against it.
inline constexpr std::string_view kReaders[] = {common::kReceptionRole, common::kPractitionerRole,
                                                common::kClinicAdminRole, common::kServiceRole};
// A protocol's earlier versions.
inline constexpr std::string_view kHistoryReaders[] = {
    common::kPractitionerRole, common::kClinicAdminRole, common::kServiceRole};
// Writing the organization's protocols.
inline constexpr std::string_view kAdmins[] = {common::kClinicAdminRole};

inline constexpr common::RpcRoles kRpcRoles[] = {
    {"ListProtocols", kReaders},
    {"GetProtocol", kReaders},
    {"ListProtocolVersions", kHistoryReaders},
    {"CreateProtocol", kAdmins},
    {"UpdateProtocol", kAdmins},
    {"SeedCatalog", kAdmins},
    {"ScreenEligibility", kReaders},
};

// The table's entry for `rpc`; an RPC missing from the table does not compile.
consteval const common::RpcRoles& RolesOf(std::string_view rpc) {
  return common::FindRpcRoles(kRpcRoles, rpc);
}

}  // namespace dermaflow::protocol
