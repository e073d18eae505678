// The error vocabulary every service speaks: one reason per situation, the
// google.rpc details the API conventions (patient_service.proto) promise,
// and one message shape. A service passes its package as `domain`, the
// ErrorInfo.domain front ends group reasons by.
//
//   return NotFoundError(kErrorDomain, kClinicType, id);
//   // NOT_FOUND "Clinic "c-1" not found", ResourceInfo {Clinic type, "c-1"},
//   // ErrorInfo {reason "NOT_FOUND", domain "dermaflow.scheduling.v1"}
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::common {

// The reasons every service uses alike (ErrorInfo.reason).
inline constexpr std::string_view kNotFoundReason = "NOT_FOUND";
inline constexpr std::string_view kEtagMismatchReason = "ETAG_MISMATCH";
inline constexpr std::string_view kConcurrentModificationReason = "CONCURRENT_MODIFICATION";

using ErrorMetadata = std::map<std::string, std::string>;

// `code` with ResourceInfo {resource_type, resource_name, description} and
// ErrorInfo {reason, domain, metadata}: the shape of every error about one
// resource (e.g. ALREADY_EXISTS SLOT_CONFLICT naming the busy room).
absl::Status ResourceReasonError(absl::StatusCode code, std::string_view domain,
                                 std::string_view reason, std::string_view message,
                                 std::string_view resource_type, std::string_view resource_name,
                                 std::string_view description = "",
                                 const ErrorMetadata& metadata = {});

// NOT_FOUND, reason NOT_FOUND: no `resource_type` named `name` in the
// caller's organization. `resource_type` is the full message name
// ("dermaflow.patient.v1.Patient"); the message says `Patient "p-1" not found`.
absl::Status NotFoundError(std::string_view domain, std::string_view resource_type,
                           std::string_view name, const ErrorMetadata& metadata = {});

// ABORTED, reason ETAG_MISMATCH: the caller's etag is stale; reload, reapply
// and retry.
absl::Status EtagMismatchError(std::string_view domain, std::string_view resource_type,
                               std::string_view name, const ErrorMetadata& metadata = {});

// ABORTED, reason CONCURRENT_MODIFICATION: lost a race with another writer;
// retrying is safe.
absl::Status ConcurrentModificationError(std::string_view domain, std::string_view resource_type,
                                         std::string_view name);

// "Clinic" for "dermaflow.scheduling.v1.Clinic": how messages name a type.
std::string_view ShortTypeName(std::string_view resource_type);

// A time as the people of the resource read it: "2027-01-04 10:00 CET
// (Europe/Berlin)" in `time_zone` (an IANA name; UTC when empty or unknown):
// the abbreviation reception knows, and the zone it belongs to.
std::string LocalTimeText(absl::Time time, std::string_view time_zone);

// The ResourceInfo attached to `status`, if any (tests and clients).
std::optional<google::rpc::ResourceInfo> GetResourceInfo(const absl::Status& status);

}  // namespace dermaflow::common
