#include "common/clients/caching_patient_client.h"

namespace dermaflow::common {

absl::StatusOr<patient::v1::Patient> CachingPatientClient::GetPatient(
    const CallOrigin& origin, const std::string& id, patient::v1::PatientView view) {
  const Key key{origin.organization(), id, static_cast<int>(view)};
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.second > now) return it->second.first;
  }
  absl::StatusOr<patient::v1::Patient> patient = inner_.GetPatient(origin, id, view);
  if (!patient.ok() && !absl::IsNotFound(patient.status())) return patient;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= options_.max_cached) cache_.clear();
  cache_[key] = {patient, now + options_.ttl};
  return patient;
}

void CachingPatientClient::Forget(const std::string& organization, const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = cache_.lower_bound(Key{organization, id, 0});
  while (it != cache_.end() && std::get<0>(it->first) == organization &&
         std::get<1>(it->first) == id) {
    it = cache_.erase(it);
  }
}

}  // namespace dermaflow::common
