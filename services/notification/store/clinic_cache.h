// The clinics' name, time zone and phone as the latest appointment event
// carried them: intake keeps them, dispatch reads them to render texts
// (redis_clinic_cache.h is the implementation).
//
//   DF_RETURN_IF_ERROR(clinics.PutClinics(org, {info}));
//   DF_ASSIGN_OR_RETURN(auto known, clinics.GetClinics(org, {"clinic-1"}));
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/notification/domain/reminder_planner.h"

namespace dermaflow::notification {

class ClinicCache {
 public:
  virtual ~ClinicCache() = default;

  virtual absl::Status PutClinics(const std::string& org,
                                  const std::vector<ClinicInfo>& clinics) = 0;
  // Unknown clinics are left out.
  virtual absl::StatusOr<std::map<std::string, ClinicInfo>> GetClinics(
      const std::string& org, const std::vector<std::string>& clinic_ids) = 0;
};

}  // namespace dermaflow::notification
