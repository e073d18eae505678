#include "common/status/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/bounded_text.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::common {
namespace {

template <typename Message>
void AttachDetail(absl::Status& status, const Message& detail) {
  status.SetPayload(absl::StrCat("type.googleapis.com/", Message::descriptor()->full_name()),
                    absl::Cord(detail.SerializeAsString()));
}

// Empty when the status carries no (or an unreadable) BadRequest.
google::rpc::BadRequest BadRequestOf(const absl::Status& status) {
  google::rpc::BadRequest detail;
  auto payload = status.GetPayload("type.googleapis.com/google.rpc.BadRequest");
  if (payload && !detail.ParseFromString(std::string(*payload))) detail.Clear();
  return detail;
}

}  // namespace

absl::Status InvalidArgumentError(std::string_view field, std::string_view description) {
  FieldViolations v;
  v.Add(field, description);
  return v.ToStatus();
}

void FieldViolations::Add(std::string_view field, std::string_view description) {
  if (violations_.size() == kMaxErrorViolations) {
    ++dropped_;
    return;
  }
  violations_.emplace_back(BoundedText(field), BoundedText(description, kMaxErrorDescriptionBytes));
}

void FieldViolations::AddFrom(const absl::Status& status) {
  const google::rpc::BadRequest detail = BadRequestOf(status);
  for (const auto& v : detail.field_violations()) Add(v.field(), v.description());
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest detail;
  std::vector<std::string> parts;
  for (const auto& [field, description] : violations_) {
    auto* v = detail.add_field_violations();
    v->set_field(field);
    v->set_description(description);
    parts.push_back(absl::StrCat(field, ": ", description));
  }
  if (dropped_ > 0) parts.push_back(absl::StrCat("and ", dropped_, " more"));
  absl::Status status =
      absl::InvalidArgumentError(BoundedText(absl::StrJoin(parts, "; "), kMaxErrorMessageBytes));
  AttachDetail(status, detail);
  return status;
}

absl::Status FailedPreconditionError(std::string_view message,
                                     const std::vector<PreconditionViolation>& violations) {
  google::rpc::PreconditionFailure detail;
  for (const auto& pv : violations) {
    if (static_cast<size_t>(detail.violations_size()) == kMaxErrorViolations) break;
    auto* v = detail.add_violations();
    v->set_type(BoundedText(pv.type));
    v->set_subject(BoundedText(pv.subject));
    v->set_description(BoundedText(pv.description, kMaxErrorDescriptionBytes));
  }
  const size_t dropped = violations.size() - static_cast<size_t>(detail.violations_size());
  const std::string text = dropped > 0
                               ? absl::StrCat(absl::string_view(message.data(), message.size()),
                                              " (and ", dropped, " more violations)")
                               : std::string(message);
  absl::Status status = absl::FailedPreconditionError(BoundedText(text, kMaxErrorMessageBytes));
  AttachDetail(status, detail);
  return status;
}

absl::Status QuotaExceededError(std::string_view subject, std::string_view description,
                                absl::Duration retry_delay) {
  google::rpc::QuotaFailure detail;
  auto* v = detail.add_violations();
  v->set_subject(BoundedText(subject));
  v->set_description(BoundedText(description, kMaxErrorDescriptionBytes));
  absl::Status status =
      absl::ResourceExhaustedError(BoundedText(description, kMaxErrorMessageBytes));
  AttachDetail(status, detail);
  if (retry_delay > absl::ZeroDuration()) {
    google::rpc::RetryInfo retry;
    const int64_t nanos = absl::ToInt64Nanoseconds(retry_delay);
    retry.mutable_retry_delay()->set_seconds(nanos / 1'000'000'000);
    retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
    AttachDetail(status, retry);
  }
  return status;
}

absl::Status ResourceError(absl::StatusCode code, std::string_view message,
                           std::string_view resource_type, std::string_view resource_name,
                           std::string_view description) {
  google::rpc::ResourceInfo detail;
  detail.set_resource_type(BoundedText(resource_type));
  detail.set_resource_name(BoundedText(resource_name));
  detail.set_description(BoundedText(description, kMaxErrorDescriptionBytes));
  absl::Status status(code, BoundedText(message, kMaxErrorMessageBytes));
  AttachDetail(status, detail);
  return status;
}

absl::Status WithErrorInfo(absl::Status status, std::string_view reason, std::string_view domain,
                           const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(domain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[BoundedText(key)] = BoundedText(value);
  }
  return WithErrorInfo(std::move(status), info);
}

absl::Status WithErrorInfo(absl::Status status, const google::rpc::ErrorInfo& info) {
  AttachDetail(status, info);
  return status;
}

std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status) {
  auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  google::rpc::ErrorInfo info;
  if (!payload || !info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

std::string ErrorInfoReason(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  return info ? info->reason() : "";
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  const google::rpc::BadRequest detail = BadRequestOf(status);
  std::vector<std::string> fields;
  for (const auto& v : detail.field_violations()) fields.push_back(v.field());
  return fields;
}

}  // namespace dermaflow::common
