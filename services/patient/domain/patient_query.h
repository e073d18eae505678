// The filters of ListPatients, checked and normalized, and the
// plan for walking the indexes (patient_index.h): the most selective filter
// picks the index, the family-name prefix narrows its range, and Matches
// checks the rest on each patient read.
//
//   DF_ASSIGN_OR_RETURN(PatientFilter filter, ParsePatientFilter(request));
//   IndexScan scan = PlanScan(filter);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "dermaflow/patient/v1/patient_service.pb.h"
#include "services/patient/domain/patient_index.h"

namespace dermaflow::patient {

inline constexpr size_t kMinFamilyPrefixLength = 2;

struct PatientFilter {
  std::string family_prefix;  // folded (text_folding.h)
  std::string phone;          // E.164
  std::string email;          // NormalizeEmail
  std::string home_clinic_id;
};

// INVALID_ARGUMENT naming the field: family_name_prefix under 2 characters,
// phone not E.164, malformed email, bad home_clinic_id.
absl::StatusOr<PatientFilter> ParsePatientFilter(const v1::ListPatientsRequest& request);

// Phone, then e-mail, then home clinic (exact values, few patients each),
// else the name index; the family prefix always narrows the range.
IndexScan PlanScan(const PatientFilter& filter);

bool Matches(const v1::Patient& patient, const PatientFilter& filter);

}  // namespace dermaflow::patient
