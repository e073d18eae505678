#include "services/patient/patient_fields.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>

#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace dermaflow::patient {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// UpdatePatient's updatable paths (patient_service.proto). Top-level ones
// first: "*" stands for exactly those.
constexpr std::array<std::string_view, 9> kTopLevelPaths = {
    "given_name", "family_name",       "birth_date",      "locale",        "time_zone",
    "contact",    "preferred_channel", "quiet_hours",     "home_clinic_id",
};
constexpr std::string_view kMedicalProfile = "medical_profile";
constexpr std::array<std::string_view, 3> kContactPaths = {"contact", "contact.email", "contact.phone"};

bool IsUpdatable(std::string_view path) {
  if (std::find(kTopLevelPaths.begin(), kTopLevelPaths.end(), path) != kTopLevelPaths.end() ||
      std::find(kContactPaths.begin(), kContactPaths.end(), path) != kContactPaths.end() ||
      path == kMedicalProfile) {
    return true;
  }
  // Every fact of the profile is writable; only its output-only fields are not.
  if (path.substr(0, kMedicalProfile.size() + 1) != "medical_profile.") return false;
  const std::string_view fact = path.substr(kMedicalProfile.size() + 1);
  if (fact == "update_time" || fact == "updated_by") return false;
  return v1::MedicalProfile::descriptor()->FindFieldByName(std::string(fact)) != nullptr;
}

// Replaces `field` of `to` by that of `from` (cleared when unset there):
// works alike for scalars with presence, messages and repeated fields.
void ReplaceField(const Message& from, Message& to, const FieldDescriptor* field) {
  std::unique_ptr<Message> only(from.New());
  only->CopyFrom(from);
  std::vector<const FieldDescriptor*> present;
  only->GetReflection()->ListFields(*only, &present);
  for (const FieldDescriptor* other : present) {
    if (other != field) only->GetReflection()->ClearField(only.get(), other);
  }
  to.GetReflection()->ClearField(&to, field);
  to.MergeFrom(*only);
}

void ApplyPath(const v1::Patient& patch, std::string_view path, v1::Patient& target) {
  const std::vector<std::string> parts = absl::StrSplit(std::string(path), '.');
  const Message* from = &patch;
  Message* to = &target;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* field = from->GetDescriptor()->FindFieldByName(parts[i]);
    from = &from->GetReflection()->GetMessage(*from, field);
    to = to->GetReflection()->MutableMessage(to, field);
  }
  ReplaceField(*from, *to, from->GetDescriptor()->FindFieldByName(parts.back()));
}

}  // namespace

absl::StatusOr<UpdatePaths> ParseUpdateMask(const google::protobuf::FieldMask& mask) {
  if (mask.paths_size() == 0) {
    return common::InvalidArgumentError("update_mask", "must name at least one field (or \"*\")");
  }
  UpdatePaths paths;
  const auto add = [&](std::string_view path) {
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.emplace_back(path);
  };
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      for (std::string_view top : kTopLevelPaths) add(top);
      add(kMedicalProfile);
    } else if (IsUpdatable(path)) {
      add(path);
    } else {
      return common::InvalidArgumentError(
          "update_mask", "\"" + path + "\" is not an updatable field (consents change through SetConsent)");
    }
  }
  return paths;
}

v1::Patient ApplyUpdate(const v1::Patient& current, const v1::Patient& patch, const UpdatePaths& paths) {
  v1::Patient result = current;
  for (const std::string& path : paths) ApplyPath(patch, path, result);
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
        if (IsUpdatable("medical_profile." + fact->name())) paths.push_back("medical_profile." + fact->name());
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
