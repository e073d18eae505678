// Errors that carry the google.rpc details front-ends can show.
//
// Inside the services everything is absl::Status; details ride along as
// payloads keyed by their type URL, and ToGrpcStatus (grpc_status.h) turns
// them into a google.rpc.Status at the edge.
//
//   FieldViolations v;
//   if (name.empty()) v.Add("given_name", "must not be empty");
//   DF_RETURN_IF_ERROR(v.ToStatus());
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::common {

// Every error below bounds the caller's input it carries (bounded_text.h):
// names and paths to 128 bytes, descriptions to 512, the message to 2 KiB,
// at most 20 violations (the message says how many more there were).

// INVALID_ARGUMENT for one field, with google.rpc.BadRequest details.
absl::Status InvalidArgumentError(std::string_view field, std::string_view description);

// Collects every bad field of a request so the caller can fix all at once.
class FieldViolations {
 public:
  void Add(std::string_view field, std::string_view description);
  // Adds the BadRequest violations of a status from another check, so one
  // answer names every bad field.
  void AddFrom(const absl::Status& status);
  bool empty() const { return violations_.empty(); }
  // OK when nothing was added; otherwise INVALID_ARGUMENT naming each field.
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
  size_t dropped_ = 0;  // past kMaxErrorViolations
};

// One failed precondition: type (e.g. "CONTRAINDICATION"), subject (what it
// is about, e.g. "PREGNANCY"), description (human-readable).
struct PreconditionViolation {
  std::string type;
  std::string subject;
  std::string description;
};

// FAILED_PRECONDITION with google.rpc.PreconditionFailure details.
absl::Status FailedPreconditionError(std::string_view message,
                                     const std::vector<PreconditionViolation>& violations);

// RESOURCE_EXHAUSTED with google.rpc.QuotaFailure naming the limit that was
// reached: `subject` is who it applies to (e.g. "organization:acme"),
// `description` the limit and how to change it. A positive `retry_delay`
// also attaches google.rpc.RetryInfo, the standard "retry after" hint.
absl::Status QuotaExceededError(std::string_view subject, std::string_view description,
                                absl::Duration retry_delay = absl::ZeroDuration());

// A status of `code` with google.rpc.ResourceInfo naming the resource it is
// about (e.g. ALREADY_EXISTS naming the practitioner whose slot is taken).
absl::Status ResourceError(absl::StatusCode code, std::string_view message,
                           std::string_view resource_type, std::string_view resource_name,
                           std::string_view description = "");

// Attaches google.rpc.ErrorInfo {reason, domain, metadata}: the stable,
// machine-readable reason front-ends switch on (e.g. ETAG_MISMATCH).
absl::Status WithErrorInfo(absl::Status status, std::string_view reason, std::string_view domain,
                           const std::map<std::string, std::string>& metadata = {});
// Attaches an ErrorInfo built elsewhere (e.g. passed on from another service).
absl::Status WithErrorInfo(absl::Status status, const google::rpc::ErrorInfo& info);
// The ErrorInfo attached to `status`, if any.
std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status);
// Its reason, or "" when there is none (for tests and metrics).
std::string ErrorInfoReason(const absl::Status& status);

// Reads the BadRequest field names back out of a status (for tests and CLIs).
std::vector<std::string> ViolatedFields(const absl::Status& status);

}  // namespace dermaflow::common
