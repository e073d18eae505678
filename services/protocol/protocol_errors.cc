#include "services/protocol/protocol_errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::protocol {
namespace {


google::rpc::ErrorInfo Info(std::string_view reason, std::string_view resource) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["resource"] = std::string(resource);
  return info;
}

std::string Quoted(std::string_view id) {
  return absl::StrCat("\"", absl::string_view(id.data(), id.size()), "\"");
}

}  // namespace

absl::Status ProtocolNotFoundError(std::string_view id) {
  return common::WithErrorInfo(absl::NotFoundError(absl::StrCat("no protocol ", Quoted(id))),
                       Info("PROTOCOL_NOT_FOUND", "protocol"));
}

absl::Status VersionNotFoundError(std::string_view id, int64_t version, int64_t latest) {
  google::rpc::ErrorInfo info = Info("VERSION_NOT_FOUND", "protocol_version");
  (*info.mutable_metadata())["latest_version"] = absl::StrCat(latest);
  return common::WithErrorInfo(absl::NotFoundError(absl::StrCat("protocol ", Quoted(id), " has no version ",
                                                        version, " (latest is ", latest, ")")),
                       info);
}

absl::Status EtagMismatchError(std::string_view id, int64_t latest) {
  google::rpc::ErrorInfo info = Info("ETAG_MISMATCH", "protocol");
  (*info.mutable_metadata())["latest_version"] = absl::StrCat(latest);
  return common::WithErrorInfo(
      absl::AbortedError(absl::StrCat("protocol ", Quoted(id), " has a newer version (", latest,
                                      "); reload it and apply the change again")),
      info);
}

absl::Status PatientNotFoundError(const absl::Status& from_patient_service) {
  google::rpc::ErrorInfo info =
      GetErrorInfo(from_patient_service).value_or(Info("PATIENT_NOT_FOUND", "patient"));
  (*info.mutable_metadata())["resource"] = "patient";
  absl::Status status = absl::NotFoundError(from_patient_service.message());
  from_patient_service.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { status.SetPayload(url, payload); });
  return common::WithErrorInfo(status, info);
}

}  // namespace dermaflow::protocol
