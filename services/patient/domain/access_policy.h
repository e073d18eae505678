// Which roles may do what with patients: each RPC's roles (the "Roles:" lines
// of patient_service.proto) in one table that the checks read and a test
// compares with the proto, plus the two conditions on top of it, medical
// profiles. Always checked (the --auth=none caller holds every role).
//
//   DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("ListPatients")));
//   if (full) DF_RETURN_IF_ERROR(Authorize(caller, kReadMedicalProfile));
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "common/auth/roles.h"
#include "common/auth/rpc_roles.h"

namespace dermaflow::patient {

using common::kClinicAdminRole;
using common::kPractitionerRole;
using common::kReceptionRole;
using common::kServiceRole;

// Creating and changing patients' personal data.
inline constexpr std::string_view kStaff[] = {kReceptionRole, kPractitionerRole, kClinicAdminRole};
// Reading patients, and recording consent (the patient app's back end as service).
inline constexpr std::string_view kStaffAndServices[] = {kReceptionRole, kPractitionerRole,
                                                         kClinicAdminRole, kServiceRole};
// Export, erasure and audit trails.
inline constexpr std::string_view kAdmins[] = {kClinicAdminRole};

inline constexpr common::RpcRoles kRpcRoles[] = {
    {"CreatePatient", kStaff, "creating patients"},
    {"GetPatient", kStaffAndServices, "reading patients"},
    {"UpdatePatient", kStaff, "changing patients"},
    {"ListPatients", kStaffAndServices, "reading patients"},
    {"DeletePatient", kAdmins, "export, erasure and audit trails"},
    {"ExportPatient", kAdmins, "export, erasure and audit trails"},
    {"SetConsent", kStaffAndServices, "recording consent"},
    {"ListAuditEntries", kAdmins, "export, erasure and audit trails"},
};

// The table's entry for `rpc`; an RPC missing from the table does not compile.
consteval const common::RpcRoles& RolesOf(std::string_view rpc) {
  return common::FindRpcRoles(kRpcRoles, rpc);
}

// GetPatient with PATIENT_VIEW_FULL, instead of GetPatient's roles. Reception
// books appointments, and booking screens the patient with the caller's
// forwarded token; every such read is audited.
inline constexpr std::string_view kMedicalProfileReaders[] = {kReceptionRole, kPractitionerRole,
                                                              kServiceRole};
inline constexpr common::RpcRoles kReadMedicalProfile = {"GetPatient", kMedicalProfileReaders,
                                                         "reading medical profiles"};
// Setting medical_profile in CreatePatient or UpdatePatient, on top of their roles.
inline constexpr std::string_view kMedicalProfileWriters[] = {kPractitionerRole};
inline constexpr common::RpcRoles kWriteMedicalProfile = {"", kMedicalProfileWriters,
                                                          "writing medical profiles"};

// PERMISSION_DENIED naming the roles that would do, unless the caller has
// one of them.
absl::Status Authorize(const common::Caller& caller, const common::RpcRoles& access);

}  // namespace dermaflow::patient
