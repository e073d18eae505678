// How notification reads the patients' current preferences (locale, time
// zone, channel, consents, quiet hours, first name, contact) when a reminder
// is planned or delivered — consent may have changed since it was planned.
// It acts on its own behalf (its service token), asks for the BASIC view,
// and goes through a short-TTL cache (common::CachingPatientClient,
// --patient_cache_ttl); a patient the service does not know (erased) reads
// as exists=false.
//
//   DF_ASSIGN_OR_RETURN(PatientPrefs p, ReadPatientPrefs(patients, org, patient_id));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/clients/patient_client.h"
#include "services/notification/domain/dispatch_policy.h"

namespace dermaflow::notification {

// UNAVAILABLE and DEADLINE_EXCEEDED when the patient service cannot answer.
absl::StatusOr<PatientPrefs> ReadPatientPrefs(common::PatientClient& patients,
                                              const std::string& org,
                                              const std::string& patient_id);

// For local runs without a patient service (no --patient_addr) and for
// benchmarks: every patient is the same anonymous one (by default: German,
// consent for e-mail at a placeholder address, which without SMTP goes to
// the log channel).
class AnonymousPatientClient : public common::PatientClient {
 public:
  static patient::v1::Patient Anonymous(const std::string& locale = "de");

  explicit AnonymousPatientClient(patient::v1::Patient anonymous = Anonymous())
      : anonymous_(std::move(anonymous)) {}

  absl::StatusOr<patient::v1::Patient> GetPatient(const common::CallOrigin& origin,
                                                  const std::string& id,
                                                  patient::v1::PatientView view) override;

 private:
  const patient::v1::Patient anonymous_;
};

}  // namespace dermaflow::notification
