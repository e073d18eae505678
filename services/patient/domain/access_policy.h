// Which roles may do what with patients (the "Roles" lines of
// patient_service.proto), in one table, always checked (the --auth=none
// caller holds every role).
//
//   DF_RETURN_IF_ERROR(Authorize(caller, Access::kReadMedicalProfile));
#pragma once

#include "absl/status/status.h"
#include "common/auth/caller.h"

namespace dermaflow::patient {

enum class Access {
  kCreate,               // CreatePatient
  kRead,                 // GetPatient (BASIC), ListPatients
  kReadMedicalProfile,   // GetPatient (FULL)
  kUpdate,               // UpdatePatient
  kWriteMedicalProfile,  // medical_profile in CreatePatient or UpdatePatient
  kSetConsent,           // SetConsent
  kAdminister,           // DeletePatient, ExportPatient, ListAuditEntries
};

// PERMISSION_DENIED naming the roles that would do, unless the caller has
// one of them.
absl::Status Authorize(const common::Caller& caller, Access access);

}  // namespace dermaflow::patient
