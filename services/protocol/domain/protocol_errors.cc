#include "services/protocol/domain/protocol_errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::protocol {

absl::Status ProtocolNotFoundError(std::string_view id) {
  return common::NotFoundError(kErrorDomain, kProtocolType, id);
}

absl::Status VersionNotFoundError(std::string_view id, int64_t version, int64_t latest) {
  const std::string name(id);
  return common::ResourceReasonError(
      absl::StatusCode::kNotFound, kErrorDomain, "VERSION_NOT_FOUND",
      absl::StrCat("Protocol \"", name, "\" has no version ", version, " (latest is ", latest, ")"),
      kProtocolType, name, "", {{"latest_version", absl::StrCat(latest)}});
}

absl::Status EtagMismatchError(std::string_view id, int64_t latest) {
  return common::EtagMismatchError(kErrorDomain, kProtocolType, id,
                                   {{"latest_version", absl::StrCat(latest)}});
}

absl::Status PatientNotFoundError(std::string_view patient_id,
                                  const absl::Status& from_patient_service) {
  if (!common::GetResourceInfo(from_patient_service)) {
    return common::NotFoundError(kErrorDomain, kPatientType, patient_id);
  }
  absl::Status status = absl::NotFoundError(from_patient_service.message());
  from_patient_service.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { status.SetPayload(url, payload); });
  return status;
}

}  // namespace dermaflow::protocol
