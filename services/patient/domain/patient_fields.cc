#include "services/patient/domain/patient_fields.h"

#include <string_view>

#include "common/api/update_mask.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace dermaflow::patient {
namespace {

using google::protobuf::FieldDescriptor;

// UpdatePatient's updatable paths (patient_service.proto): "*" stands for
// the top-level ones; every fact of the profile is writable, only its
// output-only fields are not.
const common::UpdatableFields& Updatable() {
  static const auto* fields = new common::UpdatableFields{
      .paths = {"given_name", "family_name", "birth_date", "locale", "time_zone", "contact",
                "contact.email", "contact.phone", "preferred_channel", "quiet_hours",
                "home_clinic_id", "medical_profile", "medical_profile.*"},
      .read_only = {"medical_profile.update_time", "medical_profile.updated_by"},
      .hint = "consents change through SetConsent"};
  return *fields;
}

constexpr std::string_view kMedicalProfile = "medical_profile";

bool IsUpdatable(const std::string& path) {
  google::protobuf::FieldMask mask;
  mask.add_paths(path);
  return common::CheckUpdateMask(v1::Patient::descriptor(), mask, Updatable()).ok();
}

}  // namespace

absl::StatusOr<UpdatePaths> ParseUpdateMask(const google::protobuf::FieldMask& mask) {
  DF_ASSIGN_OR_RETURN(google::protobuf::FieldMask checked,
                      common::CheckUpdateMask(v1::Patient::descriptor(), mask, Updatable()));
  return UpdatePaths(checked.paths().begin(), checked.paths().end());
}

v1::Patient ApplyUpdate(const v1::Patient& current, const v1::Patient& patch,
                        const UpdatePaths& paths) {
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  v1::Patient result = current;
  common::MergeUpdate(patch, mask, result);
  return result;
}

bool IsMedicalPath(const std::string& path) {
  return path == kMedicalProfile || path.rfind("medical_profile.", 0) == 0;
}

void SplitMedicalPaths(const UpdatePaths& paths, std::vector<std::string>* personal,
                       std::vector<std::string>* medical) {
  for (const std::string& path : paths) (IsMedicalPath(path) ? medical : personal)->push_back(path);
}

std::vector<std::string> SetFieldPaths(const v1::Patient& patient) {
  std::vector<std::string> paths;
  std::vector<const FieldDescriptor*> present;
  patient.GetReflection()->ListFields(patient, &present);
  for (const FieldDescriptor* field : present) {
    if (field->name() == kMedicalProfile) {
      std::vector<const FieldDescriptor*> facts;
      patient.medical_profile().GetReflection()->ListFields(patient.medical_profile(), &facts);
      for (const FieldDescriptor* fact : facts) {
        if (IsUpdatable("medical_profile." + fact->name()))
          paths.push_back("medical_profile." + fact->name());
      }
    } else if (field->name() == "consents" || IsUpdatable(field->name())) {
      paths.push_back(field->name());
    }
  }
  return paths;
}

v1::Patient BasicView(v1::Patient patient) {
  patient.clear_medical_profile();
  return patient;
}

}  // namespace dermaflow::patient
