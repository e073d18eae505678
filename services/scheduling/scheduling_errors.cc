#include "services/scheduling/scheduling_errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::scheduling {
absl::Status WithErrorInfo(absl::Status status, const std::string& reason) {
  return common::WithErrorInfo(std::move(status), reason, kErrorDomain);
}

std::string ErrorReason(const absl::Status& status) {
  return common::ErrorInfoReason(status);
}

absl::Status ReasonedResourceError(absl::StatusCode code, const std::string& reason,
                                   const std::string& message, const std::string& resource_type,
                                   const std::string& resource_id, const std::string& description) {
  return WithErrorInfo(
      common::ResourceError(code, message, resource_type, resource_id, description), reason);
}

absl::Status NotFoundError(const std::string& resource_type, const std::string& id) {
  return ReasonedResourceError(absl::StatusCode::kNotFound, "NOT_FOUND",
                               absl::StrCat("no ", resource_type, " ", id), resource_type, id);
}

absl::Status EtagMismatchError(const std::string& resource_type, const std::string& id) {
  return ReasonedResourceError(
      absl::StatusCode::kAborted, "ETAG_MISMATCH",
      absl::StrCat(resource_type, " ", id, " changed since it was read: reload and retry"),
      resource_type, id);
}

absl::Status ConcurrentModificationError(const std::string& resource_type, const std::string& id) {
  return ReasonedResourceError(
      absl::StatusCode::kAborted, "CONCURRENT_MODIFICATION",
      absl::StrCat(resource_type, " ", id, " was changed concurrently; retry"), resource_type, id);
}

absl::Status SlotConflictError(int session, absl::string_view owner, const std::string& owner_id,
                               absl::Time session_start, const std::string& other_id,
                               absl::Time other_start) {
  constexpr char kFormat[] = "%Y-%m-%dT%H:%MZ";
  const std::string type = owner == "practitioner" ? kPractitionerType
                           : owner == "patient"    ? kPatientType
                                                   : kRoomType;
  const std::string who =
      owner_id.empty() ? "every suitable room" : absl::StrCat(owner, " ", owner_id);
  const std::string description =
      owner_id.empty() ? std::string("no suitable room of the clinic is free then")
                       : absl::StrCat("busy with appointment ", other_id, " from ",
                                      absl::FormatTime(kFormat, other_start, absl::UTCTimeZone()));
  return ReasonedResourceError(
      absl::StatusCode::kAlreadyExists, "SLOT_CONFLICT",
      absl::StrCat("slot taken (session ", session, " at ",
                   absl::FormatTime(kFormat, session_start, absl::UTCTimeZone()), "): ", who,
                   " is busy; find another with FindAvailableSlots"),
      type, owner_id, description);
}

absl::Status RequestIdReusedError() {
  return common::InvalidArgumentError("request_id", "was used before for a different request");
}

}  // namespace dermaflow::scheduling
