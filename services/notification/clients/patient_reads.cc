#include "services/notification/clients/patient_reads.h"

namespace dermaflow::notification {

absl::StatusOr<PatientPrefs> ReadPatientPrefs(common::PatientClient& patients,
                                              const std::string& org,
                                              const std::string& patient_id) {
  absl::StatusOr<patient::v1::Patient> patient = patients.GetPatient(
      common::CallOrigin::ForService(org), patient_id, patient::v1::PATIENT_VIEW_BASIC);
  if (patient.ok()) return PatientPrefs::From(*patient);
  if (absl::IsNotFound(patient.status())) {
    PatientPrefs gone;
    gone.exists = false;
    return gone;
  }
  return patient.status();
}

patient::v1::Patient AnonymousPatientClient::Anonymous(const std::string& locale) {
  patient::v1::Patient p;
  p.set_locale(locale);
  p.set_preferred_channel(patient::v1::CHANNEL_EMAIL);
  auto* consent = p.add_consents();
  consent->set_channel(patient::v1::CHANNEL_EMAIL);
  consent->set_state(patient::v1::CONSENT_STATE_GIVEN);
  p.mutable_contact()->set_email("patient@localhost.invalid");
  return p;
}

absl::StatusOr<patient::v1::Patient> AnonymousPatientClient::GetPatient(const common::CallOrigin&,
                                                                        const std::string& id,
                                                                        patient::v1::PatientView) {
  patient::v1::Patient p = anonymous_;
  p.set_id(id);
  return p;
}

}  // namespace dermaflow::notification
