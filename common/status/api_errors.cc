#include "common/status/api_errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/bounded_text.h"
#include "common/status/errors.h"

namespace dermaflow::common {
namespace {

// Debian's absl::StrCat does not take std::string_view.
absl::string_view Absl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

std::string Named(std::string_view resource_type, std::string_view name) {
  return absl::StrCat(Absl(ShortTypeName(resource_type)), " \"", BoundedText(name), "\"");
}

}  // namespace

absl::Status ResourceReasonError(absl::StatusCode code, std::string_view domain,
                                 std::string_view reason, std::string_view message,
                                 std::string_view resource_type, std::string_view resource_name,
                                 std::string_view description, const ErrorMetadata& metadata) {
  return WithErrorInfo(ResourceError(code, message, resource_type, resource_name, description),
                       reason, domain, metadata);
}

absl::Status NotFoundError(std::string_view domain, std::string_view resource_type,
                           std::string_view name, const ErrorMetadata& metadata) {
  return ResourceReasonError(absl::StatusCode::kNotFound, domain, kNotFoundReason,
                             absl::StrCat(Named(resource_type, name), " not found"), resource_type,
                             name, "", metadata);
}

absl::Status EtagMismatchError(std::string_view domain, std::string_view resource_type,
                               std::string_view name, const ErrorMetadata& metadata) {
  return ResourceReasonError(
      absl::StatusCode::kAborted, domain, kEtagMismatchReason,
      absl::StrCat(Named(resource_type, name),
                   " changed since it was read (stale etag): reload, reapply and retry"),
      resource_type, name, "", metadata);
}

absl::Status ConcurrentModificationError(std::string_view domain, std::string_view resource_type,
                                         std::string_view name) {
  return ResourceReasonError(
      absl::StatusCode::kAborted, domain, kConcurrentModificationReason,
      absl::StrCat(Named(resource_type, name), " was changed concurrently; retry"), resource_type,
      name);
}

std::string_view ShortTypeName(std::string_view resource_type) {
  const size_t dot = resource_type.rfind('.');
  return dot == std::string_view::npos ? resource_type : resource_type.substr(dot + 1);
}

std::string LocalTimeText(absl::Time time, std::string_view time_zone) {
  absl::TimeZone zone;
  if (time_zone.empty() || !absl::LoadTimeZone(std::string(time_zone), &zone)) {
    return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
  }
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", time, zone) + " (" + std::string(time_zone) + ")";
}

std::optional<google::rpc::ResourceInfo> GetResourceInfo(const absl::Status& status) {
  auto payload = status.GetPayload("type.googleapis.com/google.rpc.ResourceInfo");
  google::rpc::ResourceInfo info;
  if (!payload || !info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

}  // namespace dermaflow::common
