// A PatientClient decorator that keeps answers for a short TTL, for a
// service reading the same patients again and again on its own behalf (the
// notification dispatcher reads each reminder's patient). An unknown or
// erased patient (NOT_FOUND) is kept as well. Not for calls that forward a
// person's token: the patient service authorizes and audits each of those.
// Thread-safe.
//
//   CachingPatientClient patients(grpc_patients, clock, {.ttl = absl::Seconds(30)});
//   patients.GetPatient(CallOrigin::ForService(org), id, patient::v1::PATIENT_VIEW_BASIC);
//   patients.Forget(org, id);  // it changed: the next read asks again
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clients/patient_client.h"
#include "common/clock/clock.h"

namespace dermaflow::common {

struct PatientCacheOptions {
  absl::Duration ttl = absl::Seconds(30);  // zero: nothing is kept
  size_t max_cached = 100'000;             // a full cache starts over
};

class CachingPatientClient : public PatientClient {
 public:
  // `inner` and `clock` must outlive this.
  CachingPatientClient(PatientClient& inner, const Clock& clock, PatientCacheOptions options)
      : inner_(inner), clock_(clock), options_(options) {}

  absl::StatusOr<patient::v1::Patient> GetPatient(const CallOrigin& origin, const std::string& id,
                                                  patient::v1::PatientView view) override;

  // Drops what is kept of the patient, in every view.
  void Forget(const std::string& organization, const std::string& id);

 private:
  using Key = std::tuple<std::string, std::string, int>;  // (org, id, view)

  PatientClient& inner_;
  const Clock& clock_;
  const PatientCacheOptions options_;
  absl::Mutex mu_;
  std::map<Key, std::pair<absl::StatusOr<patient::v1::Patient>, absl::Time>> cache_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
