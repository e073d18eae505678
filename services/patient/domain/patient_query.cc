#include "services/patient/domain/patient_query.h"

#include "common/api/utf8.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/patient/domain/patient_validation.h"
#include "services/patient/domain/text_folding.h"

namespace dermaflow::patient {

absl::StatusOr<PatientFilter> ParsePatientFilter(const v1::ListPatientsRequest& request) {
  common::FieldViolations violations;
  PatientFilter filter;
  const std::string prefix = TrimSpaces(request.family_name_prefix());
  if (!request.family_name_prefix().empty()) {
    if (!IsValidUtf8(prefix) || common::Utf8Length(prefix) < kMinFamilyPrefixLength ||
        HasControlCharacter(prefix)) {
      violations.Add("family_name_prefix", "must be at least 2 characters of a name");
    } else {
      filter.family_prefix = FoldForSearch(prefix);
    }
  }
  if (Problem problem = CheckPhone(request.phone())) violations.Add("phone", *problem);
  if (Problem problem = CheckEmail(request.email())) violations.Add("email", *problem);
  if (Problem problem = CheckHomeClinicId(request.home_clinic_id())) {
    violations.Add("home_clinic_id", *problem);
  }
  DF_RETURN_IF_ERROR(violations.ToStatus());
  filter.phone = request.phone();
  filter.email = NormalizeEmail(request.email());
  filter.home_clinic_id = request.home_clinic_id();
  return filter;
}

IndexScan PlanScan(const PatientFilter& filter) {
  IndexScan scan;
  scan.name_prefix = filter.family_prefix;
  if (!filter.phone.empty()) {
    scan.index = PatientIndex::kPhone;
    scan.value = filter.phone;
  } else if (!filter.email.empty()) {
    scan.index = PatientIndex::kEmail;
    scan.value = filter.email;
  } else if (!filter.home_clinic_id.empty()) {
    scan.index = PatientIndex::kHomeClinic;
    scan.value = filter.home_clinic_id;
  }
  return scan;
}

bool Matches(const v1::Patient& patient, const PatientFilter& filter) {
  if (!filter.family_prefix.empty() &&
      FoldForSearch(patient.family_name()).rfind(filter.family_prefix, 0) != 0) {
    return false;
  }
  if (!filter.phone.empty() && patient.contact().phone() != filter.phone) return false;
  if (!filter.email.empty() && NormalizeEmail(patient.contact().email()) != filter.email)
    return false;
  if (!filter.home_clinic_id.empty() && patient.home_clinic_id() != filter.home_clinic_id)
    return false;
  return true;
}

}  // namespace dermaflow::patient
