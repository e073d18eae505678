// What the patient RPCs do, apart from gRPC: check roles and input, apply
// the domain rules (update masks, consent, audit, erasure) and call the
// store. The gRPC handlers (patient_service.h) only authenticate and convert
// statuses; tests and other wiring can call this class directly.
//
//   PatientManager manager(store, clock);
//   DF_ASSIGN_OR_RETURN(v1::Patient p, manager.Get(caller, request));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "common/auth/caller.h"
#include "common/clock/clock.h"
#include "dermaflow/patient/v1/patient_service.pb.h"
#include "services/patient/store/patient_store.h"

namespace dermaflow::patient {

class PatientManager {
 public:
  // `store` and `clock` must outlive the manager. Thread-safe.
  PatientManager(PatientStore& store, const common::Clock& clock);

  absl::StatusOr<v1::Patient> Create(const common::Caller& caller,
                                     const v1::CreatePatientRequest& request);
  absl::StatusOr<v1::Patient> Get(const common::Caller& caller,
                                  const v1::GetPatientRequest& request);
  absl::StatusOr<v1::Patient> Update(const common::Caller& caller,
                                     const v1::UpdatePatientRequest& request);
  absl::StatusOr<v1::ListPatientsResponse> List(const common::Caller& caller,
                                                const v1::ListPatientsRequest& request);
  absl::Status Delete(const common::Caller& caller, const v1::DeletePatientRequest& request);
  absl::StatusOr<v1::ExportPatientResponse> Export(const common::Caller& caller,
                                                   const v1::ExportPatientRequest& request);
  absl::StatusOr<v1::Patient> SetConsent(const common::Caller& caller,
                                         const v1::SetConsentRequest& request);
  absl::StatusOr<v1::ListAuditEntriesResponse> ListAuditEntries(
      const common::Caller& caller, const v1::ListAuditEntriesRequest& request);

 private:
  PatientStore& store_;
  const common::Clock& clock_;
  common::PageTokenCodec page_tokens_;
};

}  // namespace dermaflow::patient
