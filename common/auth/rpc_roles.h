// One table per service: each RPC (named as in its proto) → the roles that
// may call it. The check reads the table, and tests/unit/common/role_tables_test.cc
// compares it with the "Roles:" line of each RPC comment, so code and docs
// cannot drift. Conditions on top (own time off, medical profiles) stay in code.
//
//   inline constexpr common::RpcRoles kRpcRoles[] = {{"GetClinic", kAnyRole}, ...};
//   consteval const common::RpcRoles& RolesOf(std::string_view rpc) {
//     return common::FindRpcRoles(kRpcRoles, rpc);
//   }
//   DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("GetClinic")));
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "common/auth/caller.h"
#include "common/auth/roles.h"

namespace dermaflow::common {

struct RpcRoles {
  std::string_view rpc;                      // e.g. "BookAppointment"
  absl::Span<const std::string_view> roles;  // any one of them will do
  std::string_view what = "this call";       // for the PERMISSION_DENIED message
};

// The entry for `rpc`, found while compiling: naming an RPC that is not in
// the table does not compile.
consteval const RpcRoles& FindRpcRoles(absl::Span<const RpcRoles> table, std::string_view rpc) {
  for (const RpcRoles& entry : table) {
    if (entry.rpc == rpc) return entry;
  }
  throw "RPC missing from the service's role table";
}

// PERMISSION_DENIED naming the roles that would do, unless the caller has one.
inline absl::Status RequireRpcRoles(const Caller& caller, const RpcRoles& entry) {
  return RequireAnyRole(caller, entry.roles, entry.what);
}

}  // namespace dermaflow::common
